"""Where Bulwark's Python tests find things: files in their runfiles, the source tree, and the
team's shared conformance data in ../shared beside the repository.

    from bulwark_testing import runfile, shared_dir
    BULWARK = runfile("examples/cli/bulwark")
    schema = shared_dir() / "conformance/schemas/sarif-2.1.0.schema.json"

Targets using it depend on //tests/python:bulwark_testing (which brings //:repo_root_marker).
"""

import os
import pathlib

import pytest

_WORKSPACE_NAME = "bulwark"


def runfile(path: str) -> pathlib.Path:
    """The runfile at `path`, relative to the repository root (e.g. "examples/cli/bulwark")."""
    return pathlib.Path(os.environ["TEST_SRCDIR"],
                        os.environ.get("TEST_WORKSPACE", _WORKSPACE_NAME), path)


def repo_root() -> pathlib.Path:
    """The source tree: the WORKSPACE runfile (//:repo_root_marker) is a link into it."""
    return pathlib.Path(os.path.realpath(runfile("WORKSPACE"))).parent


def _running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "false", "0")


def shared_dir() -> pathlib.Path:
    """$BULWARK_SHARED_DIR, else ../shared beside the repository root.

    When it holds no conformance/ folder, the calling test is skipped, or fails when CI is set:
    CI must never pass by skipping the conformance checks.
    """
    configured = os.environ.get("BULWARK_SHARED_DIR")
    shared = pathlib.Path(os.path.normpath(configured or repo_root().parent / "shared"))
    if not (shared / "conformance").is_dir():
        message = (f"shared test data not found at {shared}/conformance "
                   "(expected ../shared beside the repository root; set BULWARK_SHARED_DIR)")
        if _running_in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return shared
