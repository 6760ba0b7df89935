"""Runs the digest_and_report embedding example with digests computed by coreutils sha256sum and
sha512sum, and checks its SARIF against the OASIS schema: no result when the digest matches, one
CRITICAL finding when it does not."""

import json
import subprocess

import pytest

from bulwark_testing import runfile
from examples.cli.sarif_schema import sarif_schema_errors

EXAMPLE = str(runfile("examples/cpp/digest_and_report"))


def coreutils_digest(tool: str, path) -> str:
    output = subprocess.run([tool, str(path)], capture_output=True, text=True, check=True).stdout
    return output.split()[0]


def run_example(path, expected: str):
    return subprocess.run([EXAMPLE, str(path), expected], capture_output=True, check=False)


@pytest.fixture
def blob(tmp_path):
    path = tmp_path / "layer.tar"
    path.write_bytes(b"layer contents\n" * 1000)
    return path


@pytest.mark.parametrize("algorithm,tool", [("sha256", "sha256sum"), ("sha512", "sha512sum")])
def test_matching_digest_reports_nothing(blob, algorithm, tool):
    result = run_example(blob, f"{algorithm}:{coreutils_digest(tool, blob)}")
    assert result.returncode == 0, result.stderr
    sarif = json.loads(result.stdout)
    assert sarif_schema_errors(sarif) == []
    assert sarif["runs"][0]["results"] == []


def test_mismatch_is_one_critical_finding(blob, tmp_path):
    other = tmp_path / "other"
    other.write_bytes(b"what the manifest promised")
    promised = f"sha256:{coreutils_digest('sha256sum', other)}"
    result = run_example(blob, promised)
    assert result.returncode == 1, result.stderr
    sarif = json.loads(result.stdout)
    assert sarif_schema_errors(sarif) == []
    (finding,) = sarif["runs"][0]["results"]
    assert finding["ruleId"] == "BLK-DIGEST-MISMATCH"
    assert finding["level"] == "error"
    assert finding["properties"]["severity"] == "CRITICAL"
    assert finding["properties"]["expected"] == promised
    assert finding["properties"]["actual"] == f"sha256:{coreutils_digest('sha256sum', blob)}"


@pytest.mark.parametrize("expected", ["sha256:XYZ", "sha1:" + "0" * 40, "no-colon"])
def test_malformed_digest_is_an_input_error(blob, expected):
    result = run_example(blob, expected)
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.startswith(b"digest_and_report: ")


def test_missing_file_is_an_input_error(tmp_path):
    result = run_example(tmp_path / "missing", "sha256:" + "0" * 64)
    assert result.returncode == 2
    assert b"No such file or directory" in result.stderr
