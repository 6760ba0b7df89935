// PEM/DER public keys, private keys and certificates (OpenSSL decoders behind our checks).
#include <cstddef>
#include <cstdint>
#include <string>

#include "bulwark/image/sign/certificate.h"
#include "bulwark/image/sign/keys.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<bulwark::sign::PublicKey> key = bulwark::sign::PublicKey::Parse(text);
  if (key.ok()) {
    (void)key->Verify("message", text, key->DefaultParams());
    (void)key->Pem();
  }
  (void)bulwark::sign::PublicKey::ParsePkcs1RsaDer(text);
  (void)bulwark::sign::PrivateKey::ParsePem(text);
  absl::StatusOr<bulwark::sign::Certificate> cert = bulwark::sign::Certificate::Parse(text);
  if (cert.ok()) {
    (void)cert->subject_alt_names();
    (void)cert->fulcio_extensions();
    (void)bulwark::sign::IsLeaf(*cert);
    (void)bulwark::sign::IsRootCa(*cert);
  }
  (void)bulwark::sign::Certificate::ParsePemChain(text);
  return 0;
}
