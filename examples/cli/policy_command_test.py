"""`bulwark policy apply` and `bulwark policy test` on policies and resources written here, with
the outcomes the Kubernetes and Kyverno documentation give for them."""

import json
import subprocess

from bulwark_testing import runfile

BULWARK = str(runfile("examples/cli/bulwark"))

POLICY = """\
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: replica-limit
spec:
  matchConstraints:
    resourceRules:
    - apiGroups: [apps]
      apiVersions: [v1]
      operations: [CREATE, UPDATE]
      resources: [deployments]
  validations:
  - expression: "object.spec.replicas <= 5"
    messageExpression: "'replicas ' + string(object.spec.replicas) + ' exceed 5'"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: replica-limit-deny
spec:
  policyName: replica-limit
  validationActions: [Deny]
"""

WARN_BINDING = POLICY.replace("[Deny]", "[Warn]")

RESOURCES = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: small, namespace: team-a}
spec: {replicas: 2}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: large, namespace: team-a}
spec: {replicas: 9}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
"""


def run(*args):
    return subprocess.run([BULWARK, *args], capture_output=True, text=True, check=False)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_apply_json_results_and_deny_exit_status(tmp_path):
    policy = write(tmp_path, "policy.yaml", POLICY)
    resources = write(tmp_path, "resources.yaml", RESOURCES)
    result = run("policy", "apply", "--policy", policy, "--resource", resources, "--format",
                 "json")
    assert result.returncode == 1, result.stderr
    results = json.loads(result.stdout)
    assert [(r["resource"], r["result"]) for r in results] == [
        ("Deployment team-a/small", "pass"),
        ("Deployment team-a/large", "fail"),
        ("ConfigMap default/settings", "skip"),
    ]
    assert results[1]["message"] == "replicas 9 exceed 5"
    assert results[1]["failedValidationIndex"] == 0
    assert results[1]["binding"] == "replica-limit-deny"


def test_apply_warn_does_not_deny(tmp_path):
    policy = write(tmp_path, "policy.yaml", WARN_BINDING)
    resources = write(tmp_path, "resources.yaml", RESOURCES)
    result = run("policy", "apply", "--policy", policy, "--resource", resources)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["POLICY", "BINDING", "RESOURCE", "RESULT", "ACTIONS", "MESSAGE"]
    assert "warn" in lines[2].split() and "replicas 9 exceed 5" in lines[2]


def test_apply_review_answers_admission_review(tmp_path):
    policy = write(tmp_path, "policy.yaml", POLICY)
    review = write(tmp_path, "review.json", json.dumps({
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "request": {
            "uid": "abc",
            "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
            "resource": {"group": "apps", "version": "v1", "resource": "deployments"},
            "namespace": "team-a",
            "name": "large",
            "operation": "CREATE",
            "object": {"apiVersion": "apps/v1", "kind": "Deployment",
                       "metadata": {"name": "large"}, "spec": {"replicas": 9}},
        },
    }))
    result = run("policy", "apply", "--policy", policy, "--review", review)
    assert result.returncode == 1, result.stderr
    response = json.loads(result.stdout)["response"]
    assert response["uid"] == "abc"
    assert response["allowed"] is False
    assert response["status"] == {
        "code": 422,
        "reason": "Invalid",
        "message": "ValidatingAdmissionPolicy 'replica-limit' with binding "
                   "'replica-limit-deny' denied request: replicas 9 exceed 5",
    }


def test_apply_reports_compile_errors_with_position(tmp_path):
    policy = write(tmp_path, "policy.yaml", POLICY.replace("<= 5", "<= )"))
    resources = write(tmp_path, "resources.yaml", RESOURCES)
    result = run("policy", "apply", "--policy", policy, "--resource", resources)
    assert result.returncode == 2
    assert "spec.validations[0].expression:1:25" in result.stderr


def test_test_reports_mismatches(tmp_path):
    write(tmp_path, "policy.yaml", POLICY)
    write(tmp_path, "resources.yaml", RESOURCES)
    write(tmp_path, "kyverno-test.yaml", """\
apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata: {name: replicas}
policies: [policy.yaml]
resources: [resources.yaml]
results:
- {policy: replica-limit, isValidatingAdmissionPolicy: true, kind: Deployment,
   resources: [small], result: pass}
- {policy: replica-limit, isValidatingAdmissionPolicy: true, kind: Deployment,
   resources: [team-a/large], result: pass}
""")
    result = run("policy", "test", str(tmp_path))
    assert result.returncode == 1, result.stderr
    assert "1 passed, 1 failed" in result.stdout
    mismatch = [line for line in result.stdout.splitlines() if line.startswith("MISMATCH")]
    assert len(mismatch) == 1 and "Deployment/team-a/large" in mismatch[0]
    assert mismatch[0].split()[3:5] == ["pass", "fail"]  # the RULE column is empty
