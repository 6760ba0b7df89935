#include "bulwark/image/sign/internal/cosign_key.h"

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <sodium.h>

#include <cstdint>
#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/document.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/sign/internal/openssl_util.h"

namespace bulwark::sign::internal {
namespace {

constexpr absl::string_view kSigstoreBlock = "ENCRYPTED SIGSTORE PRIVATE KEY";
constexpr absl::string_view kCosignBlock = "ENCRYPTED COSIGN PRIVATE KEY";
constexpr uint64_t kMaxScryptBytes = uint64_t{256} << 20;
constexpr uint64_t kMaxScryptP = 16;

absl::Status Malformed(absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("cosign encrypted key: ", why));
}

struct ScryptParams {
  uint64_t n = 32768;
  uint64_t r = 8;
  uint64_t p = 1;
};

absl::StatusOr<std::string> Scrypt(absl::string_view password, absl::string_view salt,
                                   const ScryptParams& params) {
  std::unique_ptr<EVP_KDF, OpensslDeleter<EVP_KDF, EVP_KDF_free>> kdf(
      EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_SCRYPT, nullptr));
  if (kdf == nullptr) return OpensslStatus(absl::StatusCode::kInternal, "scrypt unavailable");
  std::unique_ptr<EVP_KDF_CTX, OpensslDeleter<EVP_KDF_CTX, EVP_KDF_CTX_free>> ctx(
      EVP_KDF_CTX_new(kdf.get()));
  if (ctx == nullptr) return OpensslStatus(absl::StatusCode::kInternal, "scrypt context");
  uint64_t n = params.n;
  uint32_t r = static_cast<uint32_t>(params.r);
  uint32_t p = static_cast<uint32_t>(params.p);
  uint64_t max_memory = kMaxScryptBytes + (uint64_t{1} << 20);
  const OSSL_PARAM kdf_params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, const_cast<char*>(password.data()),
                                        password.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<char*>(salt.data()),
                                        salt.size()),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &max_memory),
      OSSL_PARAM_construct_end(),
  };
  std::string key(crypto_secretbox_KEYBYTES, '\0');
  if (EVP_KDF_derive(ctx.get(), reinterpret_cast<unsigned char*>(key.data()), key.size(),
                     kdf_params) != 1) {
    return OpensslStatus(absl::StatusCode::kInvalidArgument, "cosign encrypted key: scrypt");
  }
  return key;
}

absl::StatusOr<std::string> Base64Member(const core::Value& json, absl::string_view path) {
  absl::StatusOr<const core::Value*> value = json.Lookup(path);
  std::string decoded;
  if (!value.ok() || !(*value)->is_string() ||
      !absl::Base64Unescape((*value)->string_value(), &decoded)) {
    return Malformed(absl::StrCat(path, " is missing or not base64"));
  }
  return decoded;
}

absl::StatusOr<uint64_t> PositiveMember(const core::Value& json, absl::string_view path) {
  absl::StatusOr<const core::Value*> value = json.Lookup(path);
  if (!value.ok() || !(*value)->is_int() || (*value)->int_value() <= 0) {
    return Malformed(absl::StrCat(path, " is missing or not a positive integer"));
  }
  return static_cast<uint64_t>((*value)->int_value());
}

absl::Status InitSodium() {
  if (sodium_init() < 0) return absl::InternalError("libsodium failed to initialise");
  return absl::OkStatus();
}

}  // namespace

bool IsCosignEncryptedKey(absl::string_view pem) {
  return absl::StrContains(pem, absl::StrCat("-----BEGIN ", kSigstoreBlock, "-----")) ||
         absl::StrContains(pem, absl::StrCat("-----BEGIN ", kCosignBlock, "-----"));
}

absl::StatusOr<std::string> DecryptCosignKey(absl::string_view pem, absl::string_view password) {
  BioPtr bio = MemoryBio(pem);
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long length = 0;
  if (PEM_read_bio(bio.get(), &name, &header, &data, &length) != 1) {
    return OpensslStatus(absl::StatusCode::kInvalidArgument, "cosign encrypted key: PEM");
  }
  const std::string block_name(name);
  const std::string body(reinterpret_cast<const char*>(data), static_cast<size_t>(length));
  OPENSSL_free(name);
  OPENSSL_free(header);
  OPENSSL_free(data);
  if (block_name != kSigstoreBlock && block_name != kCosignBlock) {
    return Malformed(absl::StrCat("PEM block \"", block_name, "\""));
  }
  BULWARK_ASSIGN_OR_RETURN(core::Value json, core::ParseJson(body, {}, "cosign encrypted key"));
  absl::StatusOr<const core::Value*> kdf = json.Lookup("kdf.name");
  absl::StatusOr<const core::Value*> cipher = json.Lookup("cipher.name");
  if (!kdf.ok() || !(*kdf)->is_string() || (*kdf)->string_value() != "scrypt") {
    return Malformed("kdf.name is not \"scrypt\"");
  }
  if (!cipher.ok() || !(*cipher)->is_string() || (*cipher)->string_value() != "nacl/secretbox") {
    return Malformed("cipher.name is not \"nacl/secretbox\"");
  }
  ScryptParams params;
  BULWARK_ASSIGN_OR_RETURN(params.n, PositiveMember(json, "kdf.params.N"));
  BULWARK_ASSIGN_OR_RETURN(params.r, PositiveMember(json, "kdf.params.r"));
  BULWARK_ASSIGN_OR_RETURN(params.p, PositiveMember(json, "kdf.params.p"));
  if (params.p > kMaxScryptP || params.r > kMaxScryptBytes / 128 ||
      params.n > kMaxScryptBytes / (128 * params.r)) {
    return Malformed(absl::StrCat("scrypt parameters N=", params.n, " r=", params.r,
                                  " p=", params.p, " exceed the 256 MiB / p<=16 limit"));
  }
  BULWARK_ASSIGN_OR_RETURN(std::string salt, Base64Member(json, "kdf.salt"));
  BULWARK_ASSIGN_OR_RETURN(std::string nonce, Base64Member(json, "cipher.nonce"));
  BULWARK_ASSIGN_OR_RETURN(std::string ciphertext, Base64Member(json, "ciphertext"));
  if (nonce.size() != crypto_secretbox_NONCEBYTES) {
    return Malformed(
        absl::StrCat("nonce is ", nonce.size(), " bytes, not ", crypto_secretbox_NONCEBYTES));
  }
  if (ciphertext.size() < crypto_secretbox_MACBYTES) return Malformed("ciphertext too short");
  BULWARK_ASSIGN_OR_RETURN(std::string key, Scrypt(password, salt, params));
  BULWARK_RETURN_IF_ERROR(InitSodium());
  std::string plaintext(ciphertext.size() - crypto_secretbox_MACBYTES, '\0');
  const int opened = crypto_secretbox_open_easy(
      reinterpret_cast<unsigned char*>(plaintext.data()),
      reinterpret_cast<const unsigned char*>(ciphertext.data()), ciphertext.size(),
      reinterpret_cast<const unsigned char*>(nonce.data()),
      reinterpret_cast<const unsigned char*>(key.data()));
  sodium_memzero(key.data(), key.size());
  if (opened != 0) {
    return absl::PermissionDeniedError("cosign encrypted key: wrong password or corrupted key");
  }
  return plaintext;
}

absl::StatusOr<std::string> EncryptCosignKey(absl::string_view pkcs8_der,
                                             absl::string_view password) {
  BULWARK_RETURN_IF_ERROR(InitSodium());
  std::string salt(32, '\0');
  std::string nonce(crypto_secretbox_NONCEBYTES, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), static_cast<int>(salt.size())) !=
      1) {
    return OpensslStatus(absl::StatusCode::kInternal, "random salt");
  }
  randombytes_buf(nonce.data(), nonce.size());
  const ScryptParams params;
  BULWARK_ASSIGN_OR_RETURN(std::string key, Scrypt(password, salt, params));
  std::string ciphertext(pkcs8_der.size() + crypto_secretbox_MACBYTES, '\0');
  crypto_secretbox_easy(reinterpret_cast<unsigned char*>(ciphertext.data()),
                        reinterpret_cast<const unsigned char*>(pkcs8_der.data()), pkcs8_der.size(),
                        reinterpret_cast<const unsigned char*>(nonce.data()),
                        reinterpret_cast<const unsigned char*>(key.data()));
  sodium_memzero(key.data(), key.size());
  const std::string json = absl::StrCat(
      "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":", params.n, ",\"r\":", params.r,
      ",\"p\":", params.p, "},\"salt\":\"", absl::Base64Escape(salt),
      "\"},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"", absl::Base64Escape(nonce),
      "\"},\"ciphertext\":\"", absl::Base64Escape(ciphertext), "\"}");
  BioPtr out(BIO_new(BIO_s_mem()));
  const std::string block(kSigstoreBlock);
  if (out == nullptr || PEM_write_bio(out.get(), block.c_str(), "",
                                      reinterpret_cast<const unsigned char*>(json.data()),
                                      static_cast<long>(json.size())) <= 0) {
    return OpensslStatus(absl::StatusCode::kInternal, "PEM encoding");
  }
  char* pem_data = nullptr;
  const long pem_size = BIO_get_mem_data(out.get(), &pem_data);
  return std::string(pem_data, static_cast<size_t>(pem_size));
}

}  // namespace bulwark::sign::internal
