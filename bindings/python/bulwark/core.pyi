import mmap
import os
from typing import Any

# What the functions read without copying: anything with the buffer protocol.
_BytesLike = bytes | bytearray | memoryview | mmap.mmap
_Path = str | os.PathLike[str]

class Digest:
    """An OCI content digest such as sha256:<64 hex digits>; compares in constant time."""

    @property
    def algorithm(self) -> str:
        """ "sha256", "sha512" or "md5"."""
    @property
    def hex(self) -> str:
        """The digest bytes as lowercase hex."""
    def __eq__(self, other: object) -> bool: ...
    def __ne__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...

def parse_digest(text: str) -> Digest:
    """Parses "<algorithm>:<lowercase hex>".

    Raises InvalidArgumentError for malformed text, UnimplementedError for an algorithm other
    than sha256, sha512 and md5.
    """

def digest(data: _BytesLike, algorithm: str = "sha256") -> str:
    """Digest of data as "<algorithm>:<hex>"; algorithm is "sha256", "sha512" or "md5"."""

def digest_file(path: _Path, algorithm: str = "sha256") -> str:
    """Digest of the file at path; raises NotFoundError, PermissionDeniedError, or
    InvalidArgumentError for a directory."""

# Parsed documents are typed Any, as json.load is: a precise recursive union would force every
# caller to narrow each value before indexing it. Values are None, bool, int, float, str, bytes
# (YAML !!binary), list and dict (keys in document order).

def parse_json(text: str | _BytesLike, *, max_depth: int | None = None,
               source_name: str = "<json>") -> Any:
    """Parses one JSON text (RFC 8259).

    Raises InvalidArgumentError "<source_name>:<line>:<column>: ..." for malformed JSON or
    duplicate keys, ResourceExhaustedError when nesting exceeds max_depth (default 512).
    """

def parse_json_file(path: _Path, *, max_depth: int | None = None) -> Any:
    """Reads and parses the JSON file at path; errors name the path."""

def parse_yaml(text: str | _BytesLike, *, max_depth: int | None = None,
               source_name: str = "<yaml>") -> list[Any]:
    """Parses every document of a YAML stream by the YAML 1.2 core schema.

    Unquoted yes/no/on/off stay strings (YAML 1.1 made them booleans); !!binary becomes bytes.
    Errors as parse_json.
    """

def parse_yaml_file(path: _Path, *, max_depth: int | None = None) -> list[Any]:
    """Reads and parses the YAML file at path; errors name the path."""

__all__ = [
    "Digest",
    "digest",
    "digest_file",
    "parse_digest",
    "parse_json",
    "parse_json_file",
    "parse_yaml",
    "parse_yaml_file",
]
