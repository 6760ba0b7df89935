// Which requests a policy or binding applies to (admissionregistration.k8s.io/v1 MatchResources):
// resourceRules and excludeResourceRules (apiGroups, apiVersions, resources with the "*", "*/*",
// "pods/*" and "*/status" forms, resourceNames, operations, scope), namespaceSelector and
// objectSelector.
//   BULWARK_ASSIGN_OR_RETURN(MatchResources m, MatchResources::Parse(doc, "spec.matchConstraints",
//                                                                  /*rules_required=*/true));
//   if (m.Matches(request, &namespace_labels)) ...
// Thread safety: immutable after Parse.
#ifndef BULWARK_POLICY_ADMISSION_MATCH_RESOURCES_H_
#define BULWARK_POLICY_ADMISSION_MATCH_RESOURCES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/value.h"
#include "bulwark/policy/admission/label_selector.h"
#include "bulwark/policy/admission/request.h"

namespace bulwark::policy {

// One NamedRuleWithOperations.
struct ResourceRule {
  std::vector<std::string> api_groups;
  std::vector<std::string> api_versions;
  std::vector<std::string> resources;
  std::vector<std::string> resource_names;  // empty: any name
  std::vector<std::string> operations;
  std::string scope = "*";  // "Cluster", "Namespaced" or "*"

  bool Matches(const AdmissionRequest& request) const;
};

class MatchResources {
 public:
  // Parses a MatchResources document at `where`. With `rules_required` (a policy's
  // matchConstraints) an empty resourceRules matches nothing; without (a binding's
  // matchResources) it does not constrain. Errors: InvalidArgument naming the field.
  static absl::StatusOr<MatchResources> Parse(const core::Value& doc, absl::string_view where,
                                              bool rules_required);

  // Whether `request` is matched. `namespace_labels` are the labels of the request's namespace
  // (null when unknown or cluster-scoped). As in Kubernetes: the namespaceSelector applies to the
  // namespace of namespaced resources, to the object itself for a Namespace, and never excludes
  // other cluster-scoped resources; the objectSelector matches when object or oldObject matches,
  // a null object never matches a non-empty selector.
  bool Matches(const AdmissionRequest& request, const core::Value& namespace_labels) const;

  const std::vector<ResourceRule>& resource_rules() const { return resource_rules_; }
  const LabelSelector& namespace_selector() const { return namespace_selector_; }
  const LabelSelector& object_selector() const { return object_selector_; }

 private:
  std::vector<ResourceRule> resource_rules_;
  std::vector<ResourceRule> exclude_resource_rules_;
  LabelSelector namespace_selector_;
  LabelSelector object_selector_;
  bool rules_required_ = true;
};

}  // namespace bulwark::policy

#endif  // BULWARK_POLICY_ADMISSION_MATCH_RESOURCES_H_
