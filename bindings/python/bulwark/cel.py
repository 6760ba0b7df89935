"""Common Expression Language (bulwark::cel): compile once, evaluate many times.

    program = bulwark.cel.compile("object.spec.replicas <= limit", variables=["object", "limit"])
    program.evaluate(object={"spec": {"replicas": 3}}, limit=5)   # True

Bindings are JSON-compatible Python values (dict, list, str, int, float, bool, None). Results
come back as Python values: timestamps as UTC datetimes, durations as timedeltas. Evaluation
releases the GIL; a Program may be shared by threads. Compile errors raise InvalidArgumentError
with line:column and a caret; runtime errors (no such key, overflow) InvalidArgumentError;
exceeding the cost budget ResourceExhaustedError.
"""

import json
from typing import Any, Sequence

from bulwark import _bulwark

Program = _bulwark.cel.Program


def compile(expression: str, variables: Sequence[str] = ()) -> Program:  # noqa: A001
    """Compiles `expression`, whose free variables are `variables`."""
    return _bulwark.cel.compile(expression, [str(v) for v in variables])


def _evaluate(self: Program, **bindings: Any) -> Any:
    """Evaluates with each keyword argument bound to the variable of its name."""
    return self._evaluate_json({name: json.dumps(value) for name, value in bindings.items()})


Program.evaluate = _evaluate

__all__ = ["Program", "compile"]
