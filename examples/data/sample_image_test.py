"""The checked-in sample image is exactly what build_sample_image.sh builds from the pinned Debian
packages (dpkg and umoci, fixed times): the image is reproducible. Needs root (dpkg chroots into
the image and sets owners, so the test runs outside Bazel's sandbox), umoci, and the packages
bazel/setup.sh fetches into /var/cache/bulwark/debs; skipped without them."""

import filecmp
import os
import pathlib
import shutil
import subprocess

import pytest

from bulwark_testing import runfile

BUILDER = runfile("examples/data/build_sample_image.sh")
CHECKED_IN = runfile("examples/data/sample-image")
CACHE = pathlib.Path(os.environ.get("BULWARK_DEB_CACHE", "/var/cache/bulwark/debs"))


def test_checked_in_image_is_what_the_script_builds(tmp_path):
    if os.getuid() != 0 or shutil.which("umoci") is None or not any(CACHE.glob("*.deb")):
        pytest.skip(f"needs root, umoci and the packages bazel/setup.sh fetches into {CACHE}")
    out = tmp_path / "sample-image"
    subprocess.run(["bash", str(BUILDER), str(out)], check=True,
                   env={**os.environ, "BULWARK_DEB_CACHE": str(CACHE)})
    comparison = filecmp.dircmp(out, CHECKED_IN)
    assert not comparison.left_only and not comparison.right_only and not comparison.diff_files
    blobs = filecmp.dircmp(out / "blobs/sha256", CHECKED_IN / "blobs/sha256")
    assert sorted(blobs.left_list) == sorted(blobs.right_list)
    _, mismatch, errors = filecmp.cmpfiles(out / "blobs/sha256", CHECKED_IN / "blobs/sha256",
                                           blobs.common_files, shallow=False)
    assert not mismatch and not errors
