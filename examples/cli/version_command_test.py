"""`bulwark version` against the tools that ship the linked libraries: the OpenSSL, protobuf and
simdjson versions it reports must be those of the installed Debian packages."""

import json
import re
import shutil
import subprocess

import pytest

from bulwark_testing import runfile

BULWARK = str(runfile("examples/cli/bulwark"))


def output_of(*args):
    result = subprocess.run(args, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def reported():
    return json.loads(output_of(BULWARK, "version", "--format", "json"))


def test_text_form_starts_with_bulwark_and_version_and_matches_json(reported):
    lines = output_of(BULWARK, "version").splitlines()
    assert re.fullmatch(r"bulwark \d+\.\d+\.\d+", lines[0])
    assert lines[0] == f"bulwark {reported['version']}"
    assert lines[1:] == [f"  {name} {version}" for name, version in
                         reported["dependencies"].items()]


def test_openssl_is_the_library_the_openssl_tool_uses(reported):
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    # "OpenSSL 3.0.19 27 Jan 2026 (Library: OpenSSL 3.0.19 27 Jan 2026)"
    text = output_of("openssl", "version")
    library = re.search(r"Library: OpenSSL (\S+)", text) or re.match(r"OpenSSL (\S+)", text)
    assert reported["dependencies"]["openssl"] == library.group(1)


def test_protobuf_matches_protoc(reported):
    # "libprotoc 3.21.12"
    assert reported["dependencies"]["protobuf"] == output_of("protoc", "--version").split()[-1]


def test_simdjson_matches_the_debian_package(reported):
    debian_version = output_of("dpkg-query", "--show", "--showformat=${Version}",
                               "libsimdjson-dev")
    upstream = debian_version.split(":")[-1].rsplit("-", 1)[0]
    assert reported["dependencies"]["simdjson"] == upstream


@pytest.mark.parametrize("args", [["--format", "sarif"], ["--format=xml"], ["extra"]])
def test_usage_errors_exit_2(args):
    result = subprocess.run([BULWARK, "version", *args], capture_output=True, check=False)
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.startswith(b"bulwark")
