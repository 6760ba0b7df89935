// `bulwark trust-policy evaluate LAYOUT --policy FILE --image REF`: the admission decision of a
// trust policy (image/sign/trust_policy.h) for the image of an OCI layout, with the outcome and
// reason of every requirement.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/core/value.h"
#include "bulwark/examples/cli/command.h"
#include "bulwark/examples/cli/stdout_writer.h"
#include "bulwark/image/sign/trust_policy.h"

namespace bulwark::cli {
namespace {

// {"image", "allowed", "scope", "skipped", "requirements": [{requirement, satisfied, reason}]}
core::Value DecisionJson(const sign::PolicyDecision& decision) {
  core::ValueList requirements;
  for (const sign::RequirementResult& requirement : decision.requirements) {
    requirements.push_back(core::Value(core::ValueMap{
        {"requirement", core::Value(requirement.requirement)},
        {"satisfied", core::Value(requirement.satisfied)},
        {"reason", core::Value(requirement.reason)},
    }));
  }
  return core::Value(core::ValueMap{
      {"image", core::Value(decision.image)},
      {"allowed", core::Value(decision.allowed)},
      {"scope", core::Value(decision.scope)},
      {"skipped", core::Value(decision.skipped)},
      {"requirements", core::Value(std::move(requirements))},
  });
}

}  // namespace

absl::StatusOr<ExitCode> RunTrustPolicyEvaluate(const ParsedArgs& args) {
  const std::string* policy_path = args.Find("policy");
  const std::string* image = args.Find("image");
  if (policy_path == nullptr || image == nullptr) {
    return absl::InvalidArgumentError("--policy and --image are required");
  }
  const std::string* format = args.Find("format");
  if (format != nullptr && *format != "text" && *format != "json") {
    return absl::InvalidArgumentError(absl::StrCat("--format \"", *format, "\": text or json"));
  }
  BULWARK_ASSIGN_OR_RETURN(sign::TrustPolicy policy, sign::LoadTrustPolicy(*policy_path));
  const std::string* ref = args.Find("ref");
  BULWARK_ASSIGN_OR_RETURN(sign::PolicyDecision decision,
                           sign::EvaluateTrustPolicyForLayout(policy, *image, args.positional[0],
                                                              ref != nullptr ? *ref : ""));
  if (format != nullptr && *format == "json") {
    WriteToStdout(absl::StrCat(DecisionJson(decision).ToJson(), "\n"));
  } else {
    WriteToStdout(absl::StrCat(decision.Summary(), "\n"));
  }
  return decision.allowed ? ExitCode::kOk : ExitCode::kFindingsAtOrAboveFailOn;
}

}  // namespace bulwark::cli
