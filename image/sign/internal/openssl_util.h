// Owning pointers for OpenSSL objects and OpenSSL error text, shared by the image/sign sources.
// Thread safety: the helpers share no state (the error queue is per thread).
#ifndef BULWARK_IMAGE_SIGN_INTERNAL_OPENSSL_UTIL_H_
#define BULWARK_IMAGE_SIGN_INTERNAL_OPENSSL_UTIL_H_

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace bulwark::sign::internal {

template <typename T, void (*Free)(T*)>
struct OpensslDeleter {
  void operator()(T* p) const { Free(p); }
};

using BioPtr = std::unique_ptr<BIO, OpensslDeleter<BIO, BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, OpensslDeleter<BIGNUM, BN_free>>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OpensslDeleter<EVP_PKEY, EVP_PKEY_free>>;
using EvpPkeyCtxPtr =
    std::unique_ptr<EVP_PKEY_CTX, OpensslDeleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpensslDeleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, OpensslDeleter<ECDSA_SIG, ECDSA_SIG_free>>;
using X509Ptr = std::unique_ptr<X509, OpensslDeleter<X509, X509_free>>;

// A read-only memory BIO over `data`, which must outlive the BIO.
BioPtr MemoryBio(absl::string_view data);

// Everything in a memory BIO as a string.
std::string BioContents(BIO* bio);

// Takes OpenSSL's error queue of this thread (and clears it): "" when empty, otherwise
// "; <reason>" for the first error, to append to a message.
std::string TakeOpensslError();

// Clears this thread's OpenSSL error queue (after expected failures).
void ClearOpensslErrors();

// An error of `code` with "<what>" plus the OpenSSL reason, clearing the queue.
absl::Status OpensslStatus(absl::StatusCode code, absl::string_view what);

// Shares ownership of `key` (takes one reference) in a shared_ptr that frees it.
std::shared_ptr<EVP_PKEY> ShareKey(EVP_PKEY* key);

}  // namespace bulwark::sign::internal

#endif  // BULWARK_IMAGE_SIGN_INTERNAL_OPENSSL_UTIL_H_
