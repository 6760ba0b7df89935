"""Fixtures shared by the binding tests: the team's shared data folder (../shared)."""

import os

import pytest


def _repository_root():
    """The source tree's root: the real location of the WORKSPACE file that //:repo_root_marker
    puts in the test's runfiles (runfiles are links into the source tree)."""
    marker = os.path.join(os.environ.get("TEST_SRCDIR", ""),
                          os.environ.get("TEST_WORKSPACE", "bulwark"), "WORKSPACE")
    return os.path.dirname(os.path.realpath(marker))


def _running_in_ci():
    return os.environ.get("CI", "") not in ("", "false", "0")


@pytest.fixture(scope="session")
def shared_dir():
    """$BULWARK_SHARED_DIR, else ../shared beside the repository root. Missing data skips the
    test locally and fails it under CI, which must never pass by skipping."""
    shared = os.environ.get("BULWARK_SHARED_DIR") or os.path.join(_repository_root(), "..",
                                                                   "shared")
    shared = os.path.normpath(shared)
    if not os.path.isdir(os.path.join(shared, "conformance")):
        message = (f"shared test data not found at {shared}/conformance "
                   "(expected ../shared beside the repository root; set BULWARK_SHARED_DIR)")
        if _running_in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return shared
