// Sigstore bundles (v0.1, v0.2, v0.3 JSON) verified offline against a TrustedRoot: the signing
// certificate's chain to a Fulcio CA at every verified signing time, its embedded SCTs, the
// signature (message signature or DSSE envelope) over the artifact, every transparency-log entry
// (body consistent with the signature, SET over canonical JSON, RFC 6962 inclusion proof with a
// signed checkpoint; Rekor v1 and v2), RFC 3161 timestamps, and the identity policy.
//   BundlePolicy policy;
//   policy.identity = "https://github.com/org/repo/.github/workflows/release.yml@refs/tags/v1";
//   policy.issuer = "https://token.actions.githubusercontent.com";
//   BULWARK_ASSIGN_OR_RETURN(BundleVerification v,
//                            VerifyBundle(json, Artifact::FromBytes(data), *root, policy));
// Thread safety: functions without shared state; a TrustedRoot may be shared.
#ifndef BULWARK_IMAGE_SIGN_BUNDLE_H_
#define BULWARK_IMAGE_SIGN_BUNDLE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/limits.h"
#include "bulwark/image/sign/certificate.h"
#include "bulwark/image/sign/dsse.h"
#include "bulwark/image/sign/intoto.h"
#include "bulwark/image/sign/keys.h"
#include "bulwark/image/sign/trust_root.h"

namespace bulwark::sign {

// What was signed: the artifact's bytes, or only its SHA-256 digest, or nothing (a DSSE bundle
// is then verified without matching its subject).
struct Artifact {
  std::optional<std::string> bytes;
  std::optional<core::Digest> digest;
  static Artifact FromBytes(std::string data);
  static Artifact FromDigest(core::Digest digest);
};

struct BundlePolicy {
  // The certificate's SAN (email, URI or Sigstore otherName) must equal this, or fully match it
  // as an RE2 regex when identity_is_regex. Empty: not checked.
  std::string identity;
  bool identity_is_regex = false;
  // The Fulcio OIDC issuer (1.3.6.1.4.1.57264.1.8, else .1.1) must equal this, or fully match
  // it as an RE2 regex when issuer_is_regex. Empty: not checked.
  std::string issuer;
  bool issuer_is_regex = false;
  // Key-based bundles (verificationMaterial.publicKey): the key to verify with.
  std::optional<PublicKey> key;
  // Require a transparency-log entry for certificate-based bundles that carry no RFC 3161
  // timestamp. Default: true.
  bool require_tlog = true;
  // Require the embedded SCTs of Fulcio certificates to verify against the trust root's CT logs.
  // Default: true.
  bool require_sct = true;
};

struct BundleVerification {
  std::string version;                     // "0.1", "0.2" or "0.3".
  std::vector<absl::Time> verified_times;  // From SETs and RFC 3161 timestamps.
  // Why each RFC 3161 timestamp that proved no time was not counted.
  std::vector<std::string> ignored_timestamps;
  std::optional<Certificate> certificate;  // The signing certificate, when there is one.
  FulcioExtensions fulcio;                 // Its Fulcio extensions.
  std::optional<DsseEnvelope> envelope;    // For DSSE bundles.
  std::optional<Statement> statement;      // For DSSE bundles carrying an in-toto statement.
};

// Errors: InvalidArgument "bundle: <json path>: ..." for malformed bundles (unsupported media
// type, empty certificate chain, missing inclusion proof/checkpoint in v0.2+, ...);
// PermissionDenied "<step>: ..." when a check fails, where step is one of "bundle" (structure),
// "certificate", "sct", "signature", "dsse", "tlog", "timestamp", "identity", "artifact".
absl::StatusOr<BundleVerification> VerifyBundle(absl::string_view bundle_json,
                                                const Artifact& artifact, const TrustedRoot& root,
                                                const BundlePolicy& policy,
                                                const core::Limits& limits = {});

}  // namespace bulwark::sign

#endif  // BULWARK_IMAGE_SIGN_BUNDLE_H_
