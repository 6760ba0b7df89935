"""Bulwark: container-security checks for images, policies and runtime events.

    import bulwark
    bulwark.core.digest(b"hello")            # 'sha256:2cf24dba...'
    bulwark.core.parse_yaml_file("pod.yaml")  # [{'apiVersion': 'v1', ...}]
    bulwark.image.open("app.tar").lookup("etc/passwd").mode  # 420
    bulwark.image.sbom("app.tar").packages[0].purl     # 'pkg:deb/debian/adduser@3.134?...'
    bulwark.vuln.compare_versions("Debian", "1.0-1", "1.0~rc1-1")  # 1
    bulwark.scan("app.tar").findings[0]["ruleId"]   # 'aws-access-key-id'

Every error is a bulwark.Error; common ones also derive from the builtin that fits
(InvalidArgumentError is a ValueError, NotFoundError a FileNotFoundError). The functions release
the GIL while the C++ library works, so they may run in parallel from several threads.
"""

from bulwark._bulwark import (
    DataLossError,
    Error,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    ResourceExhaustedError,
    UnimplementedError,
    __version__,
)
from bulwark import cel, core, image, policy, risk, runtime, sbom, sign, vuln
from bulwark.risk import scan

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
