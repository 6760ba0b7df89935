"""`bulwark cel eval` on a pod written here: results, compile errors with a caret, runtime
errors and the cost limit."""

import subprocess

from bulwark_testing import runfile

BULWARK = str(runfile("examples/cli/bulwark"))

POD = """
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - {name: a, image: nginx, securityContext: {privileged: true}}
    - {name: b, image: busybox}
"""


def run(*args):
    return subprocess.run([BULWARK, "cel", "eval", *args], capture_output=True, text=True,
                          check=False)


def test_evaluates_against_input_document(tmp_path):
    pod = tmp_path / "pod.yaml"
    pod.write_text(POD)
    result = run("object.spec.containers.filter(c, has(c.securityContext)).map(c, c.name)",
                 "--input", str(pod))
    assert result.returncode == 0, result.stderr
    assert result.stdout == '["a"]\n'


def test_named_variables(tmp_path):
    pod = tmp_path / "pod.json"
    pod.write_text('{"spec": {"replicas": 3}}')
    result = run("p.spec.replicas * 2", "--var", f"p={pod}")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "6\n"


def test_syntax_error_has_line_column_and_caret():
    result = run("1 + * 2")
    assert result.returncode != 0
    assert "<input>:1:5: Syntax error" in result.stderr
    assert " | 1 + * 2\n | ....^" in result.stderr


def test_runtime_errors_and_cost_limit():
    assert "division by zero" in run("1 / 0").stderr
    bomb = ".map(x, " .join(["[1,2,3,4,5,6,7,8,9,10]"] * 7) + ".map(x, x" + ")" * 7
    result = run(bomb)
    assert result.returncode != 0
    assert "cost limit" in result.stderr
