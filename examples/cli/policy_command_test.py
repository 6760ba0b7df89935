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


KYVERNO_POLICY = """\
apiVersion: policies.kyverno.io/v1alpha1
kind: ValidatingPolicy
metadata: {name: registry-from-configmap}
spec:
  validationActions: [Deny]
  matchConstraints:
    namespaceSelector: {matchLabels: {env: prod}}
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [pods]}
  variables:
  - name: registry
    expression: resource.Get("v1", "configmaps", "kube-system", "allowed").data.registry
  validations:
  - expression: object.spec.containers.all(c, image(c.image).registry() == variables.registry)
    messageExpression: "'images must come from ' + variables.registry"
  - expression: parseServiceAccount(request.userInfo.username).Namespace == "ci"
    message: only the ci service accounts deploy to prod
---
apiVersion: policies.kyverno.io/v1alpha1
kind: PolicyException
metadata: {name: debug-pod, namespace: exceptions}
spec:
  policyRefs: [{name: registry-from-configmap, kind: ValidatingPolicy}]
  matchConditions:
  - {name: debug, expression: "object.metadata.name.startsWith('debug-')"}
"""

KYVERNO_PODS = """\
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec: {containers: [{name: web, image: ghcr.io/org/web:1}]}
---
apiVersion: v1
kind: Pod
metadata: {name: worker, namespace: shop}
spec: {containers: [{name: w, image: nginx:1.25}]}
---
apiVersion: v1
kind: Pod
metadata: {name: debug-shell, namespace: shop}
spec: {containers: [{name: sh, image: busybox}]}
---
apiVersion: v1
kind: Pod
metadata: {name: worker, namespace: dev}
spec: {containers: [{name: w, image: nginx:1.25}]}
"""


def test_apply_kyverno_context_values_userinfo_and_exception(tmp_path):
    policy = write(tmp_path, "policy.yaml", KYVERNO_POLICY)
    pods = write(tmp_path, "pods.yaml", KYVERNO_PODS)
    context = write(tmp_path, "context.yaml", """\
apiVersion: cli.kyverno.io/v1alpha1
kind: Context
spec:
  resources:
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: allowed, namespace: kube-system},
     data: {registry: ghcr.io}}
""")
    values = write(tmp_path, "values.yaml", """\
apiVersion: cli.kyverno.io/v1alpha1
kind: Values
namespaceSelector:
- {name: shop, labels: {env: prod}}
""")
    userinfo = write(tmp_path, "user.yaml", """\
apiVersion: cli.kyverno.io/v1alpha1
kind: UserInfo
userInfo: {username: "system:serviceaccount:ci:deployer"}
""")
    result = run("policy", "apply", "--policy", policy, "--resource", pods, "--context", context,
                 "--values", values, "--userinfo", userinfo, "--format", "json")
    assert result.returncode == 1, result.stderr
    outcomes = [(r["resource"], r["result"], r.get("message", ""))
                for r in json.loads(result.stdout)]
    assert outcomes == [
        ("Pod shop/web", "pass", ""),
        ("Pod shop/worker", "fail", "images must come from ghcr.io"),
        ("Pod shop/debug-shell", "skip",
         "rule is skipped due to policy exception: exceptions/debug-pod"),
        ("Pod dev/worker", "skip", "not matched by spec.matchConstraints"),
    ]
    # Without the context file resource.Get finds nothing: an error under failurePolicy Fail.
    result = run("policy", "apply", "--policy", policy, "--resource", pods, "--values", values,
                 "--format", "json")
    web = json.loads(result.stdout)[0]
    assert web["result"] == "error" and "configmaps \"allowed\" not found" in web["message"]
    # Without the user info, request.userInfo.username is missing: the second validation errs.
    result = run("policy", "apply", "--policy", policy, "--resource", pods, "--context", context,
                 "--values", values, "--format", "json")
    assert json.loads(result.stdout)[0]["result"] == "error"
