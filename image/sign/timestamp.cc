#include "bulwark/image/sign/timestamp.h"

#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/pkcs7.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/image/sign/internal/openssl_util.h"

namespace bulwark::sign {
namespace {

using TsRespPtr = std::unique_ptr<TS_RESP, internal::OpensslDeleter<TS_RESP, TS_RESP_free>>;
using Pkcs7Ptr = std::unique_ptr<PKCS7, internal::OpensslDeleter<PKCS7, PKCS7_free>>;
using CmsPtr = std::unique_ptr<CMS_ContentInfo,
                               internal::OpensslDeleter<CMS_ContentInfo, CMS_ContentInfo_free>>;
using TsTstInfoPtr =
    std::unique_ptr<TS_TST_INFO, internal::OpensslDeleter<TS_TST_INFO, TS_TST_INFO_free>>;

absl::Status Denied(absl::string_view why) {
  return absl::PermissionDeniedError(
      absl::StrCat("timestamp: ", why, internal::TakeOpensslError()));
}

absl::StatusOr<absl::Time> GenTime(const TS_TST_INFO* info) {
  struct tm tm = {};
  const ASN1_GENERALIZEDTIME* time = TS_TST_INFO_get_time(info);
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) return Denied("no genTime");
  return absl::FromTimeT(timegm(&tm));
}

// The message imprint must be the digest of `data` with the imprint's algorithm.
absl::Status CheckImprint(TS_TST_INFO* info, absl::string_view data) {
  TS_MSG_IMPRINT* imprint = TS_TST_INFO_get_msg_imprint(info);
  const ASN1_OBJECT* algorithm = nullptr;
  X509_ALGOR_get0(&algorithm, nullptr, nullptr, TS_MSG_IMPRINT_get_algo(imprint));
  const EVP_MD* md = EVP_get_digestbyobj(algorithm);
  if (md == nullptr) return Denied("unknown message imprint algorithm");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, md, nullptr) != 1) {
    return Denied("digest");
  }
  const ASN1_OCTET_STRING* expected = TS_MSG_IMPRINT_get_msg(imprint);
  if (ASN1_STRING_length(expected) != static_cast<int>(length) ||
      CRYPTO_memcmp(ASN1_STRING_get0_data(expected), digest, length) != 0) {
    return Denied("message imprint is not the digest of the signature");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<absl::Time> VerifyRfc3161Timestamp(
    absl::string_view response, absl::string_view signed_data,
    absl::Span<const CertificateAuthority> authorities) {
  const auto* p = reinterpret_cast<const unsigned char*>(response.data());
  Pkcs7Ptr token;
  TsRespPtr resp(d2i_TS_RESP(nullptr, &p, static_cast<long>(response.size())));
  if (resp != nullptr) {
    if (TS_RESP_get_token(resp.get()) == nullptr) return Denied("response holds no token");
    token.reset(PKCS7_dup(TS_RESP_get_token(resp.get())));
  } else {
    internal::ClearOpensslErrors();
    p = reinterpret_cast<const unsigned char*>(response.data());
    token.reset(d2i_PKCS7(nullptr, &p, static_cast<long>(response.size())));
  }
  if (token == nullptr) return Denied("not a DER TimeStampResp or TimeStampToken");
  TsTstInfoPtr info(PKCS7_to_TS_TST_INFO(token.get()));
  if (info == nullptr) return Denied("token holds no TSTInfo");
  absl::StatusOr<absl::Time> time = GenTime(info.get());
  if (!time.ok()) return time.status();
  if (absl::Status status = CheckImprint(info.get(), signed_data); !status.ok()) return status;

  // The CMS signature over the TSTInfo (signed attributes included). The signer's chain is
  // checked below against the trust root, with the timeStamping usage, at the timestamp's time.
  // ESS signingCertificate(V2) attributes are not compared (as sigstore-go and sigstore-js).
  unsigned char* der = nullptr;
  const int der_length = i2d_PKCS7(token.get(), &der);
  if (der_length <= 0) return Denied("token re-encoding");
  const unsigned char* q = der;
  CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &q, der_length));
  OPENSSL_free(der);
  if (cms == nullptr) return Denied("token is not CMS SignedData");

  std::string last_error = "no timestamp authority in the trust root";
  for (const CertificateAuthority& authority : authorities) {
    if (*time < authority.valid_from || *time > authority.valid_until) {
      if (last_error.rfind("does not verify", 0) != 0) {
        last_error = "time outside every timestamp authority's validity";
      }
      continue;
    }
    std::unique_ptr<STACK_OF(X509), void (*)(STACK_OF(X509)*)> certs(
        sk_X509_new_null(), [](STACK_OF(X509) * s) { sk_X509_free(s); });
    for (const Certificate& cert : authority.chain) sk_X509_push(certs.get(), cert.x509());
    if (CMS_verify(cms.get(), certs.get(), nullptr, nullptr, nullptr,
                   CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) != 1) {
      last_error =
          absl::StrCat("does not verify against ", authority.uri, internal::TakeOpensslError());
      continue;
    }
    std::unique_ptr<STACK_OF(X509), void (*)(STACK_OF(X509)*)> signers(
        CMS_get0_signers(cms.get()), [](STACK_OF(X509) * s) { sk_X509_free(s); });
    if (signers == nullptr || sk_X509_num(signers.get()) != 1) {
      last_error = "token must have exactly one signer";
      continue;
    }
    const Certificate signer = Certificate::FromX509(sk_X509_value(signers.get(), 0));
    const uint32_t usage = X509_get_extended_key_usage(signer.x509());
    if (usage == UINT32_MAX || (usage & XKU_TIMESTAMP) == 0) {
      last_error = "signer lacks the timeStamping extended key usage";
      continue;
    }
    // The authority's own intermediates, then the certificates the token carries (RFC 3161
    // certReq; a Notary Project trust store holds only the TSA's root). Untrusted: the anchor
    // is still the authority's last certificate.
    std::vector<Certificate> intermediates(authority.chain.begin(), authority.chain.end() - 1);
    std::unique_ptr<STACK_OF(X509), void (*)(STACK_OF(X509)*)> embedded(
        CMS_get1_certs(cms.get()), [](STACK_OF(X509) * s) { sk_X509_pop_free(s, X509_free); });
    for (int i = 0; embedded != nullptr && i < sk_X509_num(embedded.get()); ++i) {
      intermediates.push_back(Certificate::FromX509(sk_X509_value(embedded.get(), i)));
    }
    ChainOptions options;
    options.require_code_signing = false;
    options.partial_chain = true;
    absl::StatusOr<std::vector<Certificate>> chain =
        VerifyChain(signer, intermediates, {authority.chain.back()}, *time, options);
    if (chain.ok()) return *time;
    last_error =
        absl::StrCat("does not verify against ", authority.uri, ": ", chain.status().message());
  }
  return absl::PermissionDeniedError(absl::StrCat("timestamp: ", last_error));
}

}  // namespace bulwark::sign
