// The image trust policy: one YAML document that maps image scopes (registry/repository globs)
// to what must hold before an image is admitted — signers (public keys, keyless identities and
// issuers, Notary Project trust stores), a minimum number of distinct signers, required in-toto
// attestations with predicate conditions — or marks a scope "skip". Evaluation returns the
// decision with the outcome and reason of every requirement; the admission controller consumes it.
//
//   apiVersion: bulwark.dev/v1
//   kind: TrustPolicy
//   trustedRoot: trusted_root.json          # keyless signers (path relative to the policy)
//   scopes:
//     - name: system
//       match: ["registry.k8s.io/**"]
//       skip: true                          # admitted without checks (reported as skipped)
//     - name: prod
//       match: ["ghcr.io/example/*", "registry.example.com/prod/**"]
//       minSignatures: 2                    # distinct signers; default 1
//       signers:
//         - name: release-key
//           keyFile: keys/release.pub       # or key: <PEM>
//         - name: ci
//           keyless:
//             identity: https://github.com/ex/app/.github/workflows/rel.yml@refs/heads/main
//             issuer: https://token.actions.githubusercontent.com  # or identityRegexp/issuerRegexp
//         - name: wabbit                    # a Notary Project signature (JWS or COSE referrer)
//           notation:
//             trustStore: truststore        # notation's layout <dir>/x509/<type>/<name>/
//             trustStores: ["ca:wabbit-networks", "tsa:wabbit-tsa"]
//             certificates:                 # and/or certificates named one by one
//               - {type: ca, file: certs/root.crt}   # type ca|signingAuthority|tsa; file or pem
//             trustedIdentities: ["x509.subject: C=US, O=wabbit-networks.io"]   # or "*"
//             signatureVerification: {level: strict}   # as in trustpolicy.json
//       attestations:
//         - name: provenance
//           predicateType: slsaprovenance1  # URI or cosign short name
//           signers: [ci]                   # cosign signers; default: any of the scope's
//           conditions:                     # Value::Lookup paths into the predicate
//             - path: runDetails.builder.id
//               equals: https://github.com/slsa-framework/slsa-github-generator/...
//             - path: buildDefinition.externalParameters.workflow.repository
//               matches: "https://github\\.com/example/.*"      # RE2, full match
//
// Scopes are tried in document order; the first whose glob matches the image's repository
// ("registry/path", tag and digest removed) decides. In globs `*` matches within one path
// segment and `**` across segments. An image no scope matches is denied. A notation signer counts
// toward minSignatures like a cosign signer when one notation signature of the image verifies
// with notation's rules (notation.h) against its certificates at its level.
// Thread safety: a parsed TrustPolicy is immutable; evaluate it from any thread.
#ifndef BULWARK_IMAGE_SIGN_TRUST_POLICY_H_
#define BULWARK_IMAGE_SIGN_TRUST_POLICY_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/limits.h"
#include "bulwark/image/sign/attestation.h"
#include "bulwark/image/sign/cosign.h"
#include "bulwark/image/sign/notation.h"
#include "bulwark/image/sign/trust_root.h"

namespace bulwark::sign {

struct PolicySigner {
  std::string name;
  CosignVerifyOptions options;  // key, or identity/issuer with the policy's trusted root
  // Set for a notation signer (then `options` is unused): trust stores, trusted identities and
  // the level's checks; `now` and `artifact` are set when evaluating.
  std::optional<NotationVerifyOptions> notation;
};

struct PredicateCondition {
  std::string path;  // core::Value::Lookup path into the predicate.
  std::optional<std::string> equals;
  std::string matches;  // RE2 full match over a string value; "" when unused.
};

struct AttestationRequirement {
  std::string name;
  std::string predicate_type;        // A URI (short names resolved when parsing).
  std::vector<std::string> signers;  // Names; empty means any cosign signer of the scope.
  std::vector<PredicateCondition> conditions;
};

struct PolicyScope {
  std::string name;
  std::vector<std::string> match;  // Globs over "registry/repository".
  bool skip = false;
  int min_signatures = 1;
  std::vector<PolicySigner> signers;
  std::vector<AttestationRequirement> attestations;
};

struct TrustPolicy {
  std::vector<PolicyScope> scopes;
  std::shared_ptr<const TrustedRoot> trusted_root;  // Null when no keyless signer needs it.
};

// Parses the YAML (or JSON) policy. `base_dir` resolves keyFile and trustedRoot paths (they may
// not leave it: no absolute paths or ".."). Errors: InvalidArgument "<source>:<line>:<column>:
// <what>" for unknown members, wrong types, a signer without exactly one of key, keyFile,
// keyless and notation, keyless without issuer, a notation signer without trusted identities or
// without a ca/signingAuthority certificate, or at level skip, unknown or notation signer names
// in attestations, globs or RE2 patterns that do not compile, conditions without
// equals/matches; NotFound for a missing key file or trust store.
absl::StatusOr<TrustPolicy> ParseTrustPolicy(absl::string_view yaml, absl::string_view base_dir,
                                             const core::Limits& limits = {},
                                             absl::string_view source = "<trust policy>");
// Reads the file and parses it with its directory as base_dir.
absl::StatusOr<TrustPolicy> LoadTrustPolicy(const std::string& path,
                                            const core::Limits& limits = {});

// The outcome of one requirement ("signatures", "attestation <name>").
struct RequirementResult {
  std::string requirement;
  bool satisfied = false;
  std::string reason;  // Why it failed, or what satisfied it.
};

struct PolicyDecision {
  bool allowed = false;
  std::string image;  // The reference evaluated.
  std::string scope;  // The matching scope's name; "" when none matched.
  bool skipped = false;
  std::vector<RequirementResult> requirements;
  // "allow"/"deny" line with the scope, then one line per requirement.
  std::string Summary() const;
};

// Which scope applies to `reference`; nullptr when none matches.
const PolicyScope* FindScope(const TrustPolicy& policy, absl::string_view reference);

// Decides for the image `reference` (used for scope matching) whose manifest digest is `image`,
// given the cosign signature, cosign attestation and notation signature layers found next to it
// (FindOciLayoutSignatures, FindOciLayoutAttestations, FindOciLayoutNotationSignatures).
// Notation signatures are checked at `now` (expiry, chain validity without a countersignature).
// Never fails: every problem is a reason in the decision.
PolicyDecision EvaluateTrustPolicy(const TrustPolicy& policy, absl::string_view reference,
                                   const core::Digest& image,
                                   absl::Span<const CosignSignature> signatures,
                                   absl::Span<const CosignSignature> attestations,
                                   absl::Span<const CosignSignature> notation_signatures = {},
                                   absl::Time now = absl::Now());

// Resolves `layout_ref` in the OCI layout (a digest is taken as it is, even when only its
// signatures are in the layout, as notation does), finds its cosign signatures, attestations and
// notation signatures, and evaluates now. Errors: those of reading the layout.
absl::StatusOr<PolicyDecision> EvaluateTrustPolicyForLayout(const TrustPolicy& policy,
                                                            absl::string_view reference,
                                                            absl::string_view layout_dir,
                                                            absl::string_view layout_ref,
                                                            const core::Limits& limits = {});

}  // namespace bulwark::sign

#endif  // BULWARK_IMAGE_SIGN_TRUST_POLICY_H_
