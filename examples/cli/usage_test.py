"""The `bulwark` command line itself: help on stdout with exit 0, usage errors on stderr with exit
2, and a failed write to stdout reported instead of hidden."""

import subprocess

import pytest

from bulwark_testing import runfile

BULWARK = str(runfile("examples/cli/bulwark"))
COMMANDS = ["convert", "digest", "version"]


def bulwark(*args, stdout=subprocess.PIPE):
    return subprocess.run([BULWARK, *args], stdout=stdout, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, check=False)


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["help"], ["help", "--help"]])
def test_top_level_help(args):
    result = bulwark(*args)
    assert result.returncode == 0
    assert result.stderr == b""
    text = result.stdout.decode()
    for command in COMMANDS:
        assert f"\n  {command} " in text
    for line in ["0  success", "1  a finding at or above --fail-on SEVERITY",
                 "2  usage or input error"]:
        assert line in text
    assert "NO_COLOR" in text


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help_three_ways(command):
    forms = [["help", command], [command, "--help"], [command, "-h"],
             [command, "--no-such-flag", "--help"]]
    outputs = set()
    for args in forms:
        result = bulwark(*args)
        assert result.returncode == 0, args
        assert result.stderr == b""
        outputs.add(result.stdout)
    (usage,) = outputs
    assert usage.startswith(f"usage: bulwark {command}".encode())


def test_help_after_double_dash_is_an_argument():
    result = bulwark("version", "--", "--help")
    assert result.returncode == 2
    assert b"takes no arguments" in result.stderr


@pytest.mark.parametrize("args,message", [
    ([], b"missing COMMAND"),
    (["frobnicate"], b'unknown command "frobnicate"'),
    (["--frobnicate"], b'unknown flag "--frobnicate"'),
    (["help", "frobnicate"], b'unknown command "frobnicate"'),
    (["help", "digest", "convert"], b"at most one COMMAND"),
    (["digest", "--frobnicate=1"], b'unknown flag "--frobnicate"'),
    (["digest", "-x"], b'unknown flag "-x"'),
    (["digest", "--algorithm"], b"flag --algorithm needs a value"),
    (["convert"], b"takes exactly 1 argument, got 0"),
    (["convert", "a.json", "b.json"], b"takes exactly 1 argument, got 2"),
    (["version", "extra"], b"takes no arguments, got 1"),
])
def test_usage_errors_exit_2_with_a_message_on_stderr(args, message):
    result = bulwark(*args)
    assert result.returncode == 2
    assert result.stdout == b""
    assert message in result.stderr
    assert b"for usage." in result.stderr


def test_write_error_on_stdout_exits_2():
    with open("/dev/full", "wb") as full:
        result = bulwark("--help", stdout=full)
    assert result.returncode == 2
    assert result.stderr == b"bulwark: standard output: No space left on device\n"
