// ValidatingAdmissionPolicy semantics from the Kubernetes documentation ("Validating Admission
// Policy" concept page and the admissionregistration.k8s.io/v1 API reference), each case written
// from the documented behaviour.
#include "bulwark/policy/admission/policy_set.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/core/document.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/policy/admission/admission_review.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::policy {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::SizeIs;

std::vector<SourceDocument> Docs(const std::string& yaml) {
  absl::StatusOr<std::vector<core::Value>> docs = core::ParseYaml(yaml);
  EXPECT_THAT(docs.status(), IsOk());
  std::vector<SourceDocument> result;
  for (size_t i = 0; docs.ok() && i < docs->size(); ++i) {
    result.push_back({absl::StrCat("test.yaml#", i), (*docs)[i]});
  }
  return result;
}

core::Value Doc(const std::string& yaml) { return Docs(yaml).front().document; }

std::unique_ptr<const PolicySet> MustLoad(const std::string& policies,
                                          const std::string& params = "") {
  absl::StatusOr<std::unique_ptr<const PolicySet>> set = PolicySet::FromDocuments(
      Docs(policies), params.empty() ? std::vector<SourceDocument>{} : Docs(params));
  EXPECT_THAT(set.status(), IsOk());
  return set.ok() ? *std::move(set) : nullptr;
}

std::vector<Result> EvaluateYaml(const PolicySet& set, const std::string& object) {
  absl::StatusOr<std::vector<Result>> results = set.EvaluateObject(Doc(object));
  EXPECT_THAT(results.status(), IsOk());
  return results.ok() ? *results : std::vector<Result>{};
}

constexpr char kReplicaLimit[] = R"yaml(
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: demo-policy.example.com
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - apiGroups: ["apps"]
      apiVersions: ["v1"]
      operations: ["CREATE", "UPDATE"]
      resources: ["deployments"]
  validations:
  - expression: "object.spec.replicas <= 5"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: demo-binding-test.example.com
spec:
  policyName: demo-policy.example.com
  validationActions: [Deny]
  matchResources:
    namespaceSelector:
      matchLabels:
        environment: test
)yaml";

std::string Deployment(int replicas, const std::string& ns = "default") {
  return absl::StrCat("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: ",
                      ns, "}\nspec: {replicas: ", replicas, "}\n");
}

TEST(PolicySetTest, DocumentedReplicaLimitDeniesInSelectedNamespace) {
  auto set = MustLoad(kReplicaLimit);
  ASSERT_NE(set, nullptr);
  core::Value test_ns =
      Doc("{apiVersion: v1, kind: Namespace, metadata: {name: staging, labels: "
          "{environment: test}}}");
  EvaluationContext context;
  context.namespaces.push_back(&test_ns);

  auto results = set->EvaluateObject(Doc(Deployment(6, "staging")), context);
  ASSERT_THAT(results.status(), IsOk());
  ASSERT_THAT(*results, SizeIs(1));
  const Result& r = (*results)[0];
  EXPECT_EQ(r.outcome, Outcome::kFail);
  EXPECT_EQ(r.binding, "demo-binding-test.example.com");
  EXPECT_EQ(r.message, "failed expression: object.spec.replicas <= 5");
  EXPECT_EQ(r.FailedValidationIndex(), 0);
  EXPECT_TRUE(r.Denies());

  results = set->EvaluateObject(Doc(Deployment(5, "staging")), context);
  EXPECT_EQ((*results)[0].outcome, Outcome::kPass);
  // A namespace without the label is not selected by the binding.
  results = set->EvaluateObject(Doc(Deployment(6, "prod")), context);
  EXPECT_EQ((*results)[0].outcome, Outcome::kSkip);
  // Other resources are not matched by the policy.
  EXPECT_EQ(EvaluateYaml(*set, "{apiVersion: v1, kind: Pod, metadata: {name: p}}")[0].outcome,
            Outcome::kSkip);
}

TEST(PolicySetTest, MessageExpressionFallsBackToMessage) {
  auto set = MustLoad(R"yaml(
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: replicas}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: ["apps"], apiVersions: ["v1"], operations: ["*"], resources: ["deployments"]}
  validations:
  - expression: "object.spec.replicas <= 5"
    messageExpression: "'replicas ' + string(object.spec.replicas) + ' > 5'"
    reason: Forbidden
  - expression: "object.spec.replicas < 3"
    message: "fewer than three please"
    messageExpression: "''"
  - expression: "object.spec.replicas < 2"
    message: "static message"
    messageExpression: "object.spec.missing"
)yaml");
  auto results = EvaluateYaml(*set, Deployment(7));
  ASSERT_THAT(results, SizeIs(1));
  ASSERT_THAT(results[0].failures, SizeIs(3));
  EXPECT_EQ(results[0].failures[0].message, "replicas 7 > 5");
  EXPECT_EQ(results[0].failures[0].reason, "Forbidden");
  EXPECT_EQ(results[0].failures[1].message, "fewer than three please");  // empty string
  EXPECT_EQ(results[0].failures[2].message, "static message");           // runtime error
  EXPECT_EQ(results[0].failures[2].index, 2);
  EXPECT_EQ(results[0].validation_actions, std::vector<std::string>{"Deny"});  // unbound VAP
}

TEST(PolicySetTest, VariablesAreLazyAndSeeEarlierVariables) {
  auto set = MustLoad(R"yaml(
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: image-matches-namespace-environment.policy.example.com}
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - {apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"],
       resources: ["deployments"]}
  variables:
  - name: environment
    expression: "'environment' in namespaceObject.metadata.labels ? namespaceObject.metadata.labels['environment'] : 'prod'"
  - name: exempt
    expression: "'exempt' in object.metadata.labels && object.metadata.labels['exempt'] == 'true'"
  - name: containers
    expression: "object.spec.template.spec.containers"
  - name: containersToCheck
    expression: "variables.containers.filter(c, c.image.contains('example.com/'))"
  - name: broken
    expression: "object.spec.nothing.here"
  validations:
  - expression: "variables.exempt || variables.containersToCheck.all(c, c.image.startsWith(variables.environment + '.'))"
    messageExpression: "'only ' + variables.environment + ' images are allowed in namespace ' + namespaceObject.metadata.name"
)yaml");
  core::Value staging =
      Doc("{apiVersion: v1, kind: Namespace, metadata: {name: staging, labels: {environment: "
          "staging}}}");
  EvaluationContext context;
  context.namespaces.push_back(&staging);
  auto deployment = [](const std::string& image, const std::string& labels) {
    return Doc(absl::StrCat(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: "
        "staging, labels: {",
        labels, "}}\nspec: {template: {spec: {containers: [{name: c, image: '", image, "'}]}}}\n"));
  };
  // The unused variable `broken` would fail, but it is never evaluated.
  auto results = set->EvaluateObject(deployment("staging.example.com/app", ""), context);
  ASSERT_THAT(results.status(), IsOk());
  EXPECT_EQ((*results)[0].outcome, Outcome::kPass);
  results = set->EvaluateObject(deployment("prod.example.com/app", ""), context);
  EXPECT_EQ((*results)[0].outcome, Outcome::kFail);
  EXPECT_EQ((*results)[0].message, "only staging images are allowed in namespace staging");
  results = set->EvaluateObject(deployment("prod.example.com/app", "exempt: 'true'"), context);
  EXPECT_EQ((*results)[0].outcome, Outcome::kPass);
}

TEST(PolicySetTest, VariableCannotReferenceLaterVariable) {
  auto set = MustLoad(R"yaml(
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: order}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [""], apiVersions: ["v1"], operations: ["*"], resources: ["pods"]}]
  variables:
  - {name: first, expression: "variables.second + 1"}
  - {name: second, expression: "1"}
  validations:
  - expression: "variables.first == 2"
)yaml");
  auto results = EvaluateYaml(*set, "{apiVersion: v1, kind: Pod, metadata: {name: p}}");
  ASSERT_THAT(results, SizeIs(1));
  EXPECT_EQ(results[0].outcome, Outcome::kError);
  EXPECT_THAT(results[0].message, HasSubstr("variable 'first' resulted in error"));
}

constexpr char kParamPolicy[] = R"yaml(
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: replicalimit-policy.example.com}
spec:
  failurePolicy: Fail
  paramKind: {apiVersion: rules.example.com/v1, kind: ReplicaLimit}
  matchConstraints:
    resourceRules:
    - {apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"],
       resources: ["deployments"]}
  validations:
  - expression: "object.spec.replicas <= params.maxReplicas"
    messageExpression: "'object.spec.replicas must be no greater than ' + string(params.maxReplicas)"
    reason: Invalid
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: replicalimit-binding-test.example.com}
spec:
  policyName: replicalimit-policy.example.com
  validationActions: [Deny]
  paramRef:
    name: replica-limit-test.example.com
    namespace: default
    parameterNotFoundAction: Deny
)yaml";

constexpr char kReplicaLimitParam[] = R"yaml(
apiVersion: rules.example.com/v1
kind: ReplicaLimit
metadata: {name: replica-limit-test.example.com, namespace: default}
maxReplicas: 3
)yaml";

TEST(PolicySetTest, ParamsByName) {
  auto set = MustLoad(kParamPolicy, kReplicaLimitParam);
  auto results = EvaluateYaml(*set, Deployment(4));
  ASSERT_THAT(results, SizeIs(1));
  EXPECT_EQ(results[0].outcome, Outcome::kFail);
  EXPECT_EQ(results[0].param, "default/replica-limit-test.example.com");
  EXPECT_EQ(results[0].message, "object.spec.replicas must be no greater than 3");
  EXPECT_EQ(EvaluateYaml(*set, Deployment(3))[0].outcome, Outcome::kPass);
}

TEST(PolicySetTest, ParameterNotFoundActionDenyAndAllow) {
  auto deny = MustLoad(kParamPolicy);
  auto results = EvaluateYaml(*deny, Deployment(1));
  ASSERT_THAT(results, SizeIs(1));
  EXPECT_EQ(results[0].outcome, Outcome::kError);
  EXPECT_THAT(results[0].message, HasSubstr("no params found"));
  EXPECT_TRUE(results[0].Denies());

  std::string allow = kParamPolicy;
  allow.replace(allow.find("parameterNotFoundAction: Deny"),
                std::string("parameterNotFoundAction: Deny").size(),
                "parameterNotFoundAction: Allow");
  results = EvaluateYaml(*MustLoad(allow), Deployment(1));
  EXPECT_EQ(results[0].outcome, Outcome::kSkip);
  EXPECT_FALSE(results[0].Denies());
}

TEST(PolicySetTest, ParamSelectorEvaluatesEveryMatchingParam) {
  std::string policy = kParamPolicy;
  policy.replace(
      policy.find("    name: replica-limit-test.example.com\n    namespace: default\n"),
      std::string("    name: replica-limit-test.example.com\n    namespace: default\n").size(),
      "    selector: {matchLabels: {tier: web}}\n");
  auto set = MustLoad(policy, R"yaml(
apiVersion: rules.example.com/v1
kind: ReplicaLimit
metadata: {name: low, namespace: default, labels: {tier: web}}
maxReplicas: 2
---
apiVersion: rules.example.com/v1
kind: ReplicaLimit
metadata: {name: high, namespace: default, labels: {tier: web}}
maxReplicas: 10
---
apiVersion: rules.example.com/v1
kind: ReplicaLimit
metadata: {name: other-tier, namespace: default, labels: {tier: db}}
maxReplicas: 0
---
apiVersion: rules.example.com/v1
kind: ReplicaLimit
metadata: {name: other-namespace, namespace: kube-system, labels: {tier: web}}
maxReplicas: 0
)yaml");
  auto results = EvaluateYaml(*set, Deployment(5));
  ASSERT_THAT(results, SizeIs(2));
  EXPECT_EQ(results[0].param, "default/low");
  EXPECT_EQ(results[0].outcome, Outcome::kFail);
  EXPECT_EQ(results[1].param, "default/high");
  EXPECT_EQ(results[1].outcome, Outcome::kPass);
}

TEST(PolicySetTest, MatchConditionsSkipAndFailurePolicy) {
  std::string policy = R"yaml(
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: conditions}
spec:
  failurePolicy: FAILURE_POLICY
  matchConstraints:
    resourceRules:
    - {apiGroups: ["*"], apiVersions: ["*"], operations: ["CREATE", "UPDATE"], resources: ["*"]}
  matchConditions:
  - name: exclude-leases
    expression: '!(request.resource.group == "coordination.k8s.io" && request.resource.resource == "leases")'
  - name: has-labels
    expression: 'object.metadata.labels.team != ""'
  validations:
  - expression: "object.metadata.labels.team == 'core'"
)yaml";
  std::string fail = policy;
  fail.replace(fail.find("FAILURE_POLICY"), 14, "Fail");
  auto set = MustLoad(fail);
  EXPECT_EQ(EvaluateYaml(*set,
                         "{apiVersion: coordination.k8s.io/v1, kind: Lease, metadata: {name: "
                         "l, labels: {team: x}}}")[0]
                .message,
            "match condition 'exclude-leases' is false");
  // The second condition errors on an object without labels: failurePolicy Fail rejects.
  auto results = EvaluateYaml(*set, "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}");
  EXPECT_EQ(results[0].outcome, Outcome::kError);
  EXPECT_THAT(results[0].message, HasSubstr("match condition 'has-labels' resulted in error"));
  EXPECT_EQ(EvaluateYaml(*set,
                         "{apiVersion: v1, kind: ConfigMap, metadata: {name: c, labels: "
                         "{team: web}}}")[0]
                .outcome,
            Outcome::kFail);

  std::string ignore = policy;
  ignore.replace(ignore.find("FAILURE_POLICY"), 14, "Ignore");
  results =
      EvaluateYaml(*MustLoad(ignore), "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}");
  EXPECT_EQ(results[0].outcome, Outcome::kSkip);
}

TEST(PolicySetTest, ValidationErrorsFollowFailurePolicy) {
  std::string policy = R"yaml(
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: errors}
spec:
  failurePolicy: FAILURE_POLICY
  matchConstraints:
    resourceRules: [{apiGroups: [""], apiVersions: ["v1"], operations: ["*"], resources: ["pods"]}]
  validations:
  - expression: "object.spec.nodeName == 'a'"
  - expression: "true"
)yaml";
  std::string fail = policy;
  fail.replace(fail.find("FAILURE_POLICY"), 14, "Fail");
  auto results =
      EvaluateYaml(*MustLoad(fail), "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {}}");
  EXPECT_EQ(results[0].outcome, Outcome::kError);
  ASSERT_THAT(results[0].failures, SizeIs(1));
  EXPECT_TRUE(results[0].failures[0].is_error);
  EXPECT_THAT(results[0].message,
              HasSubstr("expression 'object.spec.nodeName == 'a'' resulted in error"));
  std::string ignore = policy;
  ignore.replace(ignore.find("FAILURE_POLICY"), 14, "Ignore");
  results =
      EvaluateYaml(*MustLoad(ignore), "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {}}");
  EXPECT_EQ(results[0].outcome, Outcome::kPass);
}

TEST(PolicySetTest, ValidationActionsWarnAndAuditWithAnnotations) {
  auto set = MustLoad(R"yaml(
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: demo-policy.example.com}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE"], resources: ["deployments"]}
  validations:
  - expression: "object.spec.replicas <= 5"
    message: "too many replicas"
  auditAnnotations:
  - key: "high-replica-count"
    valueExpression: "object.spec.replicas > 50 ? 'Deployment spec.replicas set to ' + string(object.spec.replicas) : null"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: warn}
spec: {policyName: demo-policy.example.com, validationActions: [Warn]}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: audit}
spec: {policyName: demo-policy.example.com, validationActions: [Audit]}
)yaml");
  auto results = EvaluateYaml(*set, Deployment(60));
  ASSERT_THAT(results, SizeIs(2));
  EXPECT_EQ(results[0].outcome, Outcome::kWarn);
  EXPECT_EQ(results[1].outcome, Outcome::kAudit);
  EXPECT_FALSE(results[0].Denies());
  EXPECT_THAT(results[0].audit_annotations,
              ElementsAre(Pair("demo-policy.example.com/high-replica-count",
                               "Deployment spec.replicas set to 60")));
  EXPECT_THAT(EvaluateYaml(*set, Deployment(6))[0].audit_annotations, SizeIs(0));  // null value

  core::Value response = AdmissionResponse("uid-1", results);
  const core::Value* body = response.Find("response");
  ASSERT_NE(body, nullptr);
  EXPECT_EQ(body->Find("allowed")->bool_value(), true);
  ASSERT_NE(body->Find("warnings"), nullptr);
  EXPECT_EQ(body->Find("warnings")->list_value()[0].string_value(),
            "Validation failed for ValidatingAdmissionPolicy 'demo-policy.example.com' with "
            "binding 'warn': too many replicas");
  const core::Value* annotations = body->Find("auditAnnotations");
  ASSERT_NE(annotations, nullptr);
  EXPECT_EQ(
      annotations->Find("validation.policy.admission.k8s.io/validation_failure")->string_value(),
      R"([{"message":"too many replicas","policy":"demo-policy.example.com","binding":)"
      R"("audit","expressionIndex":0,"validationActions":["Audit"]}])");
}

TEST(PolicySetTest, DenyAndWarnTogetherIsRejected) {
  absl::StatusOr<std::unique_ptr<const PolicySet>> set = PolicySet::FromDocuments(Docs(R"yaml(
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: b}
spec: {policyName: p, validationActions: [Deny, Warn]}
)yaml"));
  EXPECT_THAT(set.status(), StatusIs(absl::StatusCode::kInvalidArgument,
                                     HasSubstr("Deny and Warn may not be used together")));
}

TEST(PolicySetTest, CompileErrorNamesFieldAndColumn) {
  absl::StatusOr<std::unique_ptr<const PolicySet>> set = PolicySet::FromDocuments(Docs(R"yaml(
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: broken}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [""], apiVersions: ["v1"], operations: ["*"], resources: ["pods"]}]
  validations:
  - expression: "object.spec.replicas <="
)yaml"));
  EXPECT_THAT(set.status(), StatusIs(absl::StatusCode::kInvalidArgument,
                                     HasSubstr("ERROR: spec.validations[0].expression:1:24")));
  EXPECT_THAT(set.status().message(), HasSubstr("test.yaml#0: ValidatingAdmissionPolicy 'broken'"));
}

TEST(PolicySetTest, BindingForUnknownPolicyIsRejected) {
  absl::StatusOr<std::unique_ptr<const PolicySet>> set = PolicySet::FromDocuments(Docs(R"yaml(
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: b}
spec: {policyName: missing, validationActions: [Deny]}
)yaml"));
  EXPECT_THAT(set.status(), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'missing'")));
}

TEST(PolicySetTest, AuthorizerFailsClearly) {
  // Both the variable and the authorization library's calls load, and evaluate to the offline
  // error: there is no API server to ask.
  for (absl::string_view expression :
       {"authorizer != null && object.metadata.name != ''",
        "authorizer.group('apps').resource('deployments').check('create').allowed()"}) {
    SCOPED_TRACE(expression);
    auto set = MustLoad(absl::StrCat(R"yaml(
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: authz}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [""], apiVersions: ["v1"], operations: ["*"], resources: ["pods"]}]
  validations:
  - expression: ")yaml",
                                     expression, "\"\n"));
    auto results = EvaluateYaml(*set, "{apiVersion: v1, kind: Pod, metadata: {name: p}}");
    ASSERT_THAT(results, SizeIs(1));
    EXPECT_EQ(results[0].outcome, Outcome::kError);
    EXPECT_THAT(results[0].message, HasSubstr("authorizer is not available offline"));
  }
}

TEST(PolicySetTest, OldObjectAndRequestFromAdmissionReview) {
  auto set = MustLoad(R"yaml(
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: immutable-team}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: ["v1"], operations: ["UPDATE"], resources: ["configmaps"]}
  validations:
  - expression: "object.metadata.labels.team == oldObject.metadata.labels.team"
    messageExpression: "request.userInfo.username + ' may not change the team label'"
    reason: Forbidden
)yaml");
  core::Value review = Doc(R"yaml(
apiVersion: admission.k8s.io/v1
kind: AdmissionReview
request:
  uid: 705ab4f5-6393-11e8-b7cc-42010a800002
  kind: {group: "", version: v1, kind: ConfigMap}
  resource: {group: "", version: v1, resource: configmaps}
  name: settings
  namespace: default
  operation: UPDATE
  userInfo: {username: alice}
  object: {apiVersion: v1, kind: ConfigMap, metadata: {name: settings, labels: {team: b}}}
  oldObject: {apiVersion: v1, kind: ConfigMap, metadata: {name: settings, labels: {team: a}}}
)yaml");
  absl::StatusOr<core::Value> response = ReviewAdmission(*set, review);
  ASSERT_THAT(response.status(), IsOk());
  EXPECT_EQ(response->ToJson(),
            R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":)"
            R"("705ab4f5-6393-11e8-b7cc-42010a800002","allowed":false,"status":{"code":403,)"
            R"("reason":"Forbidden","message":"ValidatingAdmissionPolicy 'immutable-team' )"
            R"(denied request: alice may not change the team label"}}})");
  EXPECT_THAT(ReviewAdmission(*set, Doc("{apiVersion: v1, kind: Pod}")).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("AdmissionReview")));
}

TEST(PolicySetTest, NonPolicyDocumentIsRejected) {
  EXPECT_THAT(
      PolicySet::FromDocuments(Docs("{apiVersion: v1, kind: Pod, metadata: {name: p}}")).status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a supported policy")));
}

}  // namespace
}  // namespace bulwark::policy

namespace bulwark::policy {
namespace {

constexpr char kNamespacedPolicy[] = R"yaml(
apiVersion: policies.kyverno.io/v1alpha1
kind: NamespacedValidatingPolicy
metadata: {name: team-a-replicas, namespace: team-a}
spec:
  validationActions: [Deny]
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}
  validations:
  - expression: "object.spec.replicas <= 3"
---
apiVersion: policies.kyverno.io/v1alpha1
kind: PolicyException
metadata: {name: big-ok, namespace: team-a}
spec:
  policyRefs: [{name: team-a-replicas, kind: NamespacedValidatingPolicy}]
  reportResult: pass
  matchConditions:
  - {name: big, expression: "object.metadata.name == 'big'"}
)yaml";

TEST(PolicySetTest, NamespacedValidatingPolicyAppliesInItsNamespaceOnly) {
  std::unique_ptr<const PolicySet> set = MustLoad(kNamespacedPolicy);
  EXPECT_EQ(set->exception_count(), 1u);
  std::vector<Result> in_namespace = EvaluateYaml(*set, Deployment(5, "team-a"));
  ASSERT_EQ(in_namespace.size(), 1u);
  EXPECT_EQ(in_namespace[0].outcome, Outcome::kFail);
  EXPECT_EQ(in_namespace[0].policy_kind, "NamespacedValidatingPolicy");
  std::vector<Result> elsewhere = EvaluateYaml(*set, Deployment(5, "team-b"));
  ASSERT_EQ(elsewhere.size(), 1u);
  EXPECT_EQ(elsewhere[0].outcome, Outcome::kSkip);
  EXPECT_EQ(elsewhere[0].message, "not in the policy's namespace team-a");
  // reportResult: pass reports an excepted resource as pass.
  std::vector<Result> excepted = EvaluateYaml(*set, R"yaml(
apiVersion: apps/v1
kind: Deployment
metadata: {name: big, namespace: team-a}
spec: {replicas: 9}
)yaml");
  ASSERT_EQ(excepted.size(), 1u);
  EXPECT_EQ(excepted[0].outcome, Outcome::kPass);
  EXPECT_EQ(excepted[0].message, "rule is passed due to policy exception: team-a/big-ok");
  EXPECT_EQ(excepted[0].exceptions, std::vector<std::string>{"team-a/big-ok"});
}

TEST(PolicySetTest, PolicyExceptionErrorsNameTheField) {
  EXPECT_THAT(PolicySet::FromDocuments(Docs(R"yaml(
apiVersion: policies.kyverno.io/v1alpha1
kind: PolicyException
metadata: {name: broken, namespace: x}
spec:
  policyRefs: [{name: p}]
)yaml"))
                  .status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("PolicyException 'x/broken': spec.policyRefs[0]")));
  EXPECT_THAT(PolicySet::FromDocuments(Docs(R"yaml(
apiVersion: policies.kyverno.io/v1alpha1
kind: PolicyException
metadata: {name: broken, namespace: x}
spec:
  policyRefs: [{name: p, kind: ValidatingPolicy}]
  matchConditions: [{name: c, expression: "object.metadata.name =="}]
)yaml"))
                  .status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("spec.matchConditions[0].expression")));
}

}  // namespace
}  // namespace bulwark::policy
