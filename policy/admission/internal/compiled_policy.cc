#include "bulwark/policy/admission/internal/compiled_policy.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/policy/admission/internal/documents.h"
#include "bulwark/policy/kyverno/library.h"

namespace bulwark::policy::internal {
namespace {

// The CEL variables of admission expressions (Kubernetes' names).
constexpr absl::string_view kBaseVariables[] = {"object", "oldObject",       "request",
                                                "params", "namespaceObject", "authorizer"};

const core::Value& NullValue() {
  static const core::Value* const kNull = new core::Value();
  return *kNull;
}

const core::Value& Field(const core::Value& doc, absl::string_view field) {
  const core::Value* value = doc.Find(field);
  return value == nullptr ? NullValue() : *value;
}

absl::Status WithSource(absl::string_view source, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat(source, ": ", status.message()));
}

// How expressions of one document are compiled.
struct ExpressionOptions {
  cel::RuntimeLimits limits;
  bool kyverno = false;  // Kyverno's CEL libraries and variables (ValidatingPolicy, exceptions)
};

absl::StatusOr<CompiledExpression> CompileExpression(const std::string& source,
                                                     const std::string& where, bool with_variables,
                                                     const ExpressionOptions& options) {
  if (absl::StripAsciiWhitespace(source).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": expression is required"));
  }
  cel::Env env;
  for (absl::string_view name : kBaseVariables) env.DeclareVariable(std::string(name));
  if (with_variables) env.DeclareVariable("variables");
  if (options.kyverno) {
    kyverno::DeclareVariables(env);
    env.function_library = &kyverno::Library();
  }
  env.parse_options.description = where;
  env.limits = options.limits;
  absl::StatusOr<std::shared_ptr<const cel::Program>> program = cel::Compile(source, env);
  if (!program.ok()) return program.status();
  return CompiledExpression{source, *std::move(program)};
}

// Reads `field` of `doc` (a list of maps) and compiles each item's `expression_field` with
// `name_field` as its name.
absl::StatusOr<std::vector<NamedExpression>> CompileNamedList(
    const core::Value& spec, absl::string_view field, absl::string_view name_field,
    absl::string_view expression_field, bool with_variables, const ExpressionOptions& options) {
  std::vector<NamedExpression> result;
  BULWARK_ASSIGN_OR_RETURN(const core::ValueList* list, OptionalList(spec, field, "spec"));
  if (list == nullptr) return result;
  for (size_t i = 0; i < list->size(); ++i) {
    const core::Value& item = (*list)[i];
    std::string path = absl::StrCat("spec.", field, "[", i, "]");
    if (!item.is_map()) return FieldError(path, item, "expected a map");
    NamedExpression named;
    BULWARK_ASSIGN_OR_RETURN(named.name, OptionalString(item, name_field, path));
    if (named.name.empty()) return FieldError(FieldPath(path, name_field), item, "is required");
    BULWARK_ASSIGN_OR_RETURN(std::string expression, OptionalString(item, expression_field, path));
    BULWARK_ASSIGN_OR_RETURN(
        named.expression,
        CompileExpression(expression, FieldPath(path, expression_field), with_variables, options));
    result.push_back(std::move(named));
  }
  return result;
}

absl::StatusOr<std::vector<CompiledValidation>> CompileValidations(
    const core::Value& spec, const ExpressionOptions& options) {
  std::vector<CompiledValidation> result;
  BULWARK_ASSIGN_OR_RETURN(const core::ValueList* list, OptionalList(spec, "validations", "spec"));
  if (list == nullptr) return result;
  for (size_t i = 0; i < list->size(); ++i) {
    const core::Value& item = (*list)[i];
    std::string path = absl::StrCat("spec.validations[", i, "]");
    if (!item.is_map()) return FieldError(path, item, "expected a map");
    CompiledValidation validation;
    BULWARK_ASSIGN_OR_RETURN(std::string expression, OptionalString(item, "expression", path));
    BULWARK_ASSIGN_OR_RETURN(validation.expression,
                             CompileExpression(expression, FieldPath(path, "expression"),
                                               /*with_variables=*/true, options));
    BULWARK_ASSIGN_OR_RETURN(validation.message, OptionalString(item, "message", path));
    if (absl::StrContains(validation.message, '\n')) {
      return FieldError(FieldPath(path, "message"), item, "must not contain line breaks");
    }
    BULWARK_ASSIGN_OR_RETURN(std::string message_expression,
                             OptionalString(item, "messageExpression", path));
    if (!message_expression.empty()) {
      BULWARK_ASSIGN_OR_RETURN(
          validation.message_expression,
          CompileExpression(message_expression, FieldPath(path, "messageExpression"),
                            /*with_variables=*/true, options));
    }
    BULWARK_ASSIGN_OR_RETURN(validation.reason, OptionalString(item, "reason", path));
    if (validation.reason.empty()) validation.reason = "Invalid";
    if (validation.reason != "Invalid" && validation.reason != "Forbidden" &&
        validation.reason != "Unauthorized" && validation.reason != "RequestEntityTooLarge") {
      return FieldError(FieldPath(path, "reason"), item,
                        absl::StrCat("expected Unauthorized, Forbidden, Invalid or "
                                     "RequestEntityTooLarge, got '",
                                     validation.reason, "'"));
    }
    result.push_back(std::move(validation));
  }
  return result;
}

absl::StatusOr<PolicyRule> CompileRule(const core::Value& spec, std::string name,
                                       const ExpressionOptions& options) {
  PolicyRule rule;
  rule.name = std::move(name);
  BULWARK_ASSIGN_OR_RETURN(
      rule.match_constraints,
      MatchResources::Parse(Field(spec, "matchConstraints"), "spec.matchConstraints",
                            /*rules_required=*/true));
  BULWARK_ASSIGN_OR_RETURN(rule.match_conditions,
                           CompileNamedList(spec, "matchConditions", "name", "expression",
                                            /*with_variables=*/false, options));
  BULWARK_ASSIGN_OR_RETURN(
      rule.variables, CompileNamedList(spec, "variables", "name", "expression", true, options));
  BULWARK_ASSIGN_OR_RETURN(rule.validations, CompileValidations(spec, options));
  BULWARK_ASSIGN_OR_RETURN(
      rule.audit_annotations,
      CompileNamedList(spec, "auditAnnotations", "key", "valueExpression", true, options));
  if (rule.validations.empty() && rule.audit_annotations.empty()) {
    return FieldError("spec", spec, "validations and auditAnnotations may not both be empty");
  }
  return rule;
}

absl::Status ParseFailurePolicy(const core::Value& spec, CompiledPolicy& policy) {
  BULWARK_ASSIGN_OR_RETURN(std::string failure_policy,
                           OptionalString(spec, "failurePolicy", "spec"));
  if (failure_policy.empty() || failure_policy == "Fail") {
    policy.fail_closed = true;
  } else if (failure_policy == "Ignore") {
    policy.fail_closed = false;
  } else {
    return FieldError("spec.failurePolicy", spec,
                      absl::StrCat("expected Fail or Ignore, got '", failure_policy, "'"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> ParseValidationActions(const core::Value& doc,
                                                                absl::string_view where) {
  BULWARK_ASSIGN_OR_RETURN(std::vector<std::string> actions,
                           StringList(doc, "validationActions", where));
  for (const std::string& action : actions) {
    if (action != "Deny" && action != "Warn" && action != "Audit") {
      return FieldError(FieldPath(where, "validationActions"), doc,
                        absl::StrCat("expected Deny, Warn or Audit, got '", action, "'"));
    }
  }
  bool deny = std::count(actions.begin(), actions.end(), "Deny") > 0;
  bool warn = std::count(actions.begin(), actions.end(), "Warn") > 0;
  if (deny && warn) {
    return FieldError(FieldPath(where, "validationActions"), doc,
                      "Deny and Warn may not be used together");
  }
  return actions;
}

absl::StatusOr<const core::Value*> Spec(const SourceDocument& doc) {
  const core::Value* spec = doc.document.Find("spec");
  if (spec == nullptr || !spec->is_map()) {
    return WithSource(doc.source, FieldError("spec", doc.document, "spec is required"));
  }
  return spec;
}

std::string MetadataName(const core::Value& doc) { return StringAt(doc, "metadata.name"); }

// Kyverno's pod-controller autogen targets.
struct AutogenTarget {
  absl::string_view controller;  // spec.autogen.podControllers.controllers entry
  absl::string_view group;
  absl::string_view resource;
  absl::string_view kind;
  bool cronjob;  // pod template under spec.jobTemplate.spec.template
};

constexpr AutogenTarget kAutogenTargets[] = {
    {"daemonsets", "apps", "daemonsets", "DaemonSet", false},
    {"deployments", "apps", "deployments", "Deployment", false},
    {"replicasets", "apps", "replicasets", "ReplicaSet", false},
    {"statefulsets", "apps", "statefulsets", "StatefulSet", false},
    {"jobs", "batch", "jobs", "Job", false},
    {"cronjobs", "batch", "cronjobs", "CronJob", true},
};

// Whether Kyverno generates controller rules for `match` (it matches exactly core/v1 pods).
bool CanAutogen(const core::Value& match) {
  if (!match.is_map()) return false;
  for (absl::string_view selector : {"namespaceSelector", "objectSelector"}) {
    const core::Value& s = Field(match, selector);
    if (!Field(s, "matchLabels").is_null() && Field(s, "matchLabels").is_map() &&
        !Field(s, "matchLabels").map_value().empty()) {
      return false;
    }
    if (Field(s, "matchExpressions").is_list() &&
        !Field(s, "matchExpressions").list_value().empty()) {
      return false;
    }
  }
  const core::Value& excludes = Field(match, "excludeResourceRules");
  if (excludes.is_list() && !excludes.list_value().empty()) return false;
  const core::Value& rules = Field(match, "resourceRules");
  if (!rules.is_list() || rules.list_value().size() != 1) return false;
  const core::Value& rule = rules.list_value()[0];
  auto is_single = [&rule](absl::string_view field, absl::string_view value) {
    const core::Value& list = Field(rule, field);
    return list.is_list() && list.list_value().size() == 1 && list.list_value()[0].is_string() &&
           list.list_value()[0].string_value() == value;
  };
  const core::Value& names = Field(rule, "resourceNames");
  if (names.is_list() && !names.list_value().empty()) return false;
  return is_single("apiGroups", "") && is_single("apiVersions", "v1") &&
         is_single("resources", "pods");
}

// Rewrites every string of `value` (Kyverno rewrites the policy's JSON text as a whole).
void RewriteStrings(core::Value& value, absl::string_view to_spec, absl::string_view to_metadata) {
  if (value.is_string()) {
    std::string rewritten = RewriteForController(value.string_value(), "spec", to_spec);
    rewritten = RewriteForController(rewritten, "metadata", to_metadata);
    core::SourcePosition position = value.position();
    value = core::Value(std::move(rewritten));
    value.set_position(position);
  } else if (value.is_list()) {
    for (core::Value& item : value.mutable_list()) RewriteStrings(item, to_spec, to_metadata);
  } else if (value.is_map()) {
    core::ValueMap map = value.map_value();
    for (core::MapEntry& entry : map) RewriteStrings(entry.value, to_spec, to_metadata);
    core::SourcePosition position = value.position();
    value = core::Value(std::move(map));
    value.set_position(position);
  }
}

core::Value StringListValue(const std::vector<std::string>& items) {
  core::ValueList list;
  for (const std::string& item : items) list.emplace_back(item);
  return core::Value(std::move(list));
}

// The spec of one autogen rule: matchConstraints for `targets`, match conditions guarded by the
// target kinds, every string rewritten for the pod template path.
core::Value AutogenSpec(const core::Value& spec, const std::vector<const AutogenTarget*>& targets,
                        absl::string_view prefix, bool cronjob) {
  core::ValueMap map = spec.map_value();
  const core::Value& original_rule =
      Field(Field(spec, "matchConstraints"), "resourceRules").list_value()[0];
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;  // group -> resources
  std::vector<std::string> preconditions;
  for (const AutogenTarget* target : targets) {
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const auto& g) { return g.first == target->group; });
    if (it == groups.end()) {
      groups.push_back({std::string(target->group), {}});
      it = groups.end() - 1;
    }
    it->second.push_back(std::string(target->resource));
    preconditions.push_back(absl::StrCat("(object.apiVersion == '", target->group,
                                         "/v1' && object.kind =='", target->kind, "')"));
  }
  std::sort(groups.begin(), groups.end());
  std::sort(preconditions.begin(), preconditions.end());
  core::ValueList rules;
  for (auto& [group, resources] : groups) {
    std::sort(resources.begin(), resources.end());
    core::ValueMap rule;
    rule.push_back({"apiGroups", StringListValue({group})});
    rule.push_back({"apiVersions", StringListValue({"v1"})});
    rule.push_back({"resources", StringListValue(resources)});
    rule.push_back({"operations", Field(original_rule, "operations")});
    rules.emplace_back(std::move(rule));
  }
  std::string precondition = absl::StrJoin(preconditions, "||");
  core::ValueList conditions;
  if (const core::Value& list = Field(spec, "matchConditions"); list.is_list()) {
    for (const core::Value& condition : list.list_value()) {
      core::ValueMap item;
      item.push_back({"name", core::Value(absl::StrCat(prefix, "-", StringAt(condition, "name")))});
      item.push_back(
          {"expression", core::Value(absl::StrCat("!(", precondition, ") || (",
                                                  StringAt(condition, "expression"), ")"))});
      conditions.emplace_back(std::move(item));
    }
  }
  for (core::MapEntry& entry : map) {
    if (entry.key == "matchConstraints") {
      entry.value = core::Value(core::ValueMap{{"resourceRules", core::Value(std::move(rules))}});
    } else if (entry.key == "matchConditions") {
      entry.value = core::Value(std::move(conditions));
    }
  }
  core::Value result(std::move(map));
  if (cronjob) {
    RewriteStrings(result, "spec.jobTemplate.spec.template.spec",
                   "spec.jobTemplate.spec.template.metadata");
  } else {
    RewriteStrings(result, "spec.template.spec", "spec.template.metadata");
  }
  return result;
}

absl::Status AddAutogenRules(const core::Value& spec, const ExpressionOptions& options,
                             CompiledPolicy& policy) {
  if (!CanAutogen(Field(spec, "matchConstraints"))) return absl::OkStatus();
  std::vector<std::string> controllers;
  const core::Value* configured = FindPath(spec, "autogen.podControllers.controllers");
  if (configured != nullptr && !configured->is_null()) {
    BULWARK_ASSIGN_OR_RETURN(
        controllers, StringList(Field(Field(spec, "autogen"), "podControllers"), "controllers",
                                "spec.autogen.podControllers"));
  } else {
    for (const AutogenTarget& target : kAutogenTargets) {
      controllers.emplace_back(target.controller);
    }
  }
  for (bool cronjob : {false, true}) {
    std::vector<const AutogenTarget*> targets;
    for (const AutogenTarget& target : kAutogenTargets) {
      if (target.cronjob == cronjob &&
          std::count(controllers.begin(), controllers.end(), target.controller) > 0) {
        targets.push_back(&target);
      }
    }
    if (targets.empty()) continue;
    std::string prefix = cronjob ? "autogen-cronjobs" : "autogen";
    core::Value autogen_spec = AutogenSpec(spec, targets, prefix, cronjob);
    absl::StatusOr<PolicyRule> rule =
        CompileRule(autogen_spec, absl::StrCat(prefix, "-", policy.name), options);
    if (!rule.ok()) {
      return absl::Status(
          rule.status().code(),
          absl::StrCat("autogen rule ", prefix, "-", policy.name, ": ", rule.status().message()));
    }
    policy.rules.push_back(*std::move(rule));
  }
  return absl::OkStatus();
}

bool IsIdentifierByte(char c) { return absl::ascii_isalnum(c) || c == '_'; }

}  // namespace

std::string RewriteForController(absl::string_view expression, absl::string_view from,
                                 absl::string_view to) {
  std::string result;
  size_t pos = 0;
  while (pos < expression.size()) {
    size_t best = absl::string_view::npos;
    absl::string_view best_root;
    for (absl::string_view root : {"object.", "oldObject."}) {
      std::string needle = absl::StrCat(root, from);
      size_t found = expression.find(needle, pos);
      if (found != absl::string_view::npos && found < best) {
        best = found;
        best_root = root;
      }
    }
    if (best == absl::string_view::npos) break;
    size_t after = best + best_root.size() + from.size();
    absl::string_view rest = expression.substr(after);
    bool is_protected = false;
    for (absl::string_view suffix : {".namespace", ".name"}) {
      if (absl::StartsWith(rest, suffix) &&
          (rest.size() == suffix.size() || !IsIdentifierByte(rest[suffix.size()]))) {
        is_protected = true;
      }
    }
    absl::StrAppend(&result, expression.substr(pos, best - pos), best_root,
                    is_protected ? from : to);
    pos = after;
  }
  absl::StrAppend(&result, expression.substr(pos));
  return result;
}

absl::StatusOr<std::unique_ptr<CompiledPolicy>> CompileValidatingAdmissionPolicy(
    const SourceDocument& doc, const cel::RuntimeLimits& limits) {
  auto policy = std::make_unique<CompiledPolicy>();
  policy->kind = kValidatingAdmissionPolicy;
  policy->source = doc.source;
  policy->name = MetadataName(doc.document);
  if (policy->name.empty()) {
    return WithSource(doc.source, FieldError("metadata.name", doc.document, "is required"));
  }
  BULWARK_ASSIGN_OR_RETURN(const core::Value* spec, Spec(doc));
  absl::Status status = [&]() -> absl::Status {
    BULWARK_RETURN_IF_ERROR(ParseFailurePolicy(*spec, *policy));
    const core::Value& param_kind = Field(*spec, "paramKind");
    if (!param_kind.is_null()) {
      ParamKind kind;
      BULWARK_ASSIGN_OR_RETURN(kind.api_version,
                               OptionalString(param_kind, "apiVersion", "spec.paramKind"));
      BULWARK_ASSIGN_OR_RETURN(kind.kind, OptionalString(param_kind, "kind", "spec.paramKind"));
      if (kind.api_version.empty() || kind.kind.empty()) {
        return FieldError("spec.paramKind", param_kind, "apiVersion and kind are required");
      }
      policy->param_kind = std::move(kind);
    }
    BULWARK_ASSIGN_OR_RETURN(PolicyRule rule, CompileRule(*spec, "", ExpressionOptions{limits}));
    policy->rules.push_back(std::move(rule));
    return absl::OkStatus();
  }();
  if (!status.ok()) {
    return WithSource(absl::StrCat(doc.source, ": ValidatingAdmissionPolicy '", policy->name, "'"),
                      status);
  }
  return policy;
}

absl::StatusOr<std::unique_ptr<CompiledPolicy>> CompileKyvernoValidatingPolicy(
    const SourceDocument& doc, const cel::RuntimeLimits& limits) {
  auto policy = std::make_unique<CompiledPolicy>();
  policy->kind = StringAt(doc.document, "kind");
  policy->source = doc.source;
  policy->name = MetadataName(doc.document);
  if (policy->name.empty()) {
    return WithSource(doc.source, FieldError("metadata.name", doc.document, "is required"));
  }
  if (policy->kind == kKyvernoNamespacedValidatingPolicy) {
    policy->namespace_name = StringAt(doc.document, "metadata.namespace");
    if (policy->namespace_name.empty()) policy->namespace_name = "default";
  }
  BULWARK_ASSIGN_OR_RETURN(const core::Value* spec, Spec(doc));
  absl::Status status = [&]() -> absl::Status {
    BULWARK_RETURN_IF_ERROR(ParseFailurePolicy(*spec, *policy));
    BULWARK_ASSIGN_OR_RETURN(policy->validation_actions, ParseValidationActions(*spec, "spec"));
    if (policy->validation_actions.empty()) {
      return FieldError("spec.validationActions", *spec, "at least one action is required");
    }
    std::string mode = StringAt(*spec, "evaluation.mode");
    if (!mode.empty() && mode != "Kubernetes") {
      return FieldError("spec.evaluation.mode", *spec,
                        absl::StrCat("mode '", mode, "' is not supported (only Kubernetes)"));
    }
    ExpressionOptions options{limits, /*kyverno=*/true};
    BULWARK_ASSIGN_OR_RETURN(PolicyRule rule, CompileRule(*spec, "", options));
    policy->rules.push_back(std::move(rule));
    return AddAutogenRules(*spec, options, *policy);
  }();
  if (!status.ok()) {
    return WithSource(absl::StrCat(doc.source, ": ", policy->kind, " '", policy->name, "'"),
                      status);
  }
  return policy;
}

bool CompiledException::Applies(const std::string& policy_kind,
                                const std::string& policy_name) const {
  for (const auto& [kind, name] : policy_refs) {
    if (kind == policy_kind && name == policy_name) return true;
  }
  return false;
}

absl::StatusOr<std::unique_ptr<CompiledException>> CompileKyvernoPolicyException(
    const SourceDocument& doc, const cel::RuntimeLimits& limits) {
  auto exception = std::make_unique<CompiledException>();
  exception->source = doc.source;
  std::string name = MetadataName(doc.document);
  if (name.empty()) {
    return WithSource(doc.source, FieldError("metadata.name", doc.document, "is required"));
  }
  std::string ns = StringAt(doc.document, "metadata.namespace");
  exception->name = ns.empty() ? name : absl::StrCat(ns, "/", name);
  BULWARK_ASSIGN_OR_RETURN(const core::Value* spec, Spec(doc));
  absl::Status status = [&]() -> absl::Status {
    BULWARK_ASSIGN_OR_RETURN(const core::ValueList* refs,
                             OptionalList(*spec, "policyRefs", "spec"));
    if (refs == nullptr || refs->empty()) {
      return FieldError("spec.policyRefs", *spec, "at least one policy reference is required");
    }
    for (size_t i = 0; i < refs->size(); ++i) {
      std::string path = absl::StrCat("spec.policyRefs[", i, "]");
      BULWARK_ASSIGN_OR_RETURN(std::string ref_name, OptionalString((*refs)[i], "name", path));
      BULWARK_ASSIGN_OR_RETURN(std::string ref_kind, OptionalString((*refs)[i], "kind", path));
      if (ref_name.empty() || ref_kind.empty()) {
        return FieldError(path, (*refs)[i], "name and kind are required");
      }
      exception->policy_refs.emplace_back(std::move(ref_kind), std::move(ref_name));
    }
    BULWARK_ASSIGN_OR_RETURN(
        exception->match_conditions,
        CompileNamedList(*spec, "matchConditions", "name", "expression",
                         /*with_variables=*/false, ExpressionOptions{limits, /*kyverno=*/true}));
    BULWARK_ASSIGN_OR_RETURN(exception->images, StringList(*spec, "images", "spec"));
    BULWARK_ASSIGN_OR_RETURN(exception->allowed_values, StringList(*spec, "allowedValues", "spec"));
    BULWARK_ASSIGN_OR_RETURN(std::string report, OptionalString(*spec, "reportResult", "spec"));
    if (!report.empty() && report != "skip" && report != "pass") {
      return FieldError("spec.reportResult", *spec,
                        absl::StrCat("expected skip or pass, got '", report, "'"));
    }
    exception->report_pass = report == "pass";
    return absl::OkStatus();
  }();
  if (!status.ok()) {
    return WithSource(absl::StrCat(doc.source, ": PolicyException '", exception->name, "'"),
                      status);
  }
  return exception;
}

absl::StatusOr<std::unique_ptr<CompiledBinding>> ParseValidatingAdmissionPolicyBinding(
    const SourceDocument& doc) {
  auto binding = std::make_unique<CompiledBinding>();
  binding->source = doc.source;
  binding->name = MetadataName(doc.document);
  if (binding->name.empty()) {
    return WithSource(doc.source, FieldError("metadata.name", doc.document, "is required"));
  }
  BULWARK_ASSIGN_OR_RETURN(const core::Value* spec, Spec(doc));
  absl::Status status = [&]() -> absl::Status {
    BULWARK_ASSIGN_OR_RETURN(binding->policy_name, OptionalString(*spec, "policyName", "spec"));
    if (binding->policy_name.empty()) {
      return FieldError("spec.policyName", *spec, "is required");
    }
    BULWARK_ASSIGN_OR_RETURN(binding->validation_actions, ParseValidationActions(*spec, "spec"));
    if (binding->validation_actions.empty()) {
      return FieldError("spec.validationActions", *spec, "at least one action is required");
    }
    const core::Value& match = Field(*spec, "matchResources");
    if (!match.is_null()) {
      BULWARK_ASSIGN_OR_RETURN(binding->match_resources,
                               MatchResources::Parse(match, "spec.matchResources",
                                                     /*rules_required=*/false));
    }
    const core::Value& ref = Field(*spec, "paramRef");
    if (!ref.is_null()) {
      if (!ref.is_map()) return FieldError("spec.paramRef", ref, "expected a map");
      ParamRef param_ref;
      BULWARK_ASSIGN_OR_RETURN(param_ref.name, OptionalString(ref, "name", "spec.paramRef"));
      BULWARK_ASSIGN_OR_RETURN(param_ref.namespace_name,
                               OptionalString(ref, "namespace", "spec.paramRef"));
      const core::Value& selector = Field(ref, "selector");
      if (!selector.is_null()) {
        BULWARK_ASSIGN_OR_RETURN(param_ref.selector,
                                 LabelSelector::Parse(selector, "spec.paramRef.selector"));
      }
      if (param_ref.name.empty() == !param_ref.selector.has_value()) {
        return FieldError("spec.paramRef", ref, "exactly one of name or selector is required");
      }
      BULWARK_ASSIGN_OR_RETURN(std::string action,
                               OptionalString(ref, "parameterNotFoundAction", "spec.paramRef"));
      if (action.empty() || action == "Deny") {
        param_ref.deny_when_not_found = true;
      } else if (action == "Allow") {
        param_ref.deny_when_not_found = false;
      } else {
        return FieldError("spec.paramRef.parameterNotFoundAction", ref,
                          absl::StrCat("expected Allow or Deny, got '", action, "'"));
      }
      binding->param_ref = std::move(param_ref);
    }
    return absl::OkStatus();
  }();
  if (!status.ok()) {
    return WithSource(
        absl::StrCat(doc.source, ": ValidatingAdmissionPolicyBinding '", binding->name, "'"),
        status);
  }
  return binding;
}

}  // namespace bulwark::policy::internal
