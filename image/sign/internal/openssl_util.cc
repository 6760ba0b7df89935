#include "bulwark/image/sign/internal/openssl_util.h"

#include <openssl/err.h>

#include <climits>

#include "absl/strings/str_cat.h"

namespace bulwark::sign::internal {

BioPtr MemoryBio(absl::string_view data) {
  // A string_view longer than INT_MAX cannot be a key or certificate; an empty BIO then fails.
  const int size = data.size() > INT_MAX ? 0 : static_cast<int>(data.size());
  return BioPtr(BIO_new_mem_buf(data.data(), size));
}

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : std::string();
}

std::string TakeOpensslError() {
  const unsigned long error = ERR_peek_error();
  std::string text;
  if (error != 0) {
    const char* reason = ERR_reason_error_string(error);
    text = absl::StrCat("; ", reason != nullptr ? reason : "OpenSSL error");
  }
  ERR_clear_error();
  return text;
}

void ClearOpensslErrors() { ERR_clear_error(); }

absl::Status OpensslStatus(absl::StatusCode code, absl::string_view what) {
  return absl::Status(code, absl::StrCat(what, TakeOpensslError()));
}

std::shared_ptr<EVP_PKEY> ShareKey(EVP_PKEY* key) {
  EVP_PKEY_up_ref(key);
  return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

}  // namespace bulwark::sign::internal
