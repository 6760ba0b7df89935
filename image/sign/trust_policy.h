// The image trust policy: one YAML document that maps image scopes (registry/repository globs)
// to what must hold before an image is admitted — signers (public keys, keyless identities and
// issuers), a minimum number of distinct signers, required in-toto attestations with predicate
// conditions — or marks a scope "skip". Evaluation returns the decision with the outcome and
// reason of every requirement; the admission controller consumes it.
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
//             identity:
//             https://github.com/example/app/.github/workflows/release.yml@refs/heads/main issuer:
//             https://token.actions.githubusercontent.com   # or identityRegexp/issuerRegexp
//       attestations:
//         - name: provenance
//           predicateType: slsaprovenance1  # URI or cosign short name
//           signers: [ci]                   # default: any signer of the scope
//           conditions:                     # Value::Lookup paths into the predicate
//             - path: runDetails.builder.id
//               equals: https://github.com/slsa-framework/slsa-github-generator/...
//             - path: buildDefinition.externalParameters.workflow.repository
//               matches: "https://github\\.com/example/.*"      # RE2, full match
//
// Scopes are tried in document order; the first whose glob matches the image's repository
// ("registry/path", tag and digest removed) decides. In globs `*` matches within one path
// segment and `**` across segments. An image no scope matches is denied.
// Thread safety: a parsed TrustPolicy is immutable; evaluate it from any thread.
#ifndef BULWARK_IMAGE_SIGN_TRUST_POLICY_H_
#define BULWARK_IMAGE_SIGN_TRUST_POLICY_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/limits.h"
#include "bulwark/image/sign/attestation.h"
#include "bulwark/image/sign/cosign.h"
#include "bulwark/image/sign/trust_root.h"

namespace bulwark::sign {

struct PolicySigner {
  std::string name;
  CosignVerifyOptions options;  // key, or identity/issuer with the policy's trusted root
};

struct PredicateCondition {
  std::string path;  // core::Value::Lookup path into the predicate.
  std::optional<std::string> equals;
  std::string matches;  // RE2 full match over a string value; "" when unused.
};

struct AttestationRequirement {
  std::string name;
  std::string predicate_type;        // A URI (short names resolved when parsing).
  std::vector<std::string> signers;  // Names; empty means any signer of the scope.
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
// <what>" for unknown members, wrong types, a signer with neither or both of key and keyless,
// keyless without issuer, unknown signer names in attestations, globs or RE2 patterns that do
// not compile, conditions without equals/matches; NotFound for a missing key file.
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
// given the signature and attestation layers found next to it. Never fails: every problem is a
// reason in the decision.
PolicyDecision EvaluateTrustPolicy(const TrustPolicy& policy, absl::string_view reference,
                                   const core::Digest& image,
                                   absl::Span<const CosignSignature> signatures,
                                   absl::Span<const CosignSignature> attestations);

// Resolves `layout_ref` in the OCI layout, finds its signatures and attestations, and evaluates.
// Errors: those of reading the layout.
absl::StatusOr<PolicyDecision> EvaluateTrustPolicyForLayout(const TrustPolicy& policy,
                                                            absl::string_view reference,
                                                            absl::string_view layout_dir,
                                                            absl::string_view layout_ref,
                                                            const core::Limits& limits = {});

}  // namespace bulwark::sign

#endif  // BULWARK_IMAGE_SIGN_TRUST_POLICY_H_
