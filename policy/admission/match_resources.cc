#include "bulwark/policy/admission/match_resources.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/policy/admission/internal/documents.h"

namespace bulwark::policy {
namespace {

using internal::FieldError;
using internal::FieldPath;

bool ContainsOrStar(const std::vector<std::string>& list, absl::string_view value) {
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& item) { return item == "*" || item == value; });
}

// Kubernetes' resource matching: "*" all resources (no subresources), "*/*" everything,
// "r/*" all subresources of r, "*/s" subresource s of every resource.
bool ResourceMatches(const std::vector<std::string>& patterns, const AdmissionRequest& request) {
  for (const std::string& pattern : patterns) {
    std::pair<absl::string_view, absl::string_view> parts =
        absl::StrSplit(pattern, absl::MaxSplits('/', 1));
    absl::string_view resource = parts.first;
    absl::string_view sub = parts.second;
    bool has_sub = absl::StrContains(pattern, '/');
    if (resource != "*" && resource != request.resource.resource) continue;
    if (!has_sub) {
      if (request.sub_resource.empty()) return true;
      continue;
    }
    if (sub == "*" || sub == request.sub_resource) return true;
  }
  return false;
}

absl::StatusOr<std::vector<ResourceRule>> ParseRules(const core::Value& doc,
                                                     absl::string_view field,
                                                     absl::string_view where) {
  std::vector<ResourceRule> rules;
  BULWARK_ASSIGN_OR_RETURN(const core::ValueList* list, internal::OptionalList(doc, field, where));
  if (list == nullptr) return rules;
  for (size_t i = 0; i < list->size(); ++i) {
    const core::Value& item = (*list)[i];
    std::string path = absl::StrCat(FieldPath(where, field), "[", i, "]");
    if (!item.is_map()) return FieldError(path, item, "expected a map");
    ResourceRule rule;
    BULWARK_ASSIGN_OR_RETURN(rule.api_groups, internal::StringList(item, "apiGroups", path));
    BULWARK_ASSIGN_OR_RETURN(rule.api_versions, internal::StringList(item, "apiVersions", path));
    BULWARK_ASSIGN_OR_RETURN(rule.resources, internal::StringList(item, "resources", path));
    BULWARK_ASSIGN_OR_RETURN(rule.resource_names,
                             internal::StringList(item, "resourceNames", path));
    BULWARK_ASSIGN_OR_RETURN(rule.operations, internal::StringList(item, "operations", path));
    BULWARK_ASSIGN_OR_RETURN(std::string scope, internal::OptionalString(item, "scope", path));
    if (!scope.empty()) rule.scope = scope;
    if (rule.scope != "*" && rule.scope != "Cluster" && rule.scope != "Namespaced") {
      return FieldError(FieldPath(path, "scope"), item,
                        absl::StrCat("expected Cluster, Namespaced or *, got '", scope, "'"));
    }
    for (const std::string& operation : rule.operations) {
      if (operation != "*" && operation != "CREATE" && operation != "UPDATE" &&
          operation != "DELETE" && operation != "CONNECT") {
        return FieldError(FieldPath(path, "operations"), item,
                          absl::StrCat("unknown operation '", operation, "'"));
      }
    }
    rules.push_back(std::move(rule));
  }
  return rules;
}

const core::Value& Labels(const core::Value& object) {
  static const core::Value* const kNull = new core::Value();
  const core::Value* labels = internal::FindPath(object, "metadata.labels");
  return labels == nullptr ? *kNull : *labels;
}

}  // namespace

bool ResourceRule::Matches(const AdmissionRequest& request) const {
  if (!ContainsOrStar(operations, request.operation)) return false;
  if (!ContainsOrStar(api_groups, request.resource.group)) return false;
  if (!ContainsOrStar(api_versions, request.resource.version)) return false;
  if (!ResourceMatches(resources, request)) return false;
  if (scope == "Cluster" && request.namespaced) return false;
  if (scope == "Namespaced" && !request.namespaced) return false;
  if (!resource_names.empty() && std::find(resource_names.begin(), resource_names.end(),
                                           request.name) == resource_names.end()) {
    return false;
  }
  return true;
}

absl::StatusOr<MatchResources> MatchResources::Parse(const core::Value& doc,
                                                     absl::string_view where, bool rules_required) {
  MatchResources result;
  result.rules_required_ = rules_required;
  if (doc.is_null()) return result;
  if (!doc.is_map()) return FieldError(where, doc, "expected a map");
  BULWARK_ASSIGN_OR_RETURN(result.resource_rules_, ParseRules(doc, "resourceRules", where));
  BULWARK_ASSIGN_OR_RETURN(result.exclude_resource_rules_,
                           ParseRules(doc, "excludeResourceRules", where));
  static const core::Value* const kNull = new core::Value();
  const core::Value* namespace_selector = doc.Find("namespaceSelector");
  BULWARK_ASSIGN_OR_RETURN(result.namespace_selector_,
                           LabelSelector::Parse(namespace_selector ? *namespace_selector : *kNull,
                                                FieldPath(where, "namespaceSelector")));
  const core::Value* object_selector = doc.Find("objectSelector");
  BULWARK_ASSIGN_OR_RETURN(result.object_selector_,
                           LabelSelector::Parse(object_selector ? *object_selector : *kNull,
                                                FieldPath(where, "objectSelector")));
  BULWARK_ASSIGN_OR_RETURN(std::string match_policy,
                           internal::OptionalString(doc, "matchPolicy", where));
  if (!match_policy.empty() && match_policy != "Equivalent" && match_policy != "Exact") {
    return FieldError(FieldPath(where, "matchPolicy"), doc,
                      absl::StrCat("expected Equivalent or Exact, got '", match_policy, "'"));
  }
  return result;
}

bool MatchResources::Matches(const AdmissionRequest& request,
                             const core::Value& namespace_labels) const {
  if (rules_required_ || !resource_rules_.empty()) {
    bool included = std::any_of(resource_rules_.begin(), resource_rules_.end(),
                                [&](const ResourceRule& r) { return r.Matches(request); });
    if (!included) return false;
  }
  for (const ResourceRule& rule : exclude_resource_rules_) {
    if (rule.Matches(request)) return false;
  }
  if (!namespace_selector_.empty()) {
    if (request.namespaced) {
      if (!namespace_selector_.Matches(namespace_labels)) return false;
    } else if (request.kind.group.empty() && request.kind.kind == "Namespace") {
      const core::Value& object = request.object.is_null() ? request.old_object : request.object;
      if (!namespace_selector_.Matches(Labels(object))) return false;
    }
  }
  if (!object_selector_.empty()) {
    bool object_matches =
        !request.object.is_null() && object_selector_.Matches(Labels(request.object));
    bool old_matches =
        !request.old_object.is_null() && object_selector_.Matches(Labels(request.old_object));
    if (!object_matches && !old_matches) return false;
  }
  return true;
}

}  // namespace bulwark::policy
