"""bulwark.policy: load ValidatingAdmissionPolicies, bindings, params and Kyverno
ValidatingPolicies, evaluate resources and AdmissionReviews, run kyverno-test.yaml manifests. The
expected outcomes are the ones the Kubernetes documentation gives for its replica-limit example
and the Pod Security Standards fixtures in ../shared/conformance/psa."""

import pytest

import bulwark
from bulwark import core, policy
from bulwark_testing import shared_dir

POLICY = """\
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: replicalimit-policy.example.com}
spec:
  failurePolicy: Fail
  paramKind: {apiVersion: rules.example.com/v1, kind: ReplicaLimit}
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
  validations:
  - expression: "object.spec.replicas <= params.maxReplicas"
    messageExpression: "'object.spec.replicas must be no greater than ' + string(params.maxReplicas)"
    reason: Invalid
  auditAnnotations:
  - key: replicas
    valueExpression: "string(object.spec.replicas)"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: replicalimit-binding-test.example.com}
spec:
  policyName: replicalimit-policy.example.com
  validationActions: [Deny]
  paramRef: {name: replica-limit-test.example.com, namespace: default,
             parameterNotFoundAction: Deny}
"""

PARAMS = """\
apiVersion: rules.example.com/v1
kind: ReplicaLimit
metadata: {name: replica-limit-test.example.com, namespace: default}
maxReplicas: 3
"""

PRIVILEGED = """\
apiVersion: policies.kyverno.io/v1alpha1
kind: ValidatingPolicy
metadata: {name: disallow-privileged}
spec:
  validationActions: [Audit]
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [pods]}
  validations:
  - expression: >-
      (object.spec.containers + object.spec.?initContainers.orValue([])).all(c,
      !(c.?securityContext.?privileged.orValue(false)))
    message: privileged containers are not allowed
"""


def deployment(replicas):
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default"}, "spec": {"replicas": replicas}}


@pytest.fixture
def policies(tmp_path):
    (tmp_path / "policy.yaml").write_text(POLICY)
    (tmp_path / "params.yaml").write_text(PARAMS)
    return policy.load([tmp_path / "policy.yaml"], params=[tmp_path / "params.yaml"])


def test_evaluate_with_params(policies):
    assert policies.policy_names == ["replicalimit-policy.example.com"]
    [result] = policies.evaluate(deployment(4))
    assert result["result"] == "fail"
    assert result["message"] == "object.spec.replicas must be no greater than 3"
    assert result["param"] == "default/replica-limit-test.example.com"
    assert result["failedValidationIndex"] == 0
    assert result["auditAnnotations"] == {"replicalimit-policy.example.com/replicas": "4"}
    assert [r["result"] for r in policies.evaluate(deployment(3))] == ["pass"]


def test_review(policies):
    review = {
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "request": {
            "uid": "u1",
            "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
            "resource": {"group": "apps", "version": "v1", "resource": "deployments"},
            "namespace": "default",
            "operation": "CREATE",
            "object": deployment(2),
        },
    }
    response = policies.review(review)["response"]
    assert response["allowed"] is True
    assert response["auditAnnotations"] == {"replicalimit-policy.example.com/replicas": "2"}
    with pytest.raises(bulwark.InvalidArgumentError, match="AdmissionReview"):
        policies.review({"kind": "Pod"})


def test_load_errors(tmp_path):
    (tmp_path / "bad.yaml").write_text(POLICY.replace("<= params.maxReplicas", "<= )"))
    with pytest.raises(bulwark.InvalidArgumentError, match=r"spec.validations\[0\].expression:1"):
        policy.load([tmp_path / "bad.yaml"])
    with pytest.raises(bulwark.NotFoundError):
        policy.load([tmp_path / "missing.yaml"])


def test_kyverno_policy_on_psa_fixtures_and_controllers(tmp_path):
    (tmp_path / "privileged.yaml").write_text(PRIVILEGED)
    policies = policy.load([tmp_path / "privileged.yaml"])
    fixtures = shared_dir() / "conformance" / "psa" / "testdata" / "baseline" / "v1.30"
    for path in sorted(fixtures.glob("*/*.yaml")):
        [pod] = core.parse_yaml_file(path)
        expected = "fail" if path.parent.name == "fail" and path.name.startswith("privileged") \
            else "pass"
        assert [r["result"] for r in policies.evaluate(pod)] == [
            "audit" if expected == "fail" else "pass"], path
        wrapped = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "s"},
                   "spec": {"template": {"metadata": pod["metadata"], "spec": pod["spec"]}}}
        [result] = policies.evaluate(wrapped)
        assert result["rule"] == "autogen-disallow-privileged"
        assert result["result"] == ("audit" if expected == "fail" else "pass"), path


def test_run_tests(tmp_path):
    (tmp_path / "privileged.yaml").write_text(PRIVILEGED)
    (tmp_path / "pods.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\nspec: {containers: [{name: a}]}\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: bad}\n"
        "spec: {containers: [{name: a, securityContext: {privileged: true}}]}\n")
    (tmp_path / "kyverno-test.yaml").write_text(
        "apiVersion: cli.kyverno.io/v1alpha1\nkind: Test\nmetadata: {name: t}\n"
        "policies: [privileged.yaml]\nresources: [pods.yaml]\nresults:\n"
        "- {policy: disallow-privileged, kind: Pod, resources: [ok], result: pass}\n"
        "- {policy: disallow-privileged, kind: Pod, resources: [bad], result: pass}\n")
    [report] = policy.run_tests(tmp_path)
    assert report["name"] == "t"
    assert report["mismatches"] == 1
    assert [(c["resource"], c["actual"], c["ok"]) for c in report["cases"]] == [
        ("ok", "pass", True), ("bad", "fail", False)]
