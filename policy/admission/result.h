// The outcome of evaluating one policy (with one binding and one param object) against one
// admission request, and its JSON form.
//   for (const Result& r : results) if (r.Denies()) Reject(r.message);
// Thread safety: plain value types.
#ifndef BULWARK_POLICY_ADMISSION_RESULT_H_
#define BULWARK_POLICY_ADMISSION_RESULT_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "bulwark/core/value.h"

namespace bulwark::policy {

enum class Outcome {
  kPass,   // matched, every validation held
  kFail,   // a validation failed and the actions include Deny
  kWarn,   // a validation failed; actions Warn (no Deny)
  kAudit,  // a validation failed; actions Audit only
  kError,  // evaluation or configuration error under failurePolicy Fail
  kSkip,   // not matched (constraints, binding, match conditions) or ignored error
};

// "pass", "fail", "warn", "audit", "error" or "skip".
absl::string_view OutcomeName(Outcome outcome);

// One failed validation (its expression was false) or evaluation error.
struct ValidationFailure {
  int index = -1;         // index in spec.validations; -1 for errors outside validations
  std::string message;    // messageExpression's value, else message, else "failed expression: X"
  std::string reason;     // Unauthorized, Forbidden, Invalid (default) or RequestEntityTooLarge
  bool is_error = false;  // true when the expression failed to evaluate
};

struct Result {
  std::string policy;       // policy name
  std::string policy_kind;  // "ValidatingAdmissionPolicy" or "ValidatingPolicy"
  std::string binding;      // binding name; "" for Kyverno policies and unbound VAPs
  std::string rule;         // "" or the Kyverno autogen rule ("autogen-<policy>", ...)
  std::string param;        // "namespace/name" of the param object; "" without params
  std::string resource;     // "Kind namespace/name" of the request's object
  Outcome outcome = Outcome::kSkip;
  std::vector<std::string> validation_actions;  // Deny, Warn, Audit
  std::vector<ValidationFailure> failures;      // in validation order
  std::string message;  // first failure's message, or why the policy was skipped
  // Audit annotations "<policy>/<key>" -> value, in declaration order.
  std::vector<std::pair<std::string, std::string>> audit_annotations;
  // Kyverno PolicyExceptions ("namespace/name") that excepted the resource: the outcome is then
  // skip (or pass with the exception's reportResult: pass).
  std::vector<std::string> exceptions;

  // Whether this result rejects the request (Fail, or Error with a Deny action).
  bool Denies() const;
  // The index of the first failing validation, or -1.
  int FailedValidationIndex() const;
  // A JSON object with every field above (outcome as its name).
  core::Value ToDocument() const;
};

}  // namespace bulwark::policy

#endif  // BULWARK_POLICY_ADMISSION_RESULT_H_
