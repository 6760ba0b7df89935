"""bulwark.core digests, checked against Python's hashlib."""

import hashlib
import os
import re

import pytest

import bulwark
from bulwark import core

ALGORITHMS = ["sha256", "sha512", "md5"]
INPUTS = [b"", b"abc", bytes(range(256)) * 4099]


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("data", INPUTS, ids=["empty", "abc", "1MiB+"])
def test_digest_matches_hashlib(algorithm, data):
    expected = f"{algorithm}:{hashlib.new(algorithm, data).hexdigest()}"
    assert core.digest(data, algorithm) == expected


def test_digest_defaults_to_sha256():
    assert core.digest(b"abc") == "sha256:" + hashlib.sha256(b"abc").hexdigest()


def test_digest_reads_any_contiguous_buffer():
    data = b"bulwark" * 1000
    expected = core.digest(data)
    assert core.digest(bytearray(data)) == expected
    assert core.digest(memoryview(data)) == expected
    assert core.digest(memoryview(b"xx" + data)[2:]) == expected


def test_digest_rejects_str_and_strided_buffers():
    with pytest.raises(TypeError, match="got str"):
        core.digest("abc")
    with pytest.raises(TypeError, match="got int"):
        core.digest(42)
    with pytest.raises(BufferError):
        core.digest(memoryview(b"abcdef")[::2])


def test_unknown_algorithm_is_invalid_argument():
    with pytest.raises(bulwark.InvalidArgumentError, match="sha1") as raised:
        core.digest(b"abc", "sha1")
    assert isinstance(raised.value, ValueError)
    assert raised.value.code == "INVALID_ARGUMENT"


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_digest_file_matches_hashlib(tmp_path, algorithm):
    data = os.urandom(3 << 20)  # several of the 1 MiB chunks DigestFile streams
    path = tmp_path / "blob"
    path.write_bytes(data)
    expected = f"{algorithm}:{hashlib.new(algorithm, data).hexdigest()}"
    assert core.digest_file(str(path), algorithm) == expected
    assert core.digest_file(path, algorithm) == expected  # os.PathLike


def test_digest_file_missing_is_not_found(tmp_path):
    missing = tmp_path / "missing"
    with pytest.raises(FileNotFoundError) as raised:
        core.digest_file(missing)
    assert isinstance(raised.value, bulwark.NotFoundError)
    assert raised.value.code == "NOT_FOUND"
    assert str(missing) in str(raised.value)


def test_digest_file_of_directory_is_invalid_argument(tmp_path):
    with pytest.raises(bulwark.InvalidArgumentError, match="directory"):
        core.digest_file(tmp_path)


def test_parse_digest_round_trips():
    text = "sha512:" + hashlib.sha512(b"abc").hexdigest()
    parsed = core.parse_digest(text)
    assert isinstance(parsed, core.Digest)
    assert parsed.algorithm == "sha512"
    assert parsed.hex == hashlib.sha512(b"abc").hexdigest()
    assert str(parsed) == text
    assert repr(parsed) == f"bulwark.core.Digest('{text}')"


def test_parsed_digests_compare_and_hash_by_value():
    text = core.digest(b"abc")
    first, second = core.parse_digest(text), core.parse_digest(text)
    other = core.parse_digest(core.digest(b"abd"))
    assert first == second and not first != second
    assert first != other
    assert first != text  # a Digest is not its string form
    assert len({first, second, other}) == 2


@pytest.mark.parametrize("text", [
    "sha256:" + "A" * 64,            # upper-case hex
    "sha256:" + "a" * 63,            # wrong length for the algorithm
    "sha256" + "a" * 64,             # no separator
    "",
])
def test_malformed_digest_is_invalid_argument(text):
    with pytest.raises(bulwark.InvalidArgumentError):
        core.parse_digest(text)


def test_other_algorithm_is_unimplemented():
    with pytest.raises(NotImplementedError, match="blake3") as raised:
        core.parse_digest("blake3:" + "a" * 64)
    assert isinstance(raised.value, bulwark.UnimplementedError)
    assert raised.value.code == "UNIMPLEMENTED"


def test_version_is_semantic():
    assert re.fullmatch(r"\d+\.\d+\.\d+([-+].+)?", bulwark.__version__)

