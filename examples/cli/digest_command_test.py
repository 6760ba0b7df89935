"""`bulwark digest` against GNU coreutils: for the same arguments, stdout must be byte-identical to
sha256sum / sha512sum / md5sum, including the escaping of odd file names, standard input, "--",
and the error for a missing file."""

import os
import pathlib
import subprocess

import pytest

from bulwark_testing import runfile

BULWARK = str(runfile("examples/cli/bulwark"))

ALGORITHMS = {"sha256": "sha256sum", "sha512": "sha512sum", "md5": "md5sum"}

# Names coreutils prints verbatim, and names it escapes (backslash, newline, carriage return).
ODD_NAMES = [
    "with space.txt",
    "tab\there",
    "ünïcödé-名前.bin",
    "quote'and\"double",
    "back\\slash",
    "new\nline",
    "carriage\rreturn",
    "all\\three\n\r",
]


def run(args, cwd, stdin=b"", env=None):
    return subprocess.run(args, cwd=cwd, input=stdin, capture_output=True, env=env, check=False)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> pathlib.Path:
    root = tmp_path_factory.mktemp("digest")
    (root / "empty").write_bytes(b"")
    (root / "hello.txt").write_bytes(b"hello\n")
    # Larger than the 1 MiB read chunk, and not a multiple of it.
    (root / "large.bin").write_bytes(os.urandom(3 * (1 << 20) + 12345))
    (root / "sub" / "dir").mkdir(parents=True)
    (root / "sub" / "dir" / "nested.txt").write_bytes(b"nested")
    (root / "-leading-dash").write_bytes(b"dash")
    for i, name in enumerate(ODD_NAMES):
        (root / name).write_bytes(f"odd {i}".encode())
    return root


def file_args():
    return ["empty", "hello.txt", "large.bin", "sub/dir/nested.txt"] + ODD_NAMES


@pytest.mark.parametrize("algorithm,coreutils", ALGORITHMS.items())
def test_output_is_byte_identical_to_coreutils(files, algorithm, coreutils):
    theirs = run([coreutils] + file_args(), cwd=files)
    ours = run([BULWARK, "digest", f"--algorithm={algorithm}"] + file_args(), cwd=files)
    assert theirs.returncode == 0, theirs.stderr
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout == theirs.stdout
    assert ours.stderr == b""


def test_default_algorithm_is_sha256_and_flag_takes_separate_value(files):
    theirs = run(["sha256sum", "hello.txt", "empty"], cwd=files)
    assert run([BULWARK, "digest", "hello.txt", "empty"], cwd=files).stdout == theirs.stdout
    separate = run([BULWARK, "digest", "--algorithm", "sha256", "hello.txt", "empty"], cwd=files)
    assert separate.stdout == theirs.stdout


def test_escaped_names_read_back_with_coreutils_check(files):
    ours = run([BULWARK, "digest"] + file_args(), cwd=files)
    check = run(["sha256sum", "--check", "--strict"], cwd=files, stdin=ours.stdout)
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.parametrize("algorithm,coreutils", ALGORITHMS.items())
def test_standard_input(files, algorithm, coreutils):
    data = os.urandom(2 * (1 << 20) + 7)
    for args in ([], ["-"]):
        theirs = run([coreutils] + args, cwd=files, stdin=data)
        ours = run([BULWARK, "digest", "--algorithm", algorithm] + args, cwd=files, stdin=data)
        assert ours.returncode == 0, ours.stderr
        assert ours.stdout == theirs.stdout


def test_stdin_among_files(files):
    args = ["hello.txt", "-", "empty"]
    theirs = run(["sha256sum"] + args, cwd=files, stdin=b"from stdin")
    ours = run([BULWARK, "digest"] + args, cwd=files, stdin=b"from stdin")
    assert ours.stdout == theirs.stdout


def test_double_dash_ends_flags(files):
    names = ["-leading-dash", "hello.txt"]
    theirs = run(["md5sum", "--"] + names, cwd=files)
    ours = run([BULWARK, "digest", "--algorithm=md5", "--"] + names, cwd=files)
    assert theirs.returncode == 0, theirs.stderr
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout == theirs.stdout


def test_missing_file_is_reported_and_the_others_still_digested(files):
    args = ["hello.txt", "no-such-file", "empty"]
    theirs = run(["sha256sum"] + args, cwd=files)
    ours = run([BULWARK, "digest"] + args, cwd=files)
    assert ours.stdout == theirs.stdout
    assert theirs.stderr == b"sha256sum: no-such-file: No such file or directory\n"
    assert ours.stderr == b"bulwark: no-such-file: No such file or directory\n"
    assert ours.returncode == 2


def test_directory_is_an_input_error(files):
    ours = run([BULWARK, "digest", "sub", "hello.txt"], cwd=files)
    assert ours.returncode == 2
    assert ours.stderr.startswith(b"bulwark: sub: ")
    assert ours.stdout == run(["sha256sum", "hello.txt"], cwd=files).stdout


def test_unknown_algorithm_is_a_usage_error(files):
    ours = run([BULWARK, "digest", "--algorithm=sha1", "hello.txt"], cwd=files)
    assert ours.returncode == 2
    assert ours.stdout == b""
    assert b"--algorithm" in ours.stderr and b"sha1" in ours.stderr


def test_relative_paths_resolve_against_build_working_directory(files, tmp_path):
    # `bazel run` starts the binary elsewhere and names the user's directory in this variable.
    env = dict(os.environ, BUILD_WORKING_DIRECTORY=str(files))
    args = ["hello.txt", "sub/dir/nested.txt", "back\\slash"]
    ours = run([BULWARK, "digest"] + args, cwd=tmp_path, env=env)
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout == run(["sha256sum"] + args, cwd=files).stdout
