from bulwark import cel as cel
from bulwark import core as core
from bulwark import image as image
from bulwark import policy as policy
from bulwark import risk as risk
from bulwark import runtime as runtime
from bulwark import sbom as sbom
from bulwark import sign as sign
from bulwark import vuln as vuln
from bulwark.risk import scan as scan

__version__: str

class Error(Exception):
    """Base class of every Bulwark error."""

    code: str
    """The status code name, e.g. "INVALID_ARGUMENT", "NOT_FOUND", "INTERNAL" ("UNKNOWN" for an
    Error made in Python)."""

class InvalidArgumentError(Error, ValueError):
    """Malformed input or a bad argument; the message says where (file:line:column)."""

class NotFoundError(Error, FileNotFoundError):
    """A file, or an entry a lookup asked for, does not exist."""

class PermissionDeniedError(Error, PermissionError):
    """The operating system refused access to a file."""

class UnimplementedError(Error, NotImplementedError):
    """Well-formed input that uses a feature Bulwark does not support."""

class ResourceExhaustedError(Error):
    """Input exceeded a safety limit; the message names the limit."""

class DataLossError(Error):
    """Stored data is corrupt or truncated (e.g. a digest mismatch)."""

__all__ = [
    "DataLossError",
    "Error",
    "InvalidArgumentError",
    "NotFoundError",
    "PermissionDeniedError",
    "ResourceExhaustedError",
    "UnimplementedError",
    "__version__",
    "cel",
    "core",
    "image",
    "policy",
    "risk",
    "runtime",
    "sbom",
    "scan",
    "sign",
    "vuln",
]
