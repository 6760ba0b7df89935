"""`bulwark runtime watch --guard-*`: the fanotify guard run from the command line, on a tmpfs
mounted by this test in its own mount namespace. Opens and execs by this test's children are
refused with EPERM when a --guard-deny selector or --guard-deny-path matches, allowed otherwise,
only reported with --guard-mode audit, and host processes are spared by the default scope.
Needs root (the live tests skip with a message otherwise) and runs outside Bazel's sandbox,
which refuses fanotify_init."""

import ctypes
import json
import os
import re
import shutil
import signal
import subprocess

import pytest

from bulwark_testing import runfile

BULWARK = str(runfile("examples/cli/bulwark"))
CLONE_NEWNS = 0x00020000

RULES = """
- rule: Secret read
  desc: an open of a file named secret.txt
  condition: evt.type = openat and fd.name endswith /secret.txt
  output: "%proc.name opened %fd.name"
  priority: WARNING
  tags: [T1552]
- rule: Any open
  desc: alerts on every open without a deny selector; must not hide the one above
  condition: evt.type = openat and fd.name startswith /
  output: "%fd.name"
  priority: DEBUG
"""

needs_root = pytest.mark.skipif(
    os.geteuid() != 0, reason="the fanotify guard and the tmpfs mount need root"
)


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    """A tmpfs in a private mount namespace of this test process (its children see it, the host
    does not), with secret.txt, public.txt, private/key.pem and private/tool (a copy of true)."""
    if os.geteuid() != 0:
        pytest.skip("the fanotify guard and the tmpfs mount need root")
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNS) != 0:
        pytest.skip(f"cannot make a private mount namespace: {os.strerror(ctypes.get_errno())}")
    subprocess.run(["mount", "--make-rprivate", "/"], check=True)
    directory = os.path.realpath(tmp_path_factory.mktemp("guarded"))
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", directory], check=True)
    with open(os.path.join(directory, "secret.txt"), "w") as f:
        f.write("s3cret\n")
    with open(os.path.join(directory, "public.txt"), "w") as f:
        f.write("hello\n")
    os.mkdir(os.path.join(directory, "private"))
    with open(os.path.join(directory, "private", "key.pem"), "w") as f:
        f.write("key\n")
    shutil.copy("/bin/true", os.path.join(directory, "private", "tool"))
    os.chmod(os.path.join(directory, "private", "tool"), 0o755)
    rules = tmp_path_factory.mktemp("rules") / "guard_rules.yaml"
    rules.write_text(RULES)
    yield directory, str(rules)
    subprocess.run(["umount", "-l", directory], check=False)


class Watch:
    """`bulwark runtime watch ARGS` in the background, ready once the guard said what it holds."""

    def __init__(self, *args):
        self.process = subprocess.Popen(
            [BULWARK, "runtime", "watch", "--duration", "120", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.banner = self.process.stderr.readline()
        if not self.banner.startswith("guard: holding"):
            out, err = self.process.communicate(timeout=60)
            pytest.fail(f"the guard did not start: {self.banner}{err}{out}")

    def stop(self):
        """SIGINT, then (exit status, stdout, stderr after the banner)."""
        self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=60)
        return self.process.returncode, out, err


def cat(path):
    return subprocess.run(["cat", path], capture_output=True, text=True, check=False)


@needs_root
def test_enforce_denies_selected_opens_and_execs(guarded):
    directory, rules = guarded
    private = os.path.join(directory, "private")
    watch = Watch("--rules", rules, "--guard-mount", directory, "--guard-deny",
                  "rule:Secret read", "--guard-deny-path", private + "/", "--guard-scope", "all")
    assert f"holding opens and execs on {directory} (enforce; all processes;" in watch.banner
    try:
        secret = cat(os.path.join(directory, "secret.txt"))
        public = cat(os.path.join(directory, "public.txt"))
        key = cat(os.path.join(private, "key.pem"))
        with pytest.raises(PermissionError):
            subprocess.run([os.path.join(private, "tool")], check=False)
    finally:
        code, out, err = watch.stop()
    assert secret.returncode == 1 and "Operation not permitted" in secret.stderr
    assert public.returncode == 0 and public.stdout == "hello\n"
    assert key.returncode == 1 and "Operation not permitted" in key.stderr
    assert code == 1, err
    denied = [line for line in out.splitlines() if ": Guard denied " in line]
    assert any(
        re.search(rf"Guard denied open of {re.escape(directory)}/secret.txt by cat \(pid \d+"
                  r".*\): Secret read$", line)
        for line in denied
    ), out
    assert any(f"Guard denied open of {private}/key.pem by cat" in line
               and line.endswith(f": --guard-deny-path {private}") for line in denied), out
    assert any(f"Guard denied exec of {private}/tool by " in line for line in denied), out
    assert not any("public.txt" in line for line in denied), out
    summary = re.search(r"guard: (\d+) allowed, (\d+) denied, 0 timed out", err)
    assert summary, err
    assert int(summary.group(2)) == len(denied) >= 3


@needs_root
def test_audit_mode_allows_and_reports_would_deny_as_json(guarded):
    directory, rules = guarded
    watch = Watch("--rules", rules, "--guard-mount", directory, "--guard-deny",
                  "tag:T1552,priority:Warning", "--guard-scope", "all", "--guard-mode", "audit",
                  "--format", "json")
    assert "(audit only, nothing is denied;" in watch.banner
    try:
        secret = cat(os.path.join(directory, "secret.txt"))
    finally:
        code, out, err = watch.stop()
    assert secret.returncode == 0 and secret.stdout == "s3cret\n"
    assert code == 1, err
    verdicts = [json.loads(line) for line in out.splitlines() if line.startswith('{"guard":')]
    assert verdicts, out
    verdict = verdicts[0]
    assert verdict["guard"]["verdict"] == "would_deny"
    assert verdict["guard"]["rule"] == "Secret read"
    assert verdict["guard"]["access"] == "open"
    assert verdict["guard"]["path"] == os.path.join(directory, "secret.txt")
    assert verdict["event"]["fd"]["name"] == os.path.join(directory, "secret.txt")
    assert verdict["event"]["process"]["name"] == "cat"
    assert " 0 denied," in err


@needs_root
@pytest.mark.parametrize(
    "deny, banner",
    [
        # The default scope: this test's processes are host processes.
        (["--guard-deny", "rule:Secret read", "--guard-deny-path", "/"],
         "container processes only"),
        # The rule is a Warning: a selector asking for Critical or worse does not take it.
        (["--guard-deny", "tag:T1552,priority:Critical", "--guard-scope", "all"],
         "all processes"),
    ],
    ids=["host-process-in-container-scope", "priority-above-the-rule"],
)
def test_allows_what_no_selector_takes(guarded, deny, banner):
    directory, rules = guarded
    watch = Watch("--rules", rules, "--guard-mount", directory, *deny)
    assert banner in watch.banner
    try:
        secret = cat(os.path.join(directory, "secret.txt"))
    finally:
        code, out, err = watch.stop()
    assert secret.returncode == 0, secret.stderr
    assert code == 0, err
    assert "Guard" not in out
    assert " 0 denied," in err


def test_without_privilege_the_guard_says_permission_denied(tmp_path):
    directory = str(tmp_path)
    args = ["runtime", "watch", "--guard-mount", directory, "--guard-deny-path", directory,
            "--duration", "1"]
    if os.geteuid() != 0:
        result = subprocess.run([BULWARK, *args], capture_output=True, text=True, check=False)
        assert result.returncode == 2
        assert "--guard-mount: the fanotify guard needs root (CAP_SYS_ADMIN)" in result.stderr
        return
    # Root without capabilities, as in a container that was not given CAP_SYS_ADMIN.
    result = subprocess.run(
        ["setpriv", "--bounding-set=-all", "--inh-caps=-all", BULWARK, *args],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "--guard-mount: fanotify_init(FAN_CLASS_CONTENT): " in result.stderr
    assert "needs CAP_SYS_ADMIN" in result.stderr


def test_guard_flags_are_checked_before_anything_starts(tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES)
    cases = [
        (["--guard-deny-path", "/srv"], "--guard-deny-path needs --guard-mount DIR"),
        (["--guard-mount", "/srv"], "nothing to deny"),
        (["--guard-mount", "/srv", "--guard-deny", "rule:Secret read"], "it needs --rules"),
        (["--rules", str(rules), "--guard-mount", "/srv", "--guard-deny", "rule:Secret reed"],
         "no enabled rule named 'Secret reed' in --rules"),
        (["--guard-mount", "/srv", "--guard-deny-path", "/srv", "--guard-timeout", "soon"],
         "--guard-timeout 'soon': expected a duration"),
    ]
    for args, message in cases:
        result = subprocess.run([BULWARK, "runtime", "watch", *args, "--duration", "1"],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr, (args, result.stderr)
