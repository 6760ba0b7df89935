// AdmissionReview v1 (admission.k8s.io/v1) in, AdmissionReview response out, decided by a
// PolicySet the way the API server combines ValidatingAdmissionPolicy results.
//   BULWARK_ASSIGN_OR_RETURN(core::Value review, core::ParseJson(text));
//   BULWARK_ASSIGN_OR_RETURN(core::Value response, ReviewAdmission(*policies, review));
//   std::string json = response.ToJson();
// Thread safety: reentrant; the PolicySet is only read.
#ifndef BULWARK_POLICY_ADMISSION_ADMISSION_REVIEW_H_
#define BULWARK_POLICY_ADMISSION_ADMISSION_REVIEW_H_

#include <vector>

#include "absl/status/statusor.h"
#include "bulwark/core/value.h"
#include "bulwark/policy/admission/policy_set.h"
#include "bulwark/policy/admission/result.h"

namespace bulwark::policy {

// The AdmissionReview response for `results` of the request with `uid`:
// response.allowed is false when a result denies; response.status {code, reason, message} of
// the first denial ("ValidatingAdmissionPolicy 'p' with binding 'b' denied request: msg";
// reason Invalid 422, Forbidden 403, Unauthorized 401, RequestEntityTooLarge 413);
// response.warnings for Warn actions ("Validation failed for ValidatingAdmissionPolicy 'p' with
// binding 'b': msg"); response.auditAnnotations with each policy's "<policy>/<key>" annotations
// and, for Audit actions, "validation.policy.admission.k8s.io/validation_failure" holding the
// JSON list of {message, policy, binding, expressionIndex, validationActions}.
core::Value AdmissionResponse(const std::string& uid, const std::vector<Result>& results);

// Reads the request of `review` (RequestFromAdmissionReview), evaluates `policies` and returns
// the response review. Errors: InvalidArgument for a malformed review.
absl::StatusOr<core::Value> ReviewAdmission(const PolicySet& policies, const core::Value& review);

}  // namespace bulwark::policy

#endif  // BULWARK_POLICY_ADMISSION_ADMISSION_REVIEW_H_
