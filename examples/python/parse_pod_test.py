"""Runs the parse_pod example on a real Pod Security fixture and checks what it prints."""

import hashlib
import pathlib
import subprocess
import sys

from bulwark_testing import runfile, shared_dir

EXAMPLE = runfile("examples/python/parse_pod.py")


def run(*args):
    return subprocess.run([sys.executable, str(EXAMPLE), *args], capture_output=True, text=True,
                          check=False)


def test_prints_containers_errors_and_digest(tmp_path):
    manifest = tmp_path / "pod.yaml"
    manifest.write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
                        "  containers:\n  - name: app\n    image: nginx:1.25\n"
                        "  - name: sidecar\n    image: envoy:1.30\n")
    result = run(str(manifest))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "app: nginx:1.25",
        "sidecar: envoy:1.30",
        'rejected: dup.json:2:7: invalid JSON: duplicate key "a"',
        "sha256:" + hashlib.sha256(manifest.read_bytes()).hexdigest(),
    ]


def test_reads_upstream_pod_security_fixtures():
    fixtures = sorted((shared_dir() / "conformance/psa").rglob("*.yaml"))[:50]
    assert fixtures
    for fixture in fixtures:
        result = run(str(fixture))
        assert result.returncode == 0, (fixture, result.stderr)
        assert result.stdout.splitlines()[-1] == (
            "sha256:" + hashlib.sha256(fixture.read_bytes()).hexdigest())


def test_malformed_manifest_exits_2_with_position(tmp_path):
    manifest = pathlib.Path(tmp_path, "bad.yaml")
    manifest.write_text("spec: [1, 2\n")
    result = run(str(manifest))
    assert result.returncode == 2
    assert "pod.yaml:" in result.stderr and "invalid YAML" in result.stderr
