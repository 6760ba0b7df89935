"""bulwark.runtime response interface: a rule's alert about a real child process, decided by a
Responder and carried out (or not) by SignalEnforcer and ProcessKiller."""

import ast
import dataclasses
import inspect
import json
import os
import signal
import subprocess
import sys
import time

import pytest

import bulwark
from bulwark import runtime

CONTAINER = "ab" * 32
RULES = """
- rule: Shadow read in container
  desc: d
  condition: evt.type = openat and fd.name = /etc/shadow
  output: "%proc.name read %fd.name"
  priority: WARNING
  tags: [T1003]
"""


def start_time_ns(pid):
    """Epoch ns of the process's start, from /proc/<pid>/stat field 22 (clock ticks since boot)
    and the clocks, as a reader independent of Bulwark's."""
    with open(f"/proc/{pid}/stat") as stat:
        ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
    boot = time.clock_gettime_ns(time.CLOCK_REALTIME) - time.clock_gettime_ns(time.CLOCK_BOOTTIME)
    return boot + ticks * 1_000_000_000 // os.sysconf("SC_CLK_TCK")


@pytest.fixture
def child():
    process = subprocess.Popen(["/bin/sleep", "60"])
    yield process
    if process.poll() is None:
        process.kill()
    process.wait()


def alert_about(process, cgroup="0::/docker/" + CONTAINER):
    engine = runtime.Engine(runtime.rules_from_string(RULES))
    alerts = engine.process([
        {"pid": process.pid,
         "process": {"pid": process.pid, "name": "sleep", "cgroups": [cgroup],
                     "startTimeNs": str(start_time_ns(process.pid))}},
        {"type": "EVENT_TYPE_OPENAT", "pid": process.pid, "result": 3,
         "fd": {"num": 3, "type": "FD_TYPE_FILE", "name": "/etc/shadow"}},
    ])
    assert len(alerts) == 1
    return alerts[0]


def kill_policy(**selector):
    return runtime.ResponsePolicy(enabled=True, rules=[runtime.ResponseRule(**selector)])


def test_defaults_are_off_and_match_the_cpp_options():
    assert runtime.ResponsePolicy().enabled is False
    assert runtime.ResponseRule().action == "kill_process"
    assert runtime.ResponseRule().only_in_containers is True
    # The facade's keyword defaults come from SignalEnforcerOptions/ResponseRule in C++.
    parameters = inspect.signature(runtime.SignalEnforcer).parameters
    assert parameters["kill_signal"].default == signal.SIGKILL
    assert parameters["enabled"].default is False
    assert parameters["start_time_tolerance"].default == pytest.approx(0.02)


def test_stub_defaults_are_the_runtime_defaults():
    """stubs_test skips __init__ and dataclass fields; the C++ defaults must show in the stub."""
    with open(os.path.splitext(runtime.__file__)[0] + ".pyi", encoding="utf-8") as file:
        tree = ast.parse(file.read())
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    for name in ("SignalEnforcer", "FanotifyGuard", "GuardPathPolicy"):
        init = next(f for f in classes[name].body if f.name == "__init__")
        stub = {a.arg: ast.literal_eval(d)
                for a, d in zip(init.args.kwonlyargs, init.args.kw_defaults)}
        actual = {n: p.default
                  for n, p in inspect.signature(getattr(runtime, name)).parameters.items()
                  if p.kind == p.KEYWORD_ONLY}
        assert stub == actual, name
    for name in ("ResponseRule", "ResponsePolicy", "ResponseDecision"):
        stub = {f.target.id: ast.literal_eval(f.value) for f in classes[name].body
                if isinstance(f, ast.AnnAssign) and f.value is not None}
        actual = {f.name: f.default for f in dataclasses.fields(getattr(runtime, name))
                  if f.default is not dataclasses.MISSING}
        assert stub == actual, name


def test_decision_for_a_container_alert(child):
    alert = alert_about(child)
    assert runtime.Responder(runtime.ResponsePolicy()).decide(alert) is None  # Off by default.
    decision = runtime.Responder(kill_policy(tag="T1003", minimum_priority="warning")).decide(alert)
    assert decision == runtime.ResponseDecision(
        "kill_process", child.pid, CONTAINER[:12], "Shadow read in container",
        alert["event"]["process"]["startTimeNs"] and int(alert["event"]["process"]["startTimeNs"]))
    # The event's start time is the process's (the clocks are read twice: allow 1 ms).
    assert abs(decision.start_time_ns - start_time_ns(child.pid)) < 1_000_000
    assert runtime.Responder(kill_policy(minimum_priority="ERROR")).decide(alert) is None
    assert runtime.Responder(kill_policy(rule="Other")).decide(alert) is None
    with pytest.raises(bulwark.InvalidArgumentError, match="minimum priority 'LOUD'"):
        runtime.Responder(kill_policy(minimum_priority="LOUD"))
    with pytest.raises(bulwark.InvalidArgumentError, match="expected kill_process or deny"):
        runtime.Responder(kill_policy(action="stop"))


def test_host_processes_are_spared_unless_asked(child):
    alert = alert_about(child, cgroup="0::/user.slice")
    assert alert["event"]["process"]["containerId"] == "host"
    assert runtime.Responder(kill_policy()).decide(alert) is None
    decision = runtime.Responder(kill_policy(only_in_containers=False)).decide(alert)
    assert decision.container_id == "host"


def test_signal_enforcer_kills_the_process_the_alert_names(child):
    audited = []
    enforcer = runtime.SignalEnforcer(enabled=True, audit=lambda *a: audited.append(a))
    decision = runtime.Responder(kill_policy(), enforcer).handle(alert_about(child))
    assert child.wait(timeout=10) == -signal.SIGKILL
    assert audited == [(decision, None, True)]


def test_signal_enforcer_off_or_dry_run_sends_nothing(child):
    alert = alert_about(child)
    for options in ({}, {"enabled": True, "dry_run": True}):
        audited = []
        enforcer = runtime.SignalEnforcer(audit=lambda *a: audited.append(a), **options)
        decision = runtime.Responder(kill_policy(), enforcer).handle(alert)
        assert audited == [(decision, None, False)], options
    assert child.poll() is None


def test_signal_enforcer_refuses_another_start_time(child):
    audited = []
    enforcer = runtime.SignalEnforcer(enabled=True, audit=lambda *a: audited.append(a))
    decision = runtime.ResponseDecision("deny", child.pid, CONTAINER[:12], "r",
                                        start_time_ns(child.pid) - 1_000_000_000)
    with pytest.raises(bulwark.Error, match=f"pid {child.pid} is another process now") as error:
        enforcer.enforce(decision)
    assert error.value.code == "FAILED_PRECONDITION"
    assert audited[0][0] == decision and audited[0][2] is False
    assert isinstance(audited[0][1], bulwark.Error)
    with pytest.raises(bulwark.Error, match="cannot rule out PID reuse"):
        enforcer.enforce(runtime.ResponseDecision("kill_process", child.pid, "host", "r"))
    with pytest.raises(bulwark.InvalidArgumentError, match="refusing to signal pid 1"):
        enforcer.enforce(runtime.ResponseDecision("kill_process", 1, "host", "r", 5))
    assert child.poll() is None


def test_signal_enforcer_reports_a_gone_process(child):
    started = start_time_ns(child.pid)
    child.kill()
    child.wait()
    with pytest.raises(bulwark.NotFoundError):
        runtime.SignalEnforcer(enabled=True).enforce(
            runtime.ResponseDecision("kill_process", child.pid, "host", "r", started))


def test_audit_exception_propagates(child):
    def audit(decision, error, signalled):
        raise RuntimeError("audit log full")

    enforcer = runtime.SignalEnforcer(dry_run=True, audit=audit)
    with pytest.raises(RuntimeError, match="audit log full"):
        enforcer.enforce(runtime.ResponseDecision("kill_process", child.pid, "host", "r",
                                                  start_time_ns(child.pid)))
    assert child.poll() is None


def test_process_killer_and_a_python_enforcer(child):
    with pytest.raises(bulwark.Error, match="cannot deny after the fact"):
        runtime.ProcessKiller().enforce(runtime.ResponseDecision("deny", child.pid, "host", "r"))

    class Recorder(runtime.Enforcer):
        def __init__(self):
            self.decisions = []

        def enforce(self, decision):
            self.decisions.append(decision)

    recorder = Recorder()
    decision = runtime.Responder(kill_policy(action="deny"), recorder).handle(alert_about(child))
    assert recorder.decisions == [decision] and decision.action == "deny"
    runtime.ProcessKiller().enforce(dataclasses.replace(decision, action="kill_process"))
    assert child.wait(timeout=10) == -signal.SIGKILL


GUARDED_RUN = r"""
import ctypes, json, os, subprocess, sys
from bulwark import runtime

root = sys.argv[1]
libc = ctypes.CDLL(None, use_errno=True)
if libc.mount(b"tmpfs", root.encode(), b"tmpfs", 0, b"size=4m") != 0:
    print("mount tmpfs: " + os.strerror(ctypes.get_errno()))
    sys.exit(77)
for name in ("secret.txt", "public.txt"):
    with open(os.path.join(root, name), "w") as f:
        f.write(name)
rules = runtime.rules_from_string("\n".join([
    "- rule: Secret read",
    "  desc: t",
    "  condition: evt.type = openat and fd.name endswith /secret.txt",
    "  output: '%proc.name opened %fd.name'",
    "  priority: WARNING",
]))
policy = runtime.ResponsePolicy(enabled=True, rules=[runtime.ResponseRule(
    rule="Secret read", only_in_containers=False, action="deny")])
outcome = {}
for enabled in (True, False):
    try:
        guard = runtime.FanotifyGuard(rules, policy, [root], enabled=enabled)
    except OSError as error:
        print("fanotify: %s" % error)
        sys.exit(77)
    with guard:
        runs = {name: subprocess.run(["/bin/cat", os.path.join(root, name)],
                                     capture_output=True, text=True)
                for name in ("secret.txt", "public.txt")}
    outcome[str(enabled)] = {
        "cat": {name: [r.returncode, r.stdout, r.stderr] for name, r in runs.items()},
        "verdicts": guard.verdicts(),
        "counts": guard.counts(),
    }
print(json.dumps(outcome))
"""


def test_fanotify_guard_denies_before_the_open(tmp_path):
    """A tmpfs in a private mount namespace (unshare), guarded from a child interpreter: `cat`
    of the file a deny rule names fails with EPERM before it reads; the other file reads; with
    the guard off both read and the verdicts say what would have been denied."""
    if os.geteuid() != 0:
        with pytest.raises(PermissionError):
            runtime.FanotifyGuard(runtime.rules_from_string(RULES), runtime.ResponsePolicy(),
                                  [str(tmp_path)])
        return
    root = tmp_path / "guarded"
    root.mkdir()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    result = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", sys.executable, "-c", GUARDED_RUN,
         str(root)], capture_output=True, text=True, env=env, timeout=60)
    if result.returncode == 77:
        pytest.skip(result.stdout.strip())
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    on, off = outcome["True"], outcome["False"]
    secret, public = str(root / "secret.txt"), str(root / "public.txt")
    assert on["cat"]["secret.txt"][0] == 1
    assert "Operation not permitted" in on["cat"]["secret.txt"][2]
    assert on["cat"]["public.txt"] == [0, "public.txt", ""]
    denied = [v for v in on["verdicts"] if v["denied"]]
    assert [(v["rule"], v["event"]["fd"]["name"]) for v in denied] == [("Secret read", secret)]
    assert denied[0]["event"]["process"]["name"] == "cat"
    assert on["counts"]["denied"] == 1 and on["counts"]["timed_out"] == 0
    assert public in [v["event"]["fd"]["name"] for v in on["verdicts"] if not v["deny"]]
    assert off["cat"]["secret.txt"] == [0, "secret.txt", ""]
    assert [v["rule"] for v in off["verdicts"] if v["deny"] and not v["denied"]] == ["Secret read"]
    assert off["counts"]["denied"] == 0
