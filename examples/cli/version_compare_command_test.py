"""`bulwark version compare ECOSYSTEM A B`: prints <, = or > as the ecosystem's tool orders the
versions (checked against dpkg itself), exits 2 on invalid input, and leaves `bulwark version`
as it was."""

import shutil
import subprocess

import pytest

from bulwark_testing import runfile

BULWARK = str(runfile("examples/cli/bulwark"))


def run(*args):
    return subprocess.run([BULWARK, *args], capture_output=True, text=True, check=False)


@pytest.mark.parametrize("ecosystem,a,b,expected", [
    ("Debian:12", "1.0-1", "1.0~rc1-1", ">"),
    ("Alpine:v3.18", "1.2.3_rc1-r0", "1.2.3-r0", "<"),
    ("Red Hat", "1:1.0-1.el8", "2.0-1.el8", ">"),
    ("PyPI", "1.0", "1.0.0", "="),
    ("npm", "1.0.0-rc.1", "1.0.0", "<"),
    ("Maven", "1.0-SNAPSHOT", "1.0", "<"),
])
def test_prints_the_order(ecosystem, a, b, expected):
    result = run("version", "compare", ecosystem, a, b)
    assert (result.returncode, result.stdout, result.stderr) == (0, expected + "\n", "")


def test_versions_starting_with_a_dash_follow_double_dash():
    result = run("version", "compare", "Debian", "--", "-1", "1")
    # "-1" reaches dpkg's parser (not the flag parser), which finds no upstream version.
    assert result.returncode == 2
    assert 'Debian version "-1": version number is empty' in result.stderr


@pytest.mark.parametrize("pair", [("1.2.3-1", "1.2.3-1+deb12u1"), ("2:1.0", "1:9.9"),
                                  ("1.0~~a", "1.0~"), ("0.9+git20230101-1", "0.9-2")])
def test_agrees_with_dpkg(pair):
    if shutil.which("dpkg") is None:
        pytest.skip("dpkg is not installed")
    a, b = pair
    less = subprocess.run(["dpkg", "--compare-versions", a, "lt", b], check=False).returncode == 0
    equal = subprocess.run(["dpkg", "--compare-versions", a, "eq", b], check=False).returncode == 0
    assert run("version", "compare", "Debian", a, b).stdout == \
        ("<\n" if less else "=\n" if equal else ">\n")


@pytest.mark.parametrize("args,message", [
    (["npm", "1.0.0", "x"], 'npm version "x": major version is not a number'),
    (["Conan", "1", "2"], 'unknown ecosystem "Conan"'),
    (["PyPI", "1.0"], "takes exactly 3 arguments, got 2"),
])
def test_invalid_input_exits_2_and_says_why(args, message):
    result = run("version", "compare", *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr


def test_plain_version_command_is_unchanged():
    result = run("version")
    assert result.returncode == 0
    assert result.stdout.startswith("bulwark ")
    assert run("version", "extra").returncode == 2
