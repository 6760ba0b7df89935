// Public and private signing keys (ECDSA P-256/P-384/P-521, RSA PKCS#1 v1.5 and PSS, Ed25519)
// over OpenSSL 3 EVP: parsing PEM/DER (SubjectPublicKeyInfo, PKCS#8, SEC1, PKCS#1), verifying and
// making signatures (ECDSA in DER or raw r||s as in IEEE P1363).
//   BULWARK_ASSIGN_OR_RETURN(PublicKey key, PublicKey::Parse(pem_text));
//   BULWARK_RETURN_IF_ERROR(key.Verify(payload, signature, key.DefaultParams()));
// Thread safety: PublicKey and PrivateKey are immutable values (they share an EVP_PKEY, which
// OpenSSL allows to be used for verifying and signing from several threads at once).
#ifndef BULWARK_IMAGE_SIGN_KEYS_H_
#define BULWARK_IMAGE_SIGN_KEYS_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace bulwark::sign {

// Message digests a signature scheme may use. SHA-1 and SHA-224 exist for conformance with
// old signatures and test vectors; the verifiers of cosign, Sigstore and DSSE never choose them.
enum class HashAlgorithm { kSha1, kSha224, kSha256, kSha384, kSha512 };

// "sha1", "sha224", "sha256", "sha384" or "sha512".
absl::string_view HashAlgorithmName(HashAlgorithm hash);
// Digest length in bytes.
int HashSize(HashAlgorithm hash);

// The kind of a key. Other curves and key types are rejected when parsing.
enum class KeyAlgorithm { kEcdsaP256, kEcdsaP384, kEcdsaP521, kRsa, kEd25519 };

// "ecdsa-p256", "ecdsa-p384", "ecdsa-p521", "rsa" or "ed25519".
absl::string_view KeyAlgorithmName(KeyAlgorithm algorithm);

// How an ECDSA signature is encoded.
enum class EcdsaEncoding {
  kDer,    // ASN.1 DER SEQUENCE { r, s } (X9.62), strictly DER as OpenSSL checks it.
  kP1363,  // r || s, each left-padded to the curve order's byte length.
};

enum class RsaPadding { kPkcs1v15, kPss };

// How a signature is made from a message. Ignored fields do not matter for the key type
// (Ed25519 uses none: it hashes with SHA-512 internally).
struct SignatureParams {
  HashAlgorithm hash = HashAlgorithm::kSha256;         // Default: SHA-256.
  EcdsaEncoding ecdsa_encoding = EcdsaEncoding::kDer;  // Default: DER.
  RsaPadding rsa_padding = RsaPadding::kPkcs1v15;      // Default: PKCS#1 v1.5.
  // PSS only: the MGF1 hash (default: the message hash) and the salt length in bytes
  // (default: the digest length, as RFC 8017 recommends and Go's crypto/rsa uses).
  std::optional<HashAlgorithm> pss_mgf1_hash;
  std::optional<int> pss_salt_length;
};

// A public key that verifies signatures.
class PublicKey {
 public:
  // Reads a "PUBLIC KEY" PEM block (SubjectPublicKeyInfo); text around the block is ignored.
  // Errors: InvalidArgument when there is no such block or it does not decode; Unimplemented for
  // key types and curves outside KeyAlgorithm, naming them.
  static absl::StatusOr<PublicKey> ParsePem(absl::string_view pem);
  // Reads a DER SubjectPublicKeyInfo; trailing bytes are an error. Errors as ParsePem.
  static absl::StatusOr<PublicKey> ParseDer(absl::string_view der);
  // PEM when the text holds "-----BEGIN", DER otherwise.
  static absl::StatusOr<PublicKey> Parse(absl::string_view pem_or_der);
  // Reads a DER PKCS#1 RSAPublicKey (as some trust roots store RSA log keys). Errors as ParseDer.
  static absl::StatusOr<PublicKey> ParsePkcs1RsaDer(absl::string_view der);
  // An Ed25519 key from its 32 raw bytes (RFC 8032). Errors: InvalidArgument for another length.
  static absl::StatusOr<PublicKey> FromRawEd25519(absl::string_view raw);
  // Takes a reference on an existing OpenSSL key (e.g. from a certificate). Errors as ParsePem.
  static absl::StatusOr<PublicKey> FromEvp(EVP_PKEY* key);

  KeyAlgorithm algorithm() const { return algorithm_; }
  // Modulus size for RSA, field size for ECDSA, 256 for Ed25519.
  int bits() const;
  // DER SubjectPublicKeyInfo.
  std::string SpkiDer() const;
  // "-----BEGIN PUBLIC KEY-----" PEM of SpkiDer().
  std::string Pem() const;

  // The parameters cosign and Sigstore use with this key: ECDSA DER with SHA-256 / SHA-384 /
  // SHA-512 for P-256 / P-384 / P-521, RSA PKCS#1 v1.5 with SHA-256, Ed25519.
  SignatureParams DefaultParams() const;

  // Checks `signature` over `message`. Errors: InvalidArgument "signature verification failed"
  // for a signature that does not verify or is malformed (wrong length, not DER, trailing bytes).
  absl::Status Verify(absl::string_view message, absl::string_view signature,
                      const SignatureParams& params) const;

  // Checks `signature` over a message of which only the digest `digest` (computed with
  // params.hash) is known. Errors as Verify; InvalidArgument for Ed25519, which signs messages,
  // not digests, and for a digest of the wrong length.
  absl::Status VerifyDigest(absl::string_view digest, absl::string_view signature,
                            const SignatureParams& params) const;

  // The OpenSSL key, borrowed for the lifetime of this PublicKey.
  EVP_PKEY* evp() const { return key_.get(); }

  // True when both hold the same key (compares the SubjectPublicKeyInfo).
  friend bool operator==(const PublicKey& a, const PublicKey& b);

 private:
  PublicKey(std::shared_ptr<EVP_PKEY> key, KeyAlgorithm algorithm)
      : key_(std::move(key)), algorithm_(algorithm) {}

  std::shared_ptr<EVP_PKEY> key_;
  KeyAlgorithm algorithm_;
};

// A private key that makes signatures.
class PrivateKey {
 public:
  // Reads a PEM private key: "PRIVATE KEY" (PKCS#8), "EC PRIVATE KEY" (SEC1), "RSA PRIVATE KEY"
  // (PKCS#1), "ENCRYPTED PRIVATE KEY" (PKCS#8 PBES2) with `password`, or cosign's
  // "ENCRYPTED SIGSTORE/COSIGN PRIVATE KEY" (scrypt + NaCl secretbox, as cosign
  // generate-key-pair writes) with `password`. Errors: InvalidArgument when no key decodes;
  // PermissionDenied for a wrong password of a cosign key; Unimplemented for other key types
  // and curves.
  static absl::StatusOr<PrivateKey> ParsePem(absl::string_view pem,
                                             absl::string_view password = {});
  // A fresh random key. Errors: Internal when OpenSSL fails; InvalidArgument for kRsa with a
  // size outside 2048..4096 bits.
  static absl::StatusOr<PrivateKey> Generate(KeyAlgorithm algorithm, int rsa_bits = 3072);

  KeyAlgorithm algorithm() const { return public_key_.algorithm(); }
  const PublicKey& public_key() const { return public_key_; }
  // Unencrypted PKCS#8 "PRIVATE KEY" PEM.
  std::string Pem() const;
  // cosign's "ENCRYPTED SIGSTORE PRIVATE KEY" PEM (scrypt N=32768 r=8 p=1, NaCl secretbox), which
  // cosign sign --key reads. Errors: Internal when OpenSSL or libsodium fails.
  absl::StatusOr<std::string> EncryptedCosignPem(absl::string_view password) const;

  // Signs `message`. ECDSA signatures are randomised (OpenSSL's default nonces).
  // Errors: Internal when OpenSSL fails; InvalidArgument for parameters the key cannot use.
  absl::StatusOr<std::string> Sign(absl::string_view message, const SignatureParams& params) const;

 private:
  PrivateKey(std::shared_ptr<EVP_PKEY> key, PublicKey public_key)
      : key_(std::move(key)), public_key_(std::move(public_key)) {}

  std::shared_ptr<EVP_PKEY> key_;
  PublicKey public_key_;
};

// Checks a key against cosign's import rules (cosign import-key-pair): RSA 2048..4096 bits,
// ECDSA P-256/P-384/P-521, Ed25519. Errors: InvalidArgument saying which rule failed.
absl::Status CheckCosignKeyPolicy(const PublicKey& key);

}  // namespace bulwark::sign

#endif  // BULWARK_IMAGE_SIGN_KEYS_H_
