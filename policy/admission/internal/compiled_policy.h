// Policies and bindings after parsing and CEL compilation: the shared form of Kubernetes
// ValidatingAdmissionPolicy and Kyverno ValidatingPolicy (plus Kyverno's autogen rules).
// Internal to policy/admission. Thread safety: immutable after construction.
#ifndef BULWARK_POLICY_ADMISSION_INTERNAL_COMPILED_POLICY_H_
#define BULWARK_POLICY_ADMISSION_INTERNAL_COMPILED_POLICY_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bulwark/policy/admission/label_selector.h"
#include "bulwark/policy/admission/match_resources.h"
#include "bulwark/policy/admission/policy_set.h"
#include "bulwark/policy/cel/cel.h"

namespace bulwark::policy::internal {

inline constexpr char kValidatingAdmissionPolicy[] = "ValidatingAdmissionPolicy";
inline constexpr char kValidatingAdmissionPolicyBinding[] = "ValidatingAdmissionPolicyBinding";
inline constexpr char kKyvernoValidatingPolicy[] = "ValidatingPolicy";
inline constexpr char kKyvernoNamespacedValidatingPolicy[] = "NamespacedValidatingPolicy";
inline constexpr char kKyvernoPolicyException[] = "PolicyException";

struct CompiledExpression {
  std::string source;
  std::shared_ptr<const cel::Program> program;
};

struct CompiledValidation {
  CompiledExpression expression;
  std::string message;
  std::optional<CompiledExpression> message_expression;
  std::string reason;  // default "Invalid"
};

struct NamedExpression {
  std::string name;  // variable or match condition name, audit annotation key
  CompiledExpression expression;
};

// One evaluable rule: the policy as written, or one Kyverno autogen rule.
struct PolicyRule {
  std::string name;  // "" for the policy as written
  MatchResources match_constraints;
  std::vector<NamedExpression> match_conditions;
  std::vector<NamedExpression> variables;
  std::vector<CompiledValidation> validations;
  std::vector<NamedExpression> audit_annotations;
};

struct ParamKind {
  std::string api_version;
  std::string kind;
};

struct CompiledPolicy {
  // kValidatingAdmissionPolicy, kKyvernoValidatingPolicy or kKyvernoNamespacedValidatingPolicy
  std::string kind;
  std::string name;
  // NamespacedValidatingPolicy: its namespace ("default" when unset, as kubectl would create
  // it); the policy applies only to requests in that namespace.
  std::string namespace_name;
  std::string source;
  bool fail_closed = true;  // failurePolicy Fail (the default)
  std::optional<ParamKind> param_kind;
  std::vector<std::string> validation_actions;  // Kyverno policies carry their own
  std::vector<PolicyRule> rules;

  // Kyverno ValidatingPolicy or NamespacedValidatingPolicy (own actions, Kyverno libraries).
  bool is_kyverno() const {
    return kind == kKyvernoValidatingPolicy || kind == kKyvernoNamespacedValidatingPolicy;
  }
};

struct ParamRef {
  std::string name;
  std::string namespace_name;
  std::optional<LabelSelector> selector;
  bool deny_when_not_found = true;  // parameterNotFoundAction
};

struct CompiledBinding {
  std::string name;
  std::string policy_name;
  std::string source;
  std::optional<ParamRef> param_ref;
  std::optional<MatchResources> match_resources;
  std::vector<std::string> validation_actions;
};

// A Kyverno PolicyException for CEL policies (policies.kyverno.io): excepts the resources for
// which every match condition holds from the referenced policies.
struct CompiledException {
  std::string name;  // "namespace/name" (as Kyverno reports it)
  std::string source;
  std::vector<std::pair<std::string, std::string>> policy_refs;  // (kind, name)
  std::vector<NamedExpression> match_conditions;                 // none: every resource
  std::vector<std::string> images;          // spec.images -> exceptions.allowedImages
  std::vector<std::string> allowed_values;  // spec.allowedValues
  bool report_pass = false;                 // spec.reportResult: pass (default skip)

  bool Applies(const std::string& policy_kind, const std::string& policy_name) const;
};

// Parse and compile one document of the given kind. Errors: InvalidArgument
// "<source>: <field path> (line:col): what", CEL compile errors with their caret excerpt.
absl::StatusOr<std::unique_ptr<CompiledPolicy>> CompileValidatingAdmissionPolicy(
    const SourceDocument& doc, const cel::RuntimeLimits& limits);
// ValidatingPolicy and NamespacedValidatingPolicy (the document's kind).
absl::StatusOr<std::unique_ptr<CompiledPolicy>> CompileKyvernoValidatingPolicy(
    const SourceDocument& doc, const cel::RuntimeLimits& limits);
absl::StatusOr<std::unique_ptr<CompiledException>> CompileKyvernoPolicyException(
    const SourceDocument& doc, const cel::RuntimeLimits& limits);
absl::StatusOr<std::unique_ptr<CompiledBinding>> ParseValidatingAdmissionPolicyBinding(
    const SourceDocument& doc);

// Kyverno's rewriting of pod expressions for controllers: every "object.<from>" and
// "oldObject.<from>" becomes ".<to>", except where followed by ".name" or ".namespace".
std::string RewriteForController(absl::string_view expression, absl::string_view from,
                                 absl::string_view to);

}  // namespace bulwark::policy::internal

#endif  // BULWARK_POLICY_ADMISSION_INTERNAL_COMPILED_POLICY_H_
