"""bulwark.runtime.GuardPathPolicy and FanotifyGuard(deny_paths=...): which prefixes are
accepted and how they are written, whole-component matching and the container-only scope
(without root), and, as root, a guard configured from Python that makes open() of a file below
a denied prefix fail with EPERM while a file outside it (/srv/privateer next to /srv/private)
opens. The live part runs a child interpreter in its own mount namespace (unshare) on a tmpfs;
it is skipped with a message when not root or when the kernel has no fanotify permission
events."""

import json
import os
import subprocess
import sys

import pytest

import bulwark
from bulwark import runtime

CONTAINER_ID = "c0ffee" * 10 + "cafe"


def test_prefixes_are_normalised():
    policy = runtime.GuardPathPolicy(["/srv//private/./", "/", "/data/"])
    assert policy.prefixes == ["/srv/private", "/", "/data"]
    assert policy.only_in_containers is True
    assert "only_in_containers=True" in repr(policy)


@pytest.mark.parametrize("prefix, message", [
    ("", "guard path prefix '': must not be empty"),
    ("srv/private", "guard path prefix 'srv/private': must be an absolute path"),
    ("/srv/../etc", "guard path prefix '/srv/../etc': must not contain '..'"),
    ("/srv/a\0b", "contains a NUL byte"),
])
def test_bad_prefixes_raise_invalid_argument(prefix, message):
    with pytest.raises(bulwark.InvalidArgumentError, match=message) as raised:
        runtime.GuardPathPolicy(["/ok", prefix])
    assert isinstance(raised.value, ValueError)
    # Checked before anything starts, root or not.
    with pytest.raises(bulwark.InvalidArgumentError, match=message):
        runtime.FanotifyGuard(None, None, ["/"], deny_paths=[prefix])


def test_one_string_is_not_a_list_of_prefixes():
    with pytest.raises(TypeError, match="not one string"):
        runtime.GuardPathPolicy("/srv/private")


def test_prefixes_match_whole_components():
    policy = runtime.GuardPathPolicy(["/srv/private"], only_in_containers=False)
    for path in ["/srv/private", "/srv/private/", "/srv/private/key.pem", "/srv/private/a/b"]:
        assert policy.denying_prefix(path, "") == "/srv/private", path
    for path in ["/srv/privateer", "/srv/privateer/key.pem", "/srv/private.txt", "/srv",
                 "srv/private", ""]:
        assert policy.denying_prefix(path, "") is None, path


def test_container_scope_spares_host_processes():
    policy = runtime.GuardPathPolicy(["/srv/private"])
    assert policy.denying_prefix("/srv/private/key.pem", CONTAINER_ID[:12]) == "/srv/private"
    assert policy.denying_prefix("/srv/private/key.pem", "host") is None
    assert policy.denying_prefix("/srv/private/key.pem", "") is None


def test_symlinks_in_prefixes_are_resolved(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to("real")
    policy = runtime.GuardPathPolicy([str(tmp_path / "link" / "keys")])
    assert policy.prefixes == [os.path.realpath(tmp_path / "real") + "/keys"]


def test_policy_rules_need_rules():
    policy = runtime.ResponsePolicy(enabled=True, rules=[runtime.ResponseRule(action="deny")])
    with pytest.raises(bulwark.InvalidArgumentError, match="needs a RuleSet"):
        runtime.FanotifyGuard(None, policy, ["/"], deny_paths=["/srv"])


# Runs in a child interpreter inside `unshare --mount`: mounts a tmpfs on argv[1], guards it
# with deny_paths configured here, and tries opens (a child interpreter reporting the errno
# name) and an exec. argv[2] is "all" (GuardPathPolicy for every process) or "containers" (a
# plain list: container processes only), argv[3] a docker-named cgroup (or "") for a child to
# join before it opens.
GUARDED_RUN = r"""
import ctypes, json, os, shutil, subprocess, sys
from bulwark import runtime

root, scope, cgroup = sys.argv[1:4]
libc = ctypes.CDLL(None, use_errno=True)
if libc.mount(b"tmpfs", root.encode(), b"tmpfs", 0, b"size=4m") != 0:
    print("mount tmpfs: " + os.strerror(ctypes.get_errno()))
    sys.exit(77)
for directory in ("private", "privateer"):
    os.mkdir(os.path.join(root, directory))
for name in ("private/key.pem", "privateer/notes.txt", "public.txt"):
    with open(os.path.join(root, name), "w") as f:
        f.write(name)
shutil.copy("/bin/true", os.path.join(root, "private", "tool"))
os.chmod(os.path.join(root, "private", "tool"), 0o755)

OPEN = ("import errno, os, sys\n"
        "try:\n"
        "    os.close(os.open(sys.argv[1], os.O_RDONLY))\n"
        "    print('ok')\n"
        "except OSError as error:\n"
        "    print(errno.errorcode[error.errno])\n")

def try_open(name, in_container=False):
    argv = [sys.executable, "-c", OPEN, os.path.join(root, name)]
    if in_container:
        argv = ["/bin/sh", "-c", 'echo 0 > "$0/cgroup.procs" && exec "$@"', cgroup, *argv]
    return subprocess.run(argv, capture_output=True, text=True).stdout.strip()

def try_exec(name):
    try:
        return "ok" if subprocess.run([os.path.join(root, name)]).returncode == 0 else "failed"
    except PermissionError:
        return "EPERM"

prefix = os.path.join(root, "private") + "/"
deny_paths = (runtime.GuardPathPolicy([prefix], only_in_containers=False) if scope == "all"
              else [prefix])
try:
    guard = runtime.FanotifyGuard(None, None, [root], deny_paths=deny_paths, enabled=True)
except OSError as error:
    print("fanotify: %s" % error)
    sys.exit(77)
with guard:
    outcome = {name: try_open(name) for name in ("private/key.pem", "privateer/notes.txt",
                                                 "public.txt")}
    outcome["exec private/tool"] = try_exec("private/tool")
    if cgroup:
        for name in ("private/key.pem", "privateer/notes.txt"):
            outcome["container " + name] = try_open(name, in_container=True)
outcome["denied"] = sorted([v["rule"], v["event"].get("fd", {}).get("name") or
                            v["event"]["exec"]["filename"]]
                           for v in guard.verdicts() if v["denied"])
outcome["counts"] = guard.counts()
print(json.dumps(outcome))
"""


def docker_cgroup():
    """A cgroup named like a docker container's systemd scope, or "" when none is writable."""
    for root in ("/sys/fs/cgroup/pids", "/sys/fs/cgroup/unified", "/sys/fs/cgroup"):
        if os.access(os.path.join(root, "cgroup.procs"), os.W_OK):
            scope = os.path.join(root, "system.slice", f"docker-{CONTAINER_ID}.scope")
            os.makedirs(scope, exist_ok=True)
            return scope
    return ""


def run_guarded(tmp_path, scope, cgroup=""):
    if os.geteuid() != 0:
        pytest.skip("the fanotify guard and the tmpfs mount need root")
    root = tmp_path / "guarded"
    root.mkdir()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    result = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", sys.executable, "-c", GUARDED_RUN,
         str(root), scope, cgroup], capture_output=True, text=True, env=env, timeout=120)
    if result.returncode == 77:
        pytest.skip(result.stdout.strip())
    assert result.returncode == 0, result.stderr
    return os.path.realpath(root), json.loads(result.stdout)


def test_python_configured_deny_path_gives_eperm(tmp_path):
    root, outcome = run_guarded(tmp_path, "all")
    assert outcome["private/key.pem"] == "EPERM"
    assert outcome["exec private/tool"] == "EPERM"
    assert outcome["privateer/notes.txt"] == "ok"  # Shares the prefix's letters, not its path.
    assert outcome["public.txt"] == "ok"
    rule = f"deny path {root}/private"
    assert outcome["denied"] == [[rule, f"{root}/private/key.pem"],
                                 [rule, f"{root}/private/tool"]]
    assert outcome["counts"]["denied"] == 2 and outcome["counts"]["timed_out"] == 0


def test_container_scope_denies_container_processes_only(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("the fanotify guard, the tmpfs mount and cgroups need root")
    cgroup = docker_cgroup()
    if not cgroup:
        pytest.skip("no writable cgroup hierarchy to make a container process")
    try:
        root, outcome = run_guarded(tmp_path, "containers", cgroup)
    finally:
        try:
            os.rmdir(cgroup)
        except OSError:
            pass
    assert outcome["private/key.pem"] == "ok"  # This test's own processes are host processes.
    assert outcome["exec private/tool"] == "ok"
    assert outcome["container private/key.pem"] == "EPERM"
    assert outcome["container privateer/notes.txt"] == "ok"
    assert outcome["denied"] == [[f"deny path {root}/private", f"{root}/private/key.pem"]]
