// Matching rules from the admissionregistration.k8s.io/v1 reference: resource patterns with
// subresources, scope, operations, excludeResourceRules, label selectors, namespaceSelector
// for Namespaces and cluster-scoped objects, objectSelector on object or oldObject.
#include "bulwark/policy/admission/match_resources.h"

#include <string>

#include "bulwark/core/document.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/policy/admission/label_selector.h"
#include "bulwark/policy/admission/request.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::policy {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::HasSubstr;

core::Value Doc(const std::string& yaml) {
  absl::StatusOr<std::vector<core::Value>> docs = core::ParseYaml(yaml);
  EXPECT_THAT(docs.status(), IsOk());
  return docs.ok() && !docs->empty() ? (*docs)[0] : core::Value();
}

MatchResources Match(const std::string& yaml, bool rules_required = true) {
  absl::StatusOr<MatchResources> match = MatchResources::Parse(Doc(yaml), "m", rules_required);
  EXPECT_THAT(match.status(), IsOk());
  return match.ok() ? *match : MatchResources();
}

AdmissionRequest Request(const std::string& object_yaml, const std::string& operation = "CREATE") {
  absl::StatusOr<AdmissionRequest> request = RequestForObject(Doc(object_yaml), operation);
  EXPECT_THAT(request.status(), IsOk());
  return request.ok() ? *request : AdmissionRequest();
}

const core::Value kNoLabels;

TEST(LabelSelectorTest, MatchLabelsAndExpressions) {
  absl::StatusOr<LabelSelector> selector = LabelSelector::Parse(Doc(R"yaml(
matchLabels: {app: web}
matchExpressions:
- {key: tier, operator: In, values: [frontend, edge]}
- {key: env, operator: NotIn, values: [prod]}
- {key: owner, operator: Exists}
- {key: legacy, operator: DoesNotExist}
)yaml"),
                                                                "s");
  ASSERT_THAT(selector.status(), IsOk());
  EXPECT_TRUE(selector->Matches(Doc("{app: web, tier: edge, owner: x}")));
  EXPECT_TRUE(selector->Matches(Doc("{app: web, tier: edge, owner: x, env: dev}")));
  EXPECT_FALSE(selector->Matches(Doc("{app: web, tier: edge, owner: x, env: prod}")));
  EXPECT_FALSE(selector->Matches(Doc("{app: web, tier: edge}")));
  EXPECT_FALSE(selector->Matches(Doc("{app: web, tier: edge, owner: x, legacy: 'y'}")));
  EXPECT_FALSE(selector->Matches(kNoLabels));
  EXPECT_TRUE(LabelSelector::Parse(Doc("{}"), "s")->Matches(kNoLabels));
}

TEST(LabelSelectorTest, RejectsMalformedRequirements) {
  EXPECT_THAT(
      LabelSelector::Parse(Doc("{matchExpressions: [{key: a, operator: Equals}]}"), "sel").status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown operator")));
  EXPECT_THAT(
      LabelSelector::Parse(Doc("{matchExpressions: [{key: a, operator: In}]}"), "sel").status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("must be non-empty")));
  EXPECT_THAT(LabelSelector::Parse(
                  Doc("{matchExpressions: [{key: a, operator: Exists, values: [x]}]}"), "sel")
                  .status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("must be empty")));
}

TEST(MatchResourcesTest, ResourcePatternsAndSubresources) {
  AdmissionRequest pod = Request("{apiVersion: v1, kind: Pod, metadata: {name: p}}");
  AdmissionRequest pod_status = pod;
  pod_status.sub_resource = "status";
  auto rule = [](const std::string& resources) {
    return Match(
        "{resourceRules: [{apiGroups: [''], apiVersions: ['*'], operations: ['*'], "
        "resources: " +
        resources + "}]}");
  };
  EXPECT_TRUE(rule("['*']").Matches(pod, kNoLabels));
  EXPECT_FALSE(rule("['*']").Matches(pod_status, kNoLabels));
  EXPECT_TRUE(rule("['*/*']").Matches(pod_status, kNoLabels));
  EXPECT_TRUE(rule("['pods/*']").Matches(pod_status, kNoLabels));
  EXPECT_TRUE(rule("['pods/*']").Matches(pod, kNoLabels));  // sub "*" also matches ""
  EXPECT_TRUE(rule("['*/status']").Matches(pod_status, kNoLabels));
  EXPECT_FALSE(rule("['deployments']").Matches(pod, kNoLabels));
}

TEST(MatchResourcesTest, OperationsScopeNamesAndExclusions) {
  MatchResources match = Match(R"yaml(
resourceRules:
- {apiGroups: ["*"], apiVersions: ["*"], operations: [CREATE], resources: ["*"], scope: Namespaced}
excludeResourceRules:
- {apiGroups: [""], apiVersions: [v1], operations: ["*"], resources: [configmaps],
   resourceNames: [kube-root-ca.crt]}
)yaml");
  EXPECT_TRUE(
      match.Matches(Request("{apiVersion: v1, kind: ConfigMap, metadata: {name: a}}"), kNoLabels));
  EXPECT_FALSE(match.Matches(
      Request("{apiVersion: v1, kind: ConfigMap, metadata: {name: kube-root-ca.crt}}"), kNoLabels));
  EXPECT_FALSE(match.Matches(
      Request("{apiVersion: v1, kind: ConfigMap, metadata: {name: a}}", "DELETE"), kNoLabels));
  // Cluster-scoped kinds are not Namespaced.
  EXPECT_FALSE(match.Matches(
      Request("{apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: r}}"),
      kNoLabels));
}

TEST(MatchResourcesTest, NamespaceSelector) {
  MatchResources match = Match(R"yaml(
namespaceSelector:
  matchExpressions: [{key: environment, operator: In, values: [test]}]
resourceRules:
- {apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*"]}
)yaml");
  AdmissionRequest deployment =
      Request("{apiVersion: apps/v1, kind: Deployment, metadata: {name: d, namespace: x}}");
  EXPECT_TRUE(match.Matches(deployment, Doc("{environment: test}")));
  EXPECT_FALSE(match.Matches(deployment, Doc("{environment: prod}")));
  // A Namespace is matched on its own labels.
  EXPECT_TRUE(match.Matches(
      Request(
          "{apiVersion: v1, kind: Namespace, metadata: {name: n, labels: {environment: test}}}"),
      kNoLabels));
  EXPECT_FALSE(
      match.Matches(Request("{apiVersion: v1, kind: Namespace, metadata: {name: n}}"), kNoLabels));
  // Other cluster-scoped objects are never excluded by a namespaceSelector.
  EXPECT_TRUE(
      match.Matches(Request("{apiVersion: v1, kind: Node, metadata: {name: n}}"), kNoLabels));
}

TEST(MatchResourcesTest, ObjectSelectorMatchesObjectOrOldObject) {
  MatchResources match = Match(R"yaml(
objectSelector: {matchLabels: {managed: "true"}}
resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: ["*"], resources: [pods]}]
)yaml");
  EXPECT_TRUE(match.Matches(
      Request("{apiVersion: v1, kind: Pod, metadata: {name: p, labels: {managed: 'true'}}}"),
      kNoLabels));
  EXPECT_FALSE(
      match.Matches(Request("{apiVersion: v1, kind: Pod, metadata: {name: p}}"), kNoLabels));
  AdmissionRequest update = Request("{apiVersion: v1, kind: Pod, metadata: {name: p}}", "UPDATE");
  update.old_object =
      Doc("{apiVersion: v1, kind: Pod, metadata: {name: p, labels: {managed: 'true'}}}");
  EXPECT_TRUE(match.Matches(update, kNoLabels));
  // DELETE: only oldObject exists.
  EXPECT_TRUE(match.Matches(
      Request("{apiVersion: v1, kind: Pod, metadata: {name: p, labels: {managed: 'true'}}}",
              "DELETE"),
      kNoLabels));
}

TEST(MatchResourcesTest, BindingWithoutRulesDoesNotConstrain) {
  AdmissionRequest pod = Request("{apiVersion: v1, kind: Pod, metadata: {name: p}}");
  EXPECT_TRUE(Match("{}", /*rules_required=*/false).Matches(pod, kNoLabels));
  EXPECT_FALSE(Match("{}", /*rules_required=*/true).Matches(pod, kNoLabels));
}

TEST(RequestTest, ResourceNamesAndScopes) {
  EXPECT_EQ(ResourceForKind("Pod"), "pods");
  EXPECT_EQ(ResourceForKind("NetworkPolicy"), "networkpolicies");
  EXPECT_EQ(ResourceForKind("Ingress"), "ingresses");
  EXPECT_EQ(ResourceForKind("Gateway"), "gateways");
  EXPECT_EQ(ResourceForKind("Endpoints"), "endpoints");
  AdmissionRequest pod = Request("{apiVersion: v1, kind: Pod, metadata: {name: p}}");
  EXPECT_EQ(pod.namespace_name, "default");
  EXPECT_EQ(pod.resource.group, "");
  EXPECT_EQ(pod.resource.version, "v1");
  AdmissionRequest role =
      Request("{apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: r}}");
  EXPECT_FALSE(role.namespaced);
  EXPECT_EQ(role.namespace_name, "");
  EXPECT_EQ(role.resource.group, "rbac.authorization.k8s.io");
  EXPECT_THAT(RequestForObject(Doc("{kind: Pod}")).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("apiVersion and kind")));
  EXPECT_THAT(RequestForObject(Doc("{apiVersion: a/b/c, kind: Pod}")).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("malformed apiVersion")));
}

}  // namespace
}  // namespace bulwark::policy
