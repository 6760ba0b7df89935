// A Sigstore trusted root (trusted_root.json, media type
// application/vnd.dev.sigstore.trustedroot+json;version=0.1 or 0.2, or a ClientTrustConfig that
// embeds one): certificate authorities (Fulcio), transparency logs (Rekor v1 and v2), CT logs
// and timestamp authorities, each with its validity window.
//   BULWARK_ASSIGN_OR_RETURN(auto root, TrustedRoot::Load("trusted_root.json"));
//   BULWARK_ASSIGN_OR_RETURN(BundleVerification v, VerifyBundle(bundle, artifact, *root, policy));
// Thread safety: a TrustedRoot is immutable after Parse/Load (its cache of verified
// intermediates is internally synchronized); share it across threads.
#ifndef BULWARK_IMAGE_SIGN_TRUST_ROOT_H_
#define BULWARK_IMAGE_SIGN_TRUST_ROOT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bulwark/core/limits.h"
#include "bulwark/image/sign/certificate.h"
#include "bulwark/image/sign/sct.h"
#include "bulwark/image/sign/tlog.h"

namespace bulwark::sign {

// A CA (Fulcio) or a timestamp authority: its chain, leaf (or intermediate) first, root last.
struct CertificateAuthority {
  std::string uri;
  std::vector<Certificate> chain;
  absl::Time valid_from = absl::InfinitePast();
  absl::Time valid_until = absl::InfiniteFuture();
};

class TrustedRoot {
 public:
  // Errors: InvalidArgument "<source>: <json path>: <problem>" for an unknown media type, a
  // certificate authority without certificates, keys or certificates that do not decode;
  // Internal when the CT log store cannot be built (see CtLogStore::Create).
  // Keys of types Bulwark does not verify with are skipped (listed in skipped_keys()).
  static absl::StatusOr<std::shared_ptr<const TrustedRoot>> Parse(
      absl::string_view json, const core::Limits& limits = {},
      absl::string_view source = "<trusted_root>");
  static absl::StatusOr<std::shared_ptr<const TrustedRoot>> Load(const std::string& path,
                                                                 const core::Limits& limits = {});

  const std::vector<TransparencyLogKey>& tlogs() const { return tlogs_; }
  const std::vector<TransparencyLogKey>& ctlogs() const { return ctlogs_; }
  // ctlogs() in OpenSSL's form, built once by Parse.
  const CtLogStore& ct_log_store() const { return *ct_log_store_; }
  const std::vector<CertificateAuthority>& certificate_authorities() const { return cas_; }
  const std::vector<CertificateAuthority>& timestamp_authorities() const { return tsas_; }
  // "<json path>: <why>" for each key that was skipped.
  const std::vector<std::string>& skipped_keys() const { return skipped_keys_; }
  // Intermediates of this root's certificate authorities already verified (ChainOptions::cache);
  // lives as long as the TrustedRoot.
  IntermediateCache& intermediate_cache() const { return *intermediate_cache_; }

 private:
  TrustedRoot() = default;
  std::vector<TransparencyLogKey> tlogs_;
  std::vector<TransparencyLogKey> ctlogs_;
  std::shared_ptr<const CtLogStore> ct_log_store_;
  std::vector<CertificateAuthority> cas_;
  std::vector<CertificateAuthority> tsas_;
  std::vector<std::string> skipped_keys_;
  std::unique_ptr<IntermediateCache> intermediate_cache_ = std::make_unique<IntermediateCache>();
};

}  // namespace bulwark::sign

#endif  // BULWARK_IMAGE_SIGN_TRUST_ROOT_H_
