"""Admission policies evaluated offline (bulwark::policy): Kubernetes ValidatingAdmissionPolicy
with ValidatingAdmissionPolicyBinding and params, and Kyverno ValidatingPolicy (CEL, with
autogen rules for pod controllers).

    policies = bulwark.policy.load(["policies/"], params=["params.yaml"])
    for result in policies.evaluate(deployment):      # a dict (or JSON/YAML-parsed object)
        print(result["policy"], result["result"], result.get("message"))
    policies.review(admission_review)["response"]["allowed"]

Each result is a dict: policy, policyKind, binding, rule, param, resource, result (pass, fail,
warn, audit, error, skip), validationActions, message, failedValidationIndex, failures,
auditAnnotations. Loading and evaluation release the GIL; a PolicySet may be shared by threads.
"""

import json
import os
from typing import Any, Dict, List, Sequence, Union

from bulwark import _bulwark

PolicySet = _bulwark.policy.PolicySet
_Path = Union[str, "os.PathLike[str]"]


def load(paths: Sequence[_Path], params: Sequence[_Path] = ()) -> PolicySet:
    """Loads policy and binding documents from files or directories (multi-document YAML or
    JSON), with param objects (and Namespace objects) from `params`."""
    return _bulwark.policy._load([os.fspath(p) for p in paths], [os.fspath(p) for p in params])


def _evaluate(self: PolicySet, resource: Dict[str, Any]) -> List[Dict[str, Any]]:
    """One result per (policy, binding, param) for creating `resource`."""
    return self._evaluate_json(json.dumps(resource))


def _review(self: PolicySet, admission_review: Dict[str, Any]) -> Dict[str, Any]:
    """The AdmissionReview v1 response to `admission_review`."""
    return self._review_json(json.dumps(admission_review))


def run_tests(directory: _Path) -> List[Dict[str, Any]]:
    """Runs every kyverno-test.yaml under `directory`; one report per manifest with its cases
    (policy, kind, resource, expected, actual, ok) and mismatch count."""
    return _bulwark.policy._run_tests(os.fspath(directory))


PolicySet.evaluate = _evaluate
PolicySet.review = _review

__all__ = ["PolicySet", "load", "run_tests"]
