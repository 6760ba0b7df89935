#include "bulwark/policy/admission/policy_set.h"

#include <algorithm>
#include <filesystem>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/document.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/policy/admission/internal/compiled_policy.h"
#include "bulwark/policy/admission/internal/documents.h"
#include "bulwark/policy/admission/internal/evaluator.h"

namespace bulwark::policy {
namespace {

using internal::CompiledBinding;
using internal::CompiledPolicy;
using internal::StringAt;

bool IsDocumentFile(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  return extension == ".yaml" || extension == ".yml" || extension == ".json";
}

absl::Status AppendFile(const std::string& path, const core::Limits& limits,
                        std::vector<SourceDocument>& out) {
  BULWARK_ASSIGN_OR_RETURN(std::string text, core::ReadFileToString(path, limits.max_file_bytes));
  BULWARK_ASSIGN_OR_RETURN(std::vector<core::Value> documents, core::ParseYaml(text, limits, path));
  for (size_t i = 0; i < documents.size(); ++i) {
    core::Value& document = documents[i];
    if (document.is_null()) continue;  // an empty document between "---" separators
    std::string source = documents.size() == 1 ? path : absl::StrCat(path, "#", i);
    const core::Value* items = document.Find("items");
    if (StringAt(document, "kind") == "List" && items != nullptr && items->is_list()) {
      for (size_t j = 0; j < items->list_value().size(); ++j) {
        out.push_back({absl::StrCat(source, ".items[", j, "]"), items->list_value()[j]});
      }
      continue;
    }
    out.push_back({std::move(source), std::move(document)});
  }
  return absl::OkStatus();
}

// The group of apiVersion ("policies.kyverno.io/v1" -> "policies.kyverno.io").
std::string ApiGroup(const core::Value& doc) {
  std::string api_version = StringAt(doc, "apiVersion");
  size_t slash = api_version.find('/');
  return slash == std::string::npos ? std::string() : api_version.substr(0, slash);
}

std::string ObjectLabel(const core::Value& object) {
  std::string ns = StringAt(object, "metadata.namespace");
  std::string name = StringAt(object, "metadata.name");
  return ns.empty() ? name : absl::StrCat(ns, "/", name);
}

core::Value DefaultNamespace(const std::string& name) {
  core::ValueMap labels{{"kubernetes.io/metadata.name", core::Value(name)}};
  core::ValueMap metadata{{"name", core::Value(name)}, {"labels", core::Value(std::move(labels))}};
  return core::Value(core::ValueMap{{"apiVersion", core::Value("v1")},
                                    {"kind", core::Value("Namespace")},
                                    {"metadata", core::Value(std::move(metadata))}});
}

const core::Value* FindNamespace(const std::vector<core::Value>& params,
                                 const EvaluationContext& context, const std::string& name) {
  for (const core::Value* ns : context.namespaces) {
    if (StringAt(*ns, "kind") == "Namespace" && StringAt(*ns, "metadata.name") == name) return ns;
  }
  for (const core::Value& object : params) {
    if (StringAt(object, "apiVersion") == "v1" && StringAt(object, "kind") == "Namespace" &&
        StringAt(object, "metadata.name") == name) {
      return &object;
    }
  }
  return nullptr;
}

const core::Value& LabelsOf(const core::Value* object) {
  static const core::Value* const kNull = new core::Value();
  if (object == nullptr) return *kNull;
  const core::Value* labels = internal::FindPath(*object, "metadata.labels");
  return labels == nullptr ? *kNull : *labels;
}

// The param objects `ref` selects for `request` (Kubernetes: paramRef.namespace, else the
// request's namespace for namespaced requests, else cluster-scoped params only).
std::vector<const core::Value*> SelectParams(const std::vector<core::Value>& params,
                                             const internal::ParamKind& kind,
                                             const internal::ParamRef& ref,
                                             const AdmissionRequest& request) {
  std::string ns = ref.namespace_name;
  if (ns.empty() && request.namespaced) ns = request.namespace_name;
  std::vector<const core::Value*> selected;
  for (const core::Value& object : params) {
    if (StringAt(object, "apiVersion") != kind.api_version ||
        StringAt(object, "kind") != kind.kind) {
      continue;
    }
    std::string object_ns = StringAt(object, "metadata.namespace");
    if (!object_ns.empty() && object_ns != ns) continue;
    if (!ref.name.empty() && StringAt(object, "metadata.name") != ref.name) continue;
    if (ref.selector.has_value() && !ref.selector->Matches(LabelsOf(&object))) continue;
    selected.push_back(&object);
  }
  return selected;
}

struct RequestInputs {
  const AdmissionRequest* request;
  core::Value request_document;
  const core::Value* namespace_object;
  const core::Value* namespace_labels;
  const kyverno::ExternalData* external_data;
};

Result BaseResult(const CompiledPolicy& policy, const AdmissionRequest& request) {
  Result result;
  result.policy = policy.name;
  result.policy_kind = policy.kind;
  result.resource = request.ResourceLabel();
  return result;
}

void EvaluateWithParam(const CompiledPolicy& policy, const RequestInputs& inputs,
                       const core::Value* param, Result* result) {
  internal::RuleInputs rule_inputs;
  rule_inputs.request = inputs.request;
  rule_inputs.request_document = &inputs.request_document;
  rule_inputs.params = param;
  rule_inputs.namespace_object = inputs.namespace_object;
  internal::EvaluateRule(policy, policy.rules.front(), rule_inputs, result);
}

void EvaluateBinding(const CompiledPolicy& policy, const CompiledBinding* binding,
                     const std::vector<core::Value>& params, const RequestInputs& inputs,
                     std::vector<Result>& out) {
  Result result = BaseResult(policy, *inputs.request);
  const AdmissionRequest& request = *inputs.request;
  if (binding != nullptr) {
    result.binding = binding->name;
    result.validation_actions = binding->validation_actions;
  } else {
    result.validation_actions = {"Deny"};
  }
  if (!policy.rules.front().match_constraints.Matches(request, *inputs.namespace_labels)) {
    result.message = "not matched by spec.matchConstraints";
    out.push_back(std::move(result));
    return;
  }
  if (binding != nullptr && binding->match_resources.has_value() &&
      !binding->match_resources->Matches(request, *inputs.namespace_labels)) {
    result.message = "not matched by the binding's spec.matchResources";
    out.push_back(std::move(result));
    return;
  }
  if (!policy.param_kind.has_value()) {
    EvaluateWithParam(policy, inputs, nullptr, &result);
    out.push_back(std::move(result));
    return;
  }
  if (binding == nullptr || !binding->param_ref.has_value()) {
    internal::ConfigurationError(
        policy,
        absl::StrCat("policy has spec.paramKind ", policy.param_kind->api_version, " ",
                     policy.param_kind->kind,
                     binding == nullptr ? " but no binding" : " but the binding has no paramRef"),
        &result);
    out.push_back(std::move(result));
    return;
  }
  std::vector<const core::Value*> selected =
      SelectParams(params, *policy.param_kind, *binding->param_ref, request);
  if (selected.empty()) {
    if (binding->param_ref->deny_when_not_found) {
      internal::ConfigurationError(
          policy, "no params found for policy binding with `Deny` parameterNotFoundAction",
          &result);
    } else {
      result.message = "no params found (parameterNotFoundAction Allow)";
    }
    out.push_back(std::move(result));
    return;
  }
  for (const core::Value* param : selected) {
    Result per_param = result;
    per_param.param = ObjectLabel(*param);
    EvaluateWithParam(policy, inputs, param, &per_param);
    out.push_back(std::move(per_param));
  }
}

void EvaluateKyverno(const CompiledPolicy& policy, const RequestInputs& inputs,
                     const std::vector<const internal::CompiledException*>& exceptions,
                     std::vector<Result>& out) {
  bool matched = false;
  if (policy.kind == internal::kKyvernoNamespacedValidatingPolicy &&
      inputs.request->namespace_name != policy.namespace_name) {
    Result result = BaseResult(policy, *inputs.request);
    result.validation_actions = policy.validation_actions;
    result.message = absl::StrCat("not in the policy's namespace ", policy.namespace_name);
    out.push_back(std::move(result));
    return;
  }
  for (const internal::PolicyRule& rule : policy.rules) {
    if (!rule.match_constraints.Matches(*inputs.request, *inputs.namespace_labels)) continue;
    matched = true;
    Result result = BaseResult(policy, *inputs.request);
    result.rule = rule.name;
    result.validation_actions = policy.validation_actions;
    internal::RuleInputs rule_inputs;
    rule_inputs.request = inputs.request;
    rule_inputs.request_document = &inputs.request_document;
    rule_inputs.namespace_object = inputs.namespace_object;
    rule_inputs.external_data = inputs.external_data;
    rule_inputs.exceptions = exceptions;
    internal::EvaluateRule(policy, rule, rule_inputs, &result);
    out.push_back(std::move(result));
  }
  if (!matched) {
    Result result = BaseResult(policy, *inputs.request);
    result.validation_actions = policy.validation_actions;
    result.message = "not matched by spec.matchConstraints";
    out.push_back(std::move(result));
  }
}

}  // namespace

absl::StatusOr<std::vector<SourceDocument>> ReadDocuments(absl::Span<const std::string> paths,
                                                          const core::Limits& limits) {
  std::vector<SourceDocument> documents;
  for (const std::string& path : paths) {
    std::error_code error;
    if (!std::filesystem::is_directory(path, error)) {
      BULWARK_RETURN_IF_ERROR(AppendFile(path, limits, documents));
      continue;
    }
    std::vector<std::string> files;
    std::filesystem::recursive_directory_iterator it(path, error), end;
    if (error) return core::ErrnoToStatus(error.value(), path);
    for (; it != end; it.increment(error)) {
      if (error) return core::ErrnoToStatus(error.value(), path);
      if (it->is_regular_file(error) && IsDocumentFile(it->path())) {
        files.push_back(it->path().string());
      }
    }
    std::sort(files.begin(), files.end());
    for (const std::string& file : files) {
      BULWARK_RETURN_IF_ERROR(AppendFile(file, limits, documents));
    }
  }
  return documents;
}

PolicySet::PolicySet() = default;
PolicySet::~PolicySet() = default;

absl::StatusOr<std::unique_ptr<const PolicySet>> PolicySet::FromDocuments(
    std::vector<SourceDocument> policies, std::vector<SourceDocument> params,
    const LoadOptions& options) {
  std::unique_ptr<PolicySet> set(new PolicySet());
  for (const SourceDocument& doc : policies) {
    std::string group = ApiGroup(doc.document);
    std::string kind = StringAt(doc.document, "kind");
    if (group == "admissionregistration.k8s.io" && kind == internal::kValidatingAdmissionPolicy) {
      BULWARK_ASSIGN_OR_RETURN(auto policy,
                               internal::CompileValidatingAdmissionPolicy(doc, options.cel_limits));
      set->policies_.push_back(std::move(policy));
    } else if (group == "admissionregistration.k8s.io" &&
               kind == internal::kValidatingAdmissionPolicyBinding) {
      BULWARK_ASSIGN_OR_RETURN(auto binding, internal::ParseValidatingAdmissionPolicyBinding(doc));
      set->bindings_.push_back(std::move(binding));
    } else if (group == "policies.kyverno.io" &&
               (kind == internal::kKyvernoValidatingPolicy ||
                kind == internal::kKyvernoNamespacedValidatingPolicy)) {
      BULWARK_ASSIGN_OR_RETURN(auto policy,
                               internal::CompileKyvernoValidatingPolicy(doc, options.cel_limits));
      set->policies_.push_back(std::move(policy));
    } else if (group == "policies.kyverno.io" && kind == internal::kKyvernoPolicyException) {
      BULWARK_ASSIGN_OR_RETURN(auto exception,
                               internal::CompileKyvernoPolicyException(doc, options.cel_limits));
      set->exceptions_.push_back(std::move(exception));
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat(doc.source, ": not a supported policy document (apiVersion '",
                       StringAt(doc.document, "apiVersion"), "', kind '", kind,
                       "'); expected admissionregistration.k8s.io ValidatingAdmissionPolicy or "
                       "ValidatingAdmissionPolicyBinding, or policies.kyverno.io ValidatingPolicy, "
                       "NamespacedValidatingPolicy or PolicyException"));
    }
  }
  for (size_t i = 0; i < set->policies_.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (set->policies_[i]->name == set->policies_[j]->name &&
          set->policies_[i]->kind == set->policies_[j]->kind &&
          set->policies_[i]->namespace_name == set->policies_[j]->namespace_name) {
        return absl::InvalidArgumentError(absl::StrCat(
            set->policies_[i]->source, ": ", set->policies_[i]->kind, " '", set->policies_[i]->name,
            "' is also defined in ", set->policies_[j]->source));
      }
    }
  }
  for (const auto& binding : set->bindings_) {
    bool found = std::any_of(set->policies_.begin(), set->policies_.end(), [&](const auto& p) {
      return p->kind == internal::kValidatingAdmissionPolicy && p->name == binding->policy_name;
    });
    if (!found) {
      return absl::InvalidArgumentError(
          absl::StrCat(binding->source, ": ValidatingAdmissionPolicyBinding '", binding->name,
                       "' names policy '", binding->policy_name,
                       "', which is not among the loaded ValidatingAdmissionPolicies"));
    }
  }
  for (SourceDocument& param : params) set->params_.push_back(std::move(param.document));
  return std::unique_ptr<const PolicySet>(std::move(set));
}

absl::StatusOr<std::unique_ptr<const PolicySet>> PolicySet::Load(
    absl::Span<const std::string> policy_paths, absl::Span<const std::string> param_paths,
    const LoadOptions& options) {
  BULWARK_ASSIGN_OR_RETURN(std::vector<SourceDocument> policies,
                           ReadDocuments(policy_paths, options.limits));
  BULWARK_ASSIGN_OR_RETURN(std::vector<SourceDocument> params,
                           ReadDocuments(param_paths, options.limits));
  return FromDocuments(std::move(policies), std::move(params), options);
}

std::vector<Result> PolicySet::Evaluate(const AdmissionRequest& request,
                                        const EvaluationContext& context) const {
  RequestInputs inputs;
  inputs.request = &request;
  inputs.request_document = request.ToDocument();
  core::Value synthesized_namespace;
  inputs.namespace_object = nullptr;
  if (request.namespaced && !request.namespace_name.empty()) {
    inputs.namespace_object = FindNamespace(params_, context, request.namespace_name);
    if (inputs.namespace_object == nullptr) {
      synthesized_namespace = DefaultNamespace(request.namespace_name);
      inputs.namespace_object = &synthesized_namespace;
    }
  }
  inputs.namespace_labels = &LabelsOf(inputs.namespace_object);
  inputs.external_data = context.external_data;

  std::vector<Result> results;
  for (const auto& policy : policies_) {
    if (policy->is_kyverno()) {
      std::vector<const internal::CompiledException*> exceptions;
      for (const auto& exception : exceptions_) {
        if (exception->Applies(policy->kind, policy->name)) exceptions.push_back(exception.get());
      }
      EvaluateKyverno(*policy, inputs, exceptions, results);
      continue;
    }
    bool bound = false;
    for (const auto& binding : bindings_) {
      if (binding->policy_name != policy->name) continue;
      bound = true;
      EvaluateBinding(*policy, binding.get(), params_, inputs, results);
    }
    if (bound) continue;
    if (policy->param_kind.has_value()) {
      Result result = BaseResult(*policy, request);
      result.message = "no ValidatingAdmissionPolicyBinding (the policy needs params)";
      results.push_back(std::move(result));
      continue;
    }
    EvaluateBinding(*policy, nullptr, params_, inputs, results);
  }
  return results;
}

absl::StatusOr<std::vector<Result>> PolicySet::EvaluateObject(
    const core::Value& object, const EvaluationContext& context) const {
  BULWARK_ASSIGN_OR_RETURN(AdmissionRequest request, RequestForObject(object));
  return Evaluate(request, context);
}

std::vector<std::string> PolicySet::PolicyNames() const {
  std::vector<std::string> names;
  for (const auto& policy : policies_) names.push_back(policy->name);
  return names;
}

}  // namespace bulwark::policy
