// `bulwark notation verify LAYOUT --trust-policy FILE --trust-store DIR --image REF`: verifies
// the Notary Project signatures stored as OCI referrers of an image in a layout, with the
// notation trust policy whose registry scope names the image's repository.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/examples/cli/command.h"
#include "bulwark/examples/cli/stdout_writer.h"
#include "bulwark/image/sign/notation.h"

namespace bulwark::cli {
namespace {

// "registry/repository" of an image reference (tag and digest removed).
std::string Repository(std::string reference) {
  reference = reference.substr(0, reference.find('@'));
  const size_t colon = reference.rfind(':');
  const size_t slash = reference.rfind('/');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    reference.resize(colon);
  }
  return reference;
}

}  // namespace

absl::StatusOr<ExitCode> RunNotationVerify(const ParsedArgs& args) {
  const std::string* policy_path = args.Find("trust-policy");
  const std::string* store = args.Find("trust-store");
  const std::string* image = args.Find("image");
  if (policy_path == nullptr || store == nullptr || image == nullptr) {
    return absl::InvalidArgumentError("--trust-policy, --trust-store and --image are required");
  }
  BULWARK_ASSIGN_OR_RETURN(std::string policy_text, core::ReadFileToString(*policy_path, 16 << 20));
  BULWARK_ASSIGN_OR_RETURN(std::vector<sign::NotationTrustPolicy> policies,
                           sign::ParseNotationTrustPolicy(policy_text, {}, *policy_path));
  const std::string repository = Repository(*image);
  const sign::NotationTrustPolicy* policy = sign::FindNotationTrustPolicy(policies, repository);
  if (policy == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat("no trust policy's registry scope covers ", repository));
  }
  if (policy->level == sign::NotationLevel::kSkip) {
    WriteToStdout(
        absl::StrCat(repository, ": trust policy \"", policy->name, "\" skips verification\n"));
    return ExitCode::kOk;
  }
  sign::NotationVerifyOptions options;
  BULWARK_ASSIGN_OR_RETURN(options.trust,
                           sign::LoadNotationTrustStores(*store, policy->trust_stores));
  options.trusted_identities = policy->trusted_identities;
  options.checks = policy->checks;
  const std::string* ref = args.Find("ref");
  BULWARK_ASSIGN_OR_RETURN(
      std::vector<sign::NotationSignatureCheck> checks,
      sign::VerifyNotationOciLayout(args.positional[0], ref != nullptr ? *ref : "", options));
  std::string report;
  bool verified = false;
  for (const sign::NotationSignatureCheck& check : checks) {
    verified = verified || check.status.ok();
    absl::StrAppend(&report, check.source, ": ",
                    check.status.ok() ? "verified" : std::string(check.status.message()));
    if (check.verification.has_value() && !check.verification->logged.empty()) {
      absl::StrAppend(&report, " (logged: ", absl::StrJoin(check.verification->logged, "; "), ")");
    }
    report.push_back('\n');
  }
  if (checks.empty()) report = "no notation signatures found\n";
  if (!verified) {
    return absl::PermissionDeniedError(
        absl::StrCat("trust policy \"", policy->name, "\": no signature verified\n", report));
  }
  WriteToStdout(absl::StrCat("trust policy \"", policy->name, "\"\n", report));
  return ExitCode::kOk;
}

}  // namespace bulwark::cli
