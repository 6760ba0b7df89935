#include "bulwark/image/sign/keys.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <cstring>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/sign/internal/cosign_key.h"
#include "bulwark/image/sign/internal/openssl_util.h"

namespace bulwark::sign {
namespace {

using internal::EcdsaSigPtr;
using internal::EvpMdCtxPtr;
using internal::EvpPkeyCtxPtr;
using internal::EvpPkeyPtr;

const EVP_MD* HashMd(HashAlgorithm hash) {
  switch (hash) {
    case HashAlgorithm::kSha1:
      return EVP_sha1();
    case HashAlgorithm::kSha224:
      return EVP_sha224();
    case HashAlgorithm::kSha256:
      return EVP_sha256();
    case HashAlgorithm::kSha384:
      return EVP_sha384();
    case HashAlgorithm::kSha512:
      return EVP_sha512();
  }
  return EVP_sha256();
}

// The algorithm of an OpenSSL key, or Unimplemented naming what it is.
absl::StatusOr<KeyAlgorithm> Classify(EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS:
      return KeyAlgorithm::kRsa;
    case EVP_PKEY_ED25519:
      return KeyAlgorithm::kEd25519;
    case EVP_PKEY_EC: {
      char group[64] = {0};
      size_t length = 0;
      if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                         &length) != 1) {
        internal::ClearOpensslErrors();
        return absl::UnimplementedError("EC key with explicit or unknown curve parameters");
      }
      const absl::string_view name(group, length);
      if (name == "prime256v1" || name == "P-256") return KeyAlgorithm::kEcdsaP256;
      if (name == "secp384r1" || name == "P-384") return KeyAlgorithm::kEcdsaP384;
      if (name == "secp521r1" || name == "P-521") return KeyAlgorithm::kEcdsaP521;
      return absl::UnimplementedError(absl::StrCat("unsupported elliptic curve ", name));
    }
    default:
      return absl::UnimplementedError(absl::StrCat(
          "unsupported key type ",
          EVP_PKEY_get0_type_name(key) != nullptr ? EVP_PKEY_get0_type_name(key) : "(unknown)"));
  }
}

bool IsEcdsa(KeyAlgorithm algorithm) {
  return algorithm == KeyAlgorithm::kEcdsaP256 || algorithm == KeyAlgorithm::kEcdsaP384 ||
         algorithm == KeyAlgorithm::kEcdsaP521;
}

// Byte length of one of r and s in a P1363 signature: the curve order's length.
size_t EcdsaScalarSize(EVP_PKEY* key) {
  return (static_cast<size_t>(EVP_PKEY_get_bits(key)) + 7) / 8;
}

absl::Status VerificationFailed() {
  internal::ClearOpensslErrors();
  return absl::InvalidArgumentError("signature verification failed");
}

// r || s to DER, or an error for a signature of the wrong length.
absl::StatusOr<std::string> P1363ToDer(EVP_PKEY* key, absl::string_view signature) {
  const size_t n = EcdsaScalarSize(key);
  if (signature.size() != 2 * n) return VerificationFailed();
  const auto* bytes = reinterpret_cast<const unsigned char*>(signature.data());
  EcdsaSigPtr sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(bytes, static_cast<int>(n), nullptr);
  BIGNUM* s = BN_bin2bn(bytes + n, static_cast<int>(n), nullptr);
  if (sig == nullptr || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return internal::OpensslStatus(absl::StatusCode::kInternal, "ECDSA_SIG");
  }
  unsigned char* der = nullptr;
  const int length = i2d_ECDSA_SIG(sig.get(), &der);
  if (length <= 0) return internal::OpensslStatus(absl::StatusCode::kInternal, "i2d_ECDSA_SIG");
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  return out;
}

absl::StatusOr<std::string> DerToP1363(EVP_PKEY* key, absl::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (sig == nullptr) return internal::OpensslStatus(absl::StatusCode::kInternal, "d2i_ECDSA_SIG");
  const size_t n = EcdsaScalarSize(key);
  std::string out(2 * n, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), bytes, static_cast<int>(n)) < 0 ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), bytes + n, static_cast<int>(n)) < 0) {
    return internal::OpensslStatus(absl::StatusCode::kInternal, "BN_bn2binpad");
  }
  return out;
}

// Sets RSA padding on a signing or verifying context.
absl::Status ConfigureRsa(EVP_PKEY_CTX* ctx, const SignatureParams& params) {
  if (params.rsa_padding == RsaPadding::kPkcs1v15) {
    if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) != 1) {
      return internal::OpensslStatus(absl::StatusCode::kInvalidArgument, "RSA PKCS#1 v1.5 padding");
    }
    return absl::OkStatus();
  }
  const int salt = params.pss_salt_length.value_or(HashSize(params.hash));
  if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) != 1 ||
      EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, salt) != 1 ||
      EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, HashMd(params.pss_mgf1_hash.value_or(params.hash))) != 1) {
    return internal::OpensslStatus(absl::StatusCode::kInvalidArgument, "RSA-PSS parameters");
  }
  return absl::OkStatus();
}

}  // namespace

absl::string_view HashAlgorithmName(HashAlgorithm hash) {
  switch (hash) {
    case HashAlgorithm::kSha1:
      return "sha1";
    case HashAlgorithm::kSha224:
      return "sha224";
    case HashAlgorithm::kSha256:
      return "sha256";
    case HashAlgorithm::kSha384:
      return "sha384";
    case HashAlgorithm::kSha512:
      return "sha512";
  }
  return "unknown";
}

int HashSize(HashAlgorithm hash) { return EVP_MD_get_size(HashMd(hash)); }

absl::string_view KeyAlgorithmName(KeyAlgorithm algorithm) {
  switch (algorithm) {
    case KeyAlgorithm::kEcdsaP256:
      return "ecdsa-p256";
    case KeyAlgorithm::kEcdsaP384:
      return "ecdsa-p384";
    case KeyAlgorithm::kEcdsaP521:
      return "ecdsa-p521";
    case KeyAlgorithm::kRsa:
      return "rsa";
    case KeyAlgorithm::kEd25519:
      return "ed25519";
  }
  return "unknown";
}

absl::StatusOr<PublicKey> PublicKey::FromEvp(EVP_PKEY* key) {
  if (key == nullptr) return absl::InvalidArgumentError("no public key");
  BULWARK_ASSIGN_OR_RETURN(KeyAlgorithm algorithm, Classify(key));
  return PublicKey(internal::ShareKey(key), algorithm);
}

absl::StatusOr<PublicKey> PublicKey::FromRawEd25519(absl::string_view raw) {
  if (raw.size() != 32) {
    return absl::InvalidArgumentError(
        absl::StrCat("Ed25519 key of ", raw.size(), " bytes, not 32"));
  }
  EvpPkeyPtr key(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(raw.data()), raw.size()));
  if (key == nullptr) {
    return internal::OpensslStatus(absl::StatusCode::kInvalidArgument, "Ed25519 public key");
  }
  return FromEvp(key.get());
}

absl::StatusOr<PublicKey> PublicKey::ParsePem(absl::string_view pem) {
  internal::BioPtr bio = internal::MemoryBio(pem);
  EvpPkeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (key == nullptr) {
    return internal::OpensslStatus(absl::StatusCode::kInvalidArgument,
                                   "no PEM \"PUBLIC KEY\" block that decodes");
  }
  return FromEvp(key.get());
}

absl::StatusOr<PublicKey> PublicKey::ParseDer(absl::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  EvpPkeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (key == nullptr) {
    return internal::OpensslStatus(absl::StatusCode::kInvalidArgument,
                                   "not a DER SubjectPublicKeyInfo");
  }
  if (p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    return absl::InvalidArgumentError("trailing bytes after the DER SubjectPublicKeyInfo");
  }
  return FromEvp(key.get());
}

absl::StatusOr<PublicKey> PublicKey::ParsePkcs1RsaDer(absl::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  EvpPkeyPtr key(d2i_PublicKey(EVP_PKEY_RSA, nullptr, &p, static_cast<long>(der.size())));
  if (key == nullptr) {
    return internal::OpensslStatus(absl::StatusCode::kInvalidArgument,
                                   "not a DER PKCS#1 RSAPublicKey");
  }
  if (p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    return absl::InvalidArgumentError("trailing bytes after the DER RSAPublicKey");
  }
  return FromEvp(key.get());
}

absl::StatusOr<PublicKey> PublicKey::Parse(absl::string_view pem_or_der) {
  if (absl::StrContains(pem_or_der, "-----BEGIN")) return ParsePem(pem_or_der);
  return ParseDer(pem_or_der);
}

int PublicKey::bits() const { return EVP_PKEY_get_bits(key_.get()); }

std::string PublicKey::SpkiDer() const {
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(key_.get(), &der);
  if (length <= 0) return "";
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  return out;
}

std::string PublicKey::Pem() const {
  internal::BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(bio.get(), key_.get());
  return internal::BioContents(bio.get());
}

SignatureParams PublicKey::DefaultParams() const {
  SignatureParams params;
  if (algorithm_ == KeyAlgorithm::kEcdsaP384) params.hash = HashAlgorithm::kSha384;
  if (algorithm_ == KeyAlgorithm::kEcdsaP521) params.hash = HashAlgorithm::kSha512;
  return params;
}

absl::Status PublicKey::Verify(absl::string_view message, absl::string_view signature,
                               const SignatureParams& params) const {
  std::string converted;
  if (IsEcdsa(algorithm_) && params.ecdsa_encoding == EcdsaEncoding::kP1363) {
    BULWARK_ASSIGN_OR_RETURN(converted, P1363ToDer(key_.get(), signature));
    signature = converted;
  }
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  const EVP_MD* md = algorithm_ == KeyAlgorithm::kEd25519 ? nullptr : HashMd(params.hash);
  if (ctx == nullptr || EVP_DigestVerifyInit(ctx.get(), &pctx, md, nullptr, key_.get()) != 1) {
    return internal::OpensslStatus(absl::StatusCode::kInvalidArgument,
                                   absl::StrCat("cannot verify with ", KeyAlgorithmName(algorithm_),
                                                " and ", HashAlgorithmName(params.hash)));
  }
  if (algorithm_ == KeyAlgorithm::kRsa) BULWARK_RETURN_IF_ERROR(ConfigureRsa(pctx, params));
  const int ok = EVP_DigestVerify(
      ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
      reinterpret_cast<const unsigned char*>(message.data()), message.size());
  if (ok != 1) return VerificationFailed();
  return absl::OkStatus();
}

absl::Status PublicKey::VerifyDigest(absl::string_view digest, absl::string_view signature,
                                     const SignatureParams& params) const {
  if (algorithm_ == KeyAlgorithm::kEd25519) {
    return absl::InvalidArgumentError("Ed25519 signs messages, not digests");
  }
  if (digest.size() != static_cast<size_t>(HashSize(params.hash))) {
    return absl::InvalidArgumentError(
        absl::StrCat("digest of ", digest.size(), " bytes for ", HashAlgorithmName(params.hash)));
  }
  std::string converted;
  if (IsEcdsa(algorithm_) && params.ecdsa_encoding == EcdsaEncoding::kP1363) {
    BULWARK_ASSIGN_OR_RETURN(converted, P1363ToDer(key_.get(), signature));
    signature = converted;
  }
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new(key_.get(), nullptr));
  if (ctx == nullptr || EVP_PKEY_verify_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_signature_md(ctx.get(), HashMd(params.hash)) != 1) {
    return internal::OpensslStatus(absl::StatusCode::kInvalidArgument, "cannot verify digest");
  }
  if (algorithm_ == KeyAlgorithm::kRsa) BULWARK_RETURN_IF_ERROR(ConfigureRsa(ctx.get(), params));
  const int ok = EVP_PKEY_verify(
      ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
      reinterpret_cast<const unsigned char*>(digest.data()), digest.size());
  if (ok != 1) return VerificationFailed();
  return absl::OkStatus();
}

bool operator==(const PublicKey& a, const PublicKey& b) {
  return EVP_PKEY_eq(a.key_.get(), b.key_.get()) == 1;
}

namespace {

// Hands OpenSSL the caller's password, or refuses (instead of prompting on a terminal).
int PasswordCallback(char* buffer, int size, int /*rwflag*/, void* user) {
  const auto* password = static_cast<const absl::string_view*>(user);
  if (password == nullptr || password->empty() || password->size() > static_cast<size_t>(size)) {
    return -1;
  }
  std::memcpy(buffer, password->data(), password->size());
  return static_cast<int>(password->size());
}

}  // namespace

absl::StatusOr<PrivateKey> PrivateKey::ParsePem(absl::string_view pem, absl::string_view password) {
  if (internal::IsCosignEncryptedKey(pem)) {
    BULWARK_ASSIGN_OR_RETURN(std::string der, internal::DecryptCosignKey(pem, password));
    const unsigned char* cursor = reinterpret_cast<const unsigned char*>(der.data());
    // PKCS#8 only, as cosign (x509.ParsePKCS8PrivateKey): a SEC1 key inside is an error.
    std::unique_ptr<PKCS8_PRIV_KEY_INFO,
                    internal::OpensslDeleter<PKCS8_PRIV_KEY_INFO, PKCS8_PRIV_KEY_INFO_free>>
        info(d2i_PKCS8_PRIV_KEY_INFO(nullptr, &cursor, static_cast<long>(der.size())));
    const bool whole = cursor == reinterpret_cast<const unsigned char*>(der.data()) + der.size();
    EvpPkeyPtr key(info != nullptr && whole ? EVP_PKCS82PKEY(info.get()) : nullptr);
    OPENSSL_cleanse(der.data(), der.size());
    if (key == nullptr) {
      return internal::OpensslStatus(absl::StatusCode::kInvalidArgument,
                                     "cosign encrypted key: the decrypted key is not PKCS#8");
    }
    BULWARK_ASSIGN_OR_RETURN(PublicKey public_key, PublicKey::FromEvp(key.get()));
    return PrivateKey(internal::ShareKey(key.get()), std::move(public_key));
  }
  internal::BioPtr bio = internal::MemoryBio(pem);
  EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, PasswordCallback,
                                         const_cast<absl::string_view*>(&password)));
  if (key == nullptr) {
    return internal::OpensslStatus(absl::StatusCode::kInvalidArgument,
                                   "no PEM private key that decodes");
  }
  BULWARK_ASSIGN_OR_RETURN(PublicKey public_key, PublicKey::FromEvp(key.get()));
  return PrivateKey(internal::ShareKey(key.get()), std::move(public_key));
}

absl::StatusOr<PrivateKey> PrivateKey::Generate(KeyAlgorithm algorithm, int rsa_bits) {
  EVP_PKEY* raw = nullptr;
  switch (algorithm) {
    case KeyAlgorithm::kEcdsaP256:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
      break;
    case KeyAlgorithm::kEcdsaP384:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
      break;
    case KeyAlgorithm::kEcdsaP521:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-521");
      break;
    case KeyAlgorithm::kRsa:
      if (rsa_bits < 2048 || rsa_bits > 4096) {
        return absl::InvalidArgumentError(
            absl::StrCat("RSA key size ", rsa_bits, " outside 2048..4096"));
      }
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(rsa_bits));
      break;
    case KeyAlgorithm::kEd25519:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
      break;
  }
  EvpPkeyPtr key(raw);
  if (key == nullptr) return internal::OpensslStatus(absl::StatusCode::kInternal, "key generation");
  BULWARK_ASSIGN_OR_RETURN(PublicKey public_key, PublicKey::FromEvp(key.get()));
  return PrivateKey(internal::ShareKey(key.get()), std::move(public_key));
}

std::string PrivateKey::Pem() const {
  internal::BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr);
  return internal::BioContents(bio.get());
}

absl::StatusOr<std::string> PrivateKey::EncryptedCosignPem(absl::string_view password) const {
  internal::BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr ||
      i2d_PKCS8PrivateKey_bio(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return internal::OpensslStatus(absl::StatusCode::kInternal, "PKCS#8 encoding");
  }
  std::string der = internal::BioContents(bio.get());
  absl::StatusOr<std::string> pem = internal::EncryptCosignKey(der, password);
  OPENSSL_cleanse(der.data(), der.size());
  return pem;
}

absl::StatusOr<std::string> PrivateKey::Sign(absl::string_view message,
                                             const SignatureParams& params) const {
  const KeyAlgorithm algorithm = public_key_.algorithm();
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  const EVP_MD* md = algorithm == KeyAlgorithm::kEd25519 ? nullptr : HashMd(params.hash);
  if (ctx == nullptr || EVP_DigestSignInit(ctx.get(), &pctx, md, nullptr, key_.get()) != 1) {
    return internal::OpensslStatus(absl::StatusCode::kInvalidArgument, "cannot sign");
  }
  if (algorithm == KeyAlgorithm::kRsa) BULWARK_RETURN_IF_ERROR(ConfigureRsa(pctx, params));
  const auto* data = reinterpret_cast<const unsigned char*>(message.data());
  size_t length = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &length, data, message.size()) != 1) {
    return internal::OpensslStatus(absl::StatusCode::kInternal, "signing");
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, data,
                     message.size()) != 1) {
    return internal::OpensslStatus(absl::StatusCode::kInternal, "signing");
  }
  signature.resize(length);
  if (IsEcdsa(algorithm) && params.ecdsa_encoding == EcdsaEncoding::kP1363) {
    return DerToP1363(key_.get(), signature);
  }
  return signature;
}

absl::Status CheckCosignKeyPolicy(const PublicKey& key) {
  if (key.algorithm() == KeyAlgorithm::kRsa && (key.bits() < 2048 || key.bits() > 4096)) {
    return absl::InvalidArgumentError(
        absl::StrCat("RSA key of ", key.bits(), " bits: cosign accepts 2048 to 4096"));
  }
  return absl::OkStatus();
}

}  // namespace bulwark::sign
