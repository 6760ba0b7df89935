import os
from typing import Any, Dict, List, Sequence

_Path = str | os.PathLike[str]

class PolicySet:
    """Compiled admission policies, bindings and params (immutable)."""

    @property
    def policy_names(self) -> List[str]:
        """Names of the policies, in load order."""
    def evaluate(self, resource: Dict[str, Any]) -> List[Dict[str, Any]]:
        """One result dict per (policy, binding, param) for creating `resource`."""
    def review(self, admission_review: Dict[str, Any]) -> Dict[str, Any]:
        """The AdmissionReview v1 response to `admission_review`."""

def load(paths: Sequence[_Path], params: Sequence[_Path] = ()) -> PolicySet:
    """Loads policies and bindings (files or directories) with param objects from `params`;
    raises InvalidArgumentError naming the file, field and line:column."""

def run_tests(directory: _Path) -> List[Dict[str, Any]]:
    """Runs every kyverno-test.yaml under `directory`; one report dict per manifest."""
