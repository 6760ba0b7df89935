"""`bulwark runtime replay` and `bulwark runtime lint` on events written here and Bulwark's own
rules file."""

import json
import subprocess

from bulwark_testing import runfile

BULWARK = str(runfile("examples/cli/bulwark"))
RULES = str(runfile("runtime/rules/bulwark_rules.yaml"))

CONTAINER_SHELL = {
    "pid": 100,
    "process": {
        "pid": 100,
        "name": "sh",
        "uid": 1000,
        "cgroups": ["0::/docker/" + "4f0c5dd16e5b" + "a" * 52],
    },
}
RUNC_OVERWRITE = {
    "timestampNs": "1700000000123456789",
    "type": "EVENT_TYPE_OPENAT",
    "pid": 100,
    "result": 3,
    "file": {"path": "/proc/self/exe", "flags": 577},
    "fd": {"num": 3, "type": "FD_TYPE_FILE", "name": "/proc/42/exe"},
}


def run(*args):
    return subprocess.run([BULWARK, *args], capture_output=True, text=True, check=False)


def write_events(tmp_path, *events):
    path = tmp_path / "events.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in events))
    return str(path)


def test_replay_prints_falco_style_alert_and_exits_1(tmp_path):
    events = write_events(tmp_path, CONTAINER_SHELL, RUNC_OVERWRITE)
    result = run("runtime", "replay", events, "--rules", RULES)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("2023-11-14T22:13:20.123456789+0000: Critical Runtime binary opened")
    assert "file=/proc/42/exe process=sh" in lines[0]
    assert "container=4f0c5dd16e5b" in lines[0]


def test_replay_json_alerts(tmp_path):
    events = write_events(tmp_path, CONTAINER_SHELL, RUNC_OVERWRITE)
    result = run("runtime", "replay", events, "--rules", RULES, "--format", "json")
    alert = json.loads(result.stdout.splitlines()[0])
    assert alert["rule"] == "Container Runtime Binary Overwrite"
    assert alert["priority"] == "PRIORITY_CRITICAL"
    assert alert["outputFields"]["fd.name"] == "/proc/42/exe"
    assert alert["event"]["process"]["containerId"] == "4f0c5dd16e5b"


def test_replay_without_alerts_exits_0(tmp_path):
    events = write_events(tmp_path, CONTAINER_SHELL)
    result = run("runtime", "replay", events, "--rules", RULES)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


def test_replay_bad_event_line_names_it(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"pid": 1}\n{"nope": 2}\n')
    result = run("runtime", "replay", str(path), "--rules", RULES)
    assert result.returncode == 2
    assert "bad.jsonl:2: invalid event" in result.stderr


def test_lint_reports_position_and_code(tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "- rule: r\n  desc: d\n  condition: evt.type = open and proc.nobody = x\n"
        "  output: o\n  priority: INFO\n"
    )
    result = run("runtime", "lint", str(rules))
    assert result.returncode == 2
    assert (
        f"error: {rules}:1:3: rule 'r': filter_check called with nonexistent field proc.nobody"
        " (LOAD_ERR_COMPILE_CONDITION)"
    ) in result.stdout


def test_lint_own_rules_clean():
    result = run("runtime", "lint", RULES)
    assert result.returncode == 0, result.stdout
    assert "warning:" not in result.stdout
    assert result.stdout.endswith(" enabled and compiled, 0 warnings\n")


def test_rules_lint_is_the_issue_spelling_of_lint():
    result = run("runtime", "rules", "lint", RULES)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("27 rules, 27 enabled and compiled, 0 warnings\n")
    assert run("runtime", "lint", RULES).stdout == result.stdout


def test_import_tracee_then_replay(tmp_path):
    from bulwark_testing import shared_dir

    sample = shared_dir() / "conformance/runtime/samples/tracee/tracee_docs_events.jsonl"
    result = run("runtime", "import", "tracee", str(sample))
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(events) == 8
    assert events[1]["type"] == "EVENT_TYPE_OPENAT"
    assert events[1]["file"]["path"] == "/tmp/testing.txt"
    assert events[1]["file"]["mode"] == 438
    assert "17 records, 8 events" in result.stderr
    assert "4 skipped net_packet_tcp" in result.stderr
    path = tmp_path / "events.jsonl"
    path.write_text(result.stdout)
    replay = run("runtime", "replay", str(path), "--rules", RULES)
    assert replay.returncode == 0, replay.stderr


def test_import_rejects_unknown_format_and_bad_input(tmp_path):
    result = run("runtime", "import", "falco", RULES)
    assert result.returncode == 2
    assert "expected tetragon or tracee" in result.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"node_name": "x"}\n')
    result = run("runtime", "import", "tetragon", str(bad))
    assert result.returncode == 2
    assert "not a Tetragon event" in result.stderr


def test_watch_reports_a_malformed_pod_list(tmp_path):
    pods = tmp_path / "pods.json"
    pods.write_text('{"items": {"kind": "Pod"}}')
    result = run("runtime", "watch", "--pods", str(pods), "--duration", "1")
    assert result.returncode == 2
    assert "pods.json:1:11: $.items must be a list" in result.stderr


def test_watch_validates_its_flags():
    result = run("runtime", "watch", "--duration", "soon")
    assert result.returncode == 2
    assert "--duration wants seconds" in result.stderr
