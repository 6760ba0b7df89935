// cosign's encrypted private keys ("ENCRYPTED SIGSTORE PRIVATE KEY" / "ENCRYPTED COSIGN PRIVATE
// KEY", as `cosign generate-key-pair` writes them): the PEM body is the JSON
// {"kdf":{"name":"scrypt","params":{"N","r","p"},"salt"},"cipher":{"name":"nacl/secretbox",
// "nonce"},"ciphertext"}; the key is scrypt(password, salt) (OpenSSL EVP_KDF "SCRYPT") and the
// ciphertext a NaCl secretbox (XSalsa20-Poly1305, libsodium) over the PKCS#8 DER private key.
// Thread safety: functions without shared state.
#ifndef BULWARK_IMAGE_SIGN_INTERNAL_COSIGN_KEY_H_
#define BULWARK_IMAGE_SIGN_INTERNAL_COSIGN_KEY_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bulwark::sign::internal {

// True when `pem` holds one of cosign's encrypted private key blocks.
bool IsCosignEncryptedKey(absl::string_view pem);

// The PKCS#8 DER private key inside. scrypt costs are capped (N·r·128 ≤ 256 MiB, p ≤ 16) so a
// hostile key cannot exhaust memory. Errors: InvalidArgument for malformed PEM/JSON, an unknown
// KDF or cipher, bad base64 or sizes; PermissionDenied "wrong password or corrupted key" when
// the secretbox does not open.
absl::StatusOr<std::string> DecryptCosignKey(absl::string_view pem, absl::string_view password);

// The "ENCRYPTED SIGSTORE PRIVATE KEY" PEM of `pkcs8_der` with a fresh salt and nonce and
// cosign's scrypt parameters (N=32768, r=8, p=1). Errors: Internal when a library fails.
absl::StatusOr<std::string> EncryptCosignKey(absl::string_view pkcs8_der,
                                             absl::string_view password);

}  // namespace bulwark::sign::internal

#endif  // BULWARK_IMAGE_SIGN_INTERNAL_COSIGN_KEY_H_
