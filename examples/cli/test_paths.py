"""Where the example tests find things: files in their runfiles, the source tree, and the shared
conformance data in ../shared beside the repository.

    bulwark = runfile("examples/cli/bulwark")
    schema = shared_dir() / "conformance/schemas/sarif-2.1.0.schema.json"
"""

import os
import pathlib

import pytest

_WORKSPACE_NAME = "bulwark"


def runfile(path: str) -> pathlib.Path:
    """The runfile at `path`, relative to the repository root (e.g. "examples/cli/bulwark")."""
    return pathlib.Path(os.environ["TEST_SRCDIR"], _WORKSPACE_NAME, path)


def repo_root() -> pathlib.Path:
    """The source tree: the WORKSPACE runfile (//:repo_root_marker) is a symlink into it."""
    return pathlib.Path(os.path.realpath(runfile("WORKSPACE"))).parent


def _running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "false", "0")


def shared_dir() -> pathlib.Path:
    """$BULWARK_SHARED_DIR, or ../shared beside the repository.

    When it is missing, the calling test is skipped, or fails when CI is set: CI must not pass
    without running the conformance checks.
    """
    configured = os.environ.get("BULWARK_SHARED_DIR")
    path = pathlib.Path(configured) if configured else repo_root().parent / "shared"
    if not path.is_dir():
        message = (
            f"shared conformance data not found at {path} "
            "(set BULWARK_SHARED_DIR or check out ../shared beside the repository)"
        )
        if _running_in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return path
