"""`bulwark sbom`: help, exit codes and its stdout on an image built with umoci at test time (the
formats themselves are checked against the official schemas in //tests/sbom)."""

import json
import pathlib
import subprocess

from bulwark_testing import runfile

BULWARK = str(runfile("examples/cli/bulwark"))


def bulwark(*args):
    return subprocess.run([BULWARK, *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, check=False)


def test_help_lists_the_formats():
    result = bulwark("sbom", "--help")
    assert result.returncode == 0
    for fmt in ["table", "json", "cyclonedx", "cyclonedx-1.6", "spdx"]:
        assert fmt in result.stdout


def test_missing_image_and_bad_format_exit_2(tmp_path):
    missing = bulwark("sbom", str(tmp_path / "missing"))
    assert missing.returncode == 2 and "missing" in missing.stderr
    bad = bulwark("sbom", str(tmp_path), "--format", "sarif")
    assert bad.returncode == 2 and "--format" in bad.stderr


def test_umoci_image_with_a_deleted_package(tmp_path):
    """Layer 0 installs two Python distributions, layer 1 deletes one (a whiteout)."""
    layout, bundle = tmp_path / "layout", tmp_path / "bundle"

    def umoci(*args):
        subprocess.run(["umoci", *args], check=True, capture_output=True)

    umoci("init", "--layout", str(layout))
    umoci("new", "--image", f"{layout}:t")
    umoci("unpack", "--rootless", "--image", f"{layout}:t", str(bundle))
    site = bundle / "rootfs/usr/lib/python3/dist-packages"
    for name, version in [("idna", "3.3"), ("six", "1.16.0")]:
        info = site / f"{name}-{version}.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(f"Name: {name}\nVersion: {version}\n\n")
    # --refresh-bundle: the next repack diffs against this layer, so the deletion is a whiteout.
    umoci("repack", "--refresh-bundle", "--image", f"{layout}:t", str(bundle))
    for path in (site / "six-1.16.0.dist-info").iterdir():
        path.unlink()
    (site / "six-1.16.0.dist-info").rmdir()
    umoci("repack", "--image", f"{layout}:t", str(bundle))

    result = bulwark("sbom", str(layout), "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert [(p["name"], p.get("layer", 0)) for p in document["packages"]] == [("idna", 0)]
    assert [(p["name"], p["removedLayer"]) for p in document["removedPackages"]] == [("six", 1)]
    table = bulwark("sbom", str(layout)).stdout
    assert "pkg:pypi/idna@3.3" in table and "Removed in a later layer: 1" in table
