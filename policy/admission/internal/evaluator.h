// Evaluation of one compiled policy rule against one request (with one param object): match
// conditions, lazily evaluated variables, validations, audit annotations, failurePolicy.
// Internal to policy/admission. Thread safety: reentrant; everything is per call.
#ifndef BULWARK_POLICY_ADMISSION_INTERNAL_EVALUATOR_H_
#define BULWARK_POLICY_ADMISSION_INTERNAL_EVALUATOR_H_

#include <vector>

#include "bulwark/core/value.h"
#include "bulwark/policy/admission/internal/compiled_policy.h"
#include "bulwark/policy/admission/request.h"
#include "bulwark/policy/admission/result.h"
#include "bulwark/policy/kyverno/external_data.h"

namespace bulwark::policy::internal {

// What the CEL variables are bound to. Every pointer is borrowed for the call; nullptr binds null.
struct RuleInputs {
  const AdmissionRequest* request = nullptr;
  const core::Value* request_document = nullptr;  // request->ToDocument()
  const core::Value* params = nullptr;
  const core::Value* namespace_object = nullptr;
  // Kyverno policies: the data resource.Get/List, globalContext.Get and image.GetMetadata read
  // (nullptr: none supplied), and the PolicyExceptions that reference the policy.
  const kyverno::ExternalData* external_data = nullptr;
  std::vector<const CompiledException*> exceptions;
};

// Evaluates `rule` of `policy` and sets result->outcome, failures, message, audit_annotations
// and, for Kyverno policies excepted by a PolicyException, exceptions. result->validation_actions
// must already be set (they decide between fail, warn and audit). The match constraints are the
// caller's job.
void EvaluateRule(const CompiledPolicy& policy, const PolicyRule& rule, const RuleInputs& inputs,
                  Result* result);

// The result of a configuration problem (missing params, ...): error under failurePolicy Fail,
// skip under Ignore.
void ConfigurationError(const CompiledPolicy& policy, std::string message, Result* result);

}  // namespace bulwark::policy::internal

#endif  // BULWARK_POLICY_ADMISSION_INTERNAL_EVALUATOR_H_
