"""`bulwark convert` on examples/data/sample_report.json: SARIF output validated against the OASIS
SARIF 2.1.0 schema (../shared/conformance/schemas), JSON round trips, --fail-on exit statuses, and
colours only on a terminal without NO_COLOR."""

import json
import os
import pty
import subprocess

import pytest

from bulwark_testing import runfile
from examples.cli.sarif_schema import sarif_schema_errors

BULWARK = str(runfile("examples/cli/bulwark"))
SAMPLE = runfile("examples/data/sample_report.json")

SEVERITY_ORDER = ["SEVERITY_UNKNOWN", "SEVERITY_LOW", "SEVERITY_MEDIUM", "SEVERITY_HIGH",
                  "SEVERITY_CRITICAL"]
# How Bulwark maps severities to SARIF result levels (the levels GitHub code scanning shows).
SARIF_LEVEL = {"SEVERITY_CRITICAL": "error", "SEVERITY_HIGH": "error",
               "SEVERITY_MEDIUM": "warning", "SEVERITY_LOW": "note", "SEVERITY_UNKNOWN": "none"}
ANSI_ESCAPE = b"\x1b["


def bulwark(*args, stdin=b"", env=None):
    return subprocess.run([BULWARK, *args], input=stdin, capture_output=True, env=env, check=False)


@pytest.fixture(scope="module")
def sample():
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sarif():
    result = bulwark("convert", str(SAMPLE), "--format", "sarif")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_sarif_is_valid_against_the_oasis_schema(sarif):
    assert sarif_schema_errors(sarif) == []


def test_schema_check_catches_a_broken_document(sarif):
    broken = json.loads(json.dumps(sarif))
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert len(sarif_schema_errors(broken)) == 1


def test_sarif_has_one_rule_per_rule_id_and_one_result_per_finding(sarif, sample):
    assert sarif["version"] == "2.1.0"
    (run,) = sarif["runs"]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    findings = sample["findings"]
    rule_ids = list(dict.fromkeys(f["ruleId"] for f in findings))
    assert len(findings) == 5 and len(rule_ids) == 4  # The sample repeats one rule.
    assert [rule["id"] for rule in rules] == rule_ids
    assert len(results) == len(findings)
    for result, finding in zip(results, findings):
        assert result["ruleId"] == finding["ruleId"]
        assert rules[result["ruleIndex"]]["id"] == finding["ruleId"]
        assert result["level"] == SARIF_LEVEL[finding["severity"]]
        assert result["partialFingerprints"]["bulwarkFingerprint/v1"] == finding["fingerprint"]
    assert [r["level"] for r in results] == ["error", "error", "error", "warning", "note"]


def test_json_round_trips(sample):
    first = bulwark("convert", str(SAMPLE), "--format=json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == sample
    # Read back from standard input. Compared parsed: core::ReportToJson prints protobuf map
    # entries (properties, metadata) in hash order, which changes from run to run.
    second = bulwark("convert", "-", "--format=json", stdin=first.stdout)
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout) == sample


@pytest.mark.parametrize("threshold", ["unknown", "low", "medium", "high", "critical"])
def test_fail_on_exit_status_follows_the_data(sample, threshold):
    worst = max(SEVERITY_ORDER.index(f["severity"]) for f in sample["findings"])
    expected = 1 if worst >= SEVERITY_ORDER.index(f"SEVERITY_{threshold.upper()}") else 0
    result = bulwark("convert", str(SAMPLE), "--fail-on", threshold, "--format", "json")
    assert result.returncode == expected, result.stderr
    assert json.loads(result.stdout) == sample  # The report is printed either way.


def test_fail_on_high_exits_1_and_without_fail_on_exits_0():
    assert bulwark("convert", str(SAMPLE), "--fail-on=high").returncode == 1
    assert bulwark("convert", str(SAMPLE)).returncode == 0


def test_fail_on_passes_when_no_finding_reaches_the_threshold(sample, tmp_path):
    low_only = dict(sample, findings=[f for f in sample["findings"]
                                      if f["severity"] == "SEVERITY_LOW"])
    path = tmp_path / "low_only.json"
    path.write_text(json.dumps(low_only), encoding="utf-8")
    assert bulwark("convert", str(path), "--fail-on", "medium").returncode == 0
    assert bulwark("convert", str(path), "--fail-on", "low").returncode == 1


def test_table_lists_every_finding_without_colours_when_not_a_terminal(sample):
    result = bulwark("convert", str(SAMPLE))
    assert result.returncode == 0, result.stderr
    assert ANSI_ESCAPE not in result.stdout
    text = result.stdout.decode()
    for finding in sample["findings"]:
        assert finding["ruleId"] in text
    assert f"Total: {len(sample['findings'])} " in text


def run_on_terminal(args, no_color):
    """Runs bulwark with stdout on a pseudo-terminal; returns (exit status, output bytes)."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    if no_color is not None:
        env["NO_COLOR"] = no_color
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen([BULWARK, *args], stdout=terminal, stderr=subprocess.PIPE,
                                   stdin=subprocess.DEVNULL, env=env)
        os.close(terminal)
        terminal = -1
        output = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: the child closed the terminal.
                break
            if not chunk:
                break
            output += chunk
        return process.wait(), output
    finally:
        os.close(controller)
        if terminal >= 0:
            os.close(terminal)


@pytest.mark.parametrize("no_color,coloured", [(None, True), ("", True), ("1", False)])
def test_colours_only_on_a_terminal_without_no_color(no_color, coloured):
    status, output = run_on_terminal(["convert", str(SAMPLE)], no_color)
    assert status == 0
    assert b"BLK-SECRET-AWS-ACCESS-KEY" in output
    assert (ANSI_ESCAPE in output) == coloured


def test_sarif_and_json_never_carry_colours_even_on_a_terminal():
    for fmt in ("json", "sarif"):
        status, output = run_on_terminal(["convert", str(SAMPLE), "--format", fmt], None)
        assert status == 0
        assert ANSI_ESCAPE not in output


def test_not_a_report_is_an_input_error(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"findings": [{"ruleId": "X", "colour": "red"}]}', encoding="utf-8")
    result = bulwark("convert", str(path))
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.startswith(f"bulwark: {path}: not a Bulwark report".encode())


def test_missing_report_is_an_input_error(tmp_path):
    missing = tmp_path / "missing.json"
    result = bulwark("convert", str(missing))
    assert result.returncode == 2
    assert result.stderr == f"bulwark: {missing}: No such file or directory\n".encode()


@pytest.mark.parametrize("flag,value", [("--format", "xml"), ("--fail-on", "severe")])
def test_bad_flag_values_are_usage_errors(flag, value):
    result = bulwark("convert", str(SAMPLE), flag, value)
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.startswith(f"bulwark: {flag}: ".encode())
    assert value.encode() in result.stderr
