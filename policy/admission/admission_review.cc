#include "bulwark/policy/admission/admission_review.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_macros.h"

namespace bulwark::policy {
namespace {

int ReasonCode(absl::string_view reason) {
  if (reason == "Forbidden") return 403;
  if (reason == "Unauthorized") return 401;
  if (reason == "RequestEntityTooLarge") return 413;
  return 422;
}

// "ValidatingAdmissionPolicy 'p' with binding 'b'" (or "ValidatingPolicy 'p'").
std::string PolicyLabel(const Result& result) {
  std::string label = absl::StrCat(result.policy_kind, " '", result.policy, "'");
  if (!result.binding.empty()) absl::StrAppend(&label, " with binding '", result.binding, "'");
  return label;
}

bool Has(const std::vector<std::string>& actions, absl::string_view action) {
  for (const std::string& a : actions) {
    if (a == action) return true;
  }
  return false;
}

}  // namespace

core::Value AdmissionResponse(const std::string& uid, const std::vector<Result>& results) {
  const Result* denial = nullptr;
  const ValidationFailure* denial_failure = nullptr;
  core::ValueList warnings;
  core::ValueMap annotations;
  core::ValueList audit_failures;
  for (const Result& result : results) {
    for (const auto& [key, value] : result.audit_annotations) {
      annotations.push_back({key, core::Value(value)});
    }
    bool failed = result.outcome == Outcome::kFail || result.outcome == Outcome::kWarn ||
                  result.outcome == Outcome::kAudit || result.outcome == Outcome::kError;
    if (!failed) continue;
    for (const ValidationFailure& failure : result.failures) {
      if (result.Denies() && denial == nullptr) {
        denial = &result;
        denial_failure = &failure;
      }
      if (Has(result.validation_actions, "Warn")) {
        warnings.emplace_back(
            absl::StrCat("Validation failed for ", PolicyLabel(result), ": ", failure.message));
      }
      if (Has(result.validation_actions, "Audit")) {
        core::ValueList actions;
        for (const std::string& a : result.validation_actions) actions.emplace_back(a);
        core::ValueMap entry{{"message", core::Value(failure.message)},
                             {"policy", core::Value(result.policy)},
                             {"binding", core::Value(result.binding)},
                             {"expressionIndex", core::Value(failure.index)},
                             {"validationActions", core::Value(std::move(actions))}};
        audit_failures.emplace_back(std::move(entry));
      }
    }
  }
  if (!audit_failures.empty()) {
    annotations.push_back({"validation.policy.admission.k8s.io/validation_failure",
                           core::Value(core::Value(std::move(audit_failures)).ToJson())});
  }
  core::ValueMap response{{"uid", core::Value(uid)}, {"allowed", core::Value(denial == nullptr)}};
  if (denial != nullptr) {
    core::ValueMap status{
        {"code", core::Value(ReasonCode(denial_failure->reason))},
        {"reason", core::Value(denial_failure->reason)},
        {"message", core::Value(absl::StrCat(PolicyLabel(*denial),
                                             " denied request: ", denial_failure->message))},
    };
    response.push_back({"status", core::Value(std::move(status))});
  }
  if (!warnings.empty()) response.push_back({"warnings", core::Value(std::move(warnings))});
  if (!annotations.empty()) {
    response.push_back({"auditAnnotations", core::Value(std::move(annotations))});
  }
  return core::Value(core::ValueMap{{"apiVersion", core::Value("admission.k8s.io/v1")},
                                    {"kind", core::Value("AdmissionReview")},
                                    {"response", core::Value(std::move(response))}});
}

absl::StatusOr<core::Value> ReviewAdmission(const PolicySet& policies, const core::Value& review) {
  BULWARK_ASSIGN_OR_RETURN(AdmissionRequest request, RequestFromAdmissionReview(review));
  return AdmissionResponse(request.uid, policies.Evaluate(request));
}

}  // namespace bulwark::policy
