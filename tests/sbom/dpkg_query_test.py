"""The dpkg cataloger against dpkg-query itself: on every dpkg status fixture of
../shared/conformance/pkgdb (claircore, syft, trivy), and on a 3-layer image this test builds
with umoci from this machine's own /var/lib/dpkg/status, the package list (name, version,
architecture, source package, source version) equals
`dpkg-query --admindir=<rootfs>/var/lib/dpkg -W -f '${Package}\t${Version}\t...'` exactly.
"""

import pathlib
import re
import shutil
import subprocess

import pytest

from bulwark_testing import shared_dir
from sbom_cli import dpkg_query_rows, dpkg_rows, sbom_json

PKGDB = "conformance/pkgdb"
STATUS_FIXTURES = [
    "claircore/dpkg/testdata/debian-only.status",
    "claircore/dpkg/testdata/postgresql.status",
    "claircore/dpkg/testdata/texlive.status",
    "claircore/dpkg/testdata/vcpkg.status",
] + [f"syft/syft/pkg/cataloger/debian/testdata/var/lib/dpkg/status.d/{name}"
     for name in ["coreutils-relationships", "deinstall", "doc-examples", "empty",
                  "installed-size-4KB", "libpam-runtime", "multiple", "single"]]

# Fixtures dpkg-query refuses to read at all.
DPKG_REJECTS = {
    "claircore/dpkg/testdata/vcpkg.status",
    "syft/syft/pkg/cataloger/debian/testdata/var/lib/dpkg/status.d/doc-examples",
    "syft/syft/pkg/cataloger/debian/testdata/var/lib/dpkg/status.d/empty",
    "syft/syft/pkg/cataloger/debian/testdata/var/lib/dpkg/status.d/multiple",
}


def rootfs_with_status(tmp_path, status: bytes, status_d: bool = False) -> pathlib.Path:
    root = tmp_path / "rootfs"
    target = root / ("var/lib/dpkg/status.d/pkg" if status_d else "var/lib/dpkg/status")
    target.parent.mkdir(parents=True)
    target.write_bytes(status)
    return root


def admindir_with_status(tmp_path, status: bytes) -> pathlib.Path:
    admin = tmp_path / "admindir"
    (admin / "updates").mkdir(parents=True)
    (admin / "info").mkdir()
    (admin / "status").write_bytes(status)
    return admin


@pytest.mark.parametrize("fixture", STATUS_FIXTURES)
def test_status_fixture_equals_dpkg_query(tmp_path, fixture):
    status = (shared_dir() / PKGDB / fixture).read_bytes()
    ours = sbom_json(rootfs_with_status(tmp_path, status))
    try:
        expected = dpkg_query_rows(admindir_with_status(tmp_path, status))
    except subprocess.CalledProcessError:
        # dpkg rejects the whole database at its first bad stanza (an empty Package name, bad
        # Depends syntax); Bulwark reads what it can (sbom_json checked the exit status).
        assert fixture in DPKG_REJECTS
        return
    assert fixture not in DPKG_REJECTS
    assert dpkg_rows(ours) == expected
    if all(b"\nStatus:" in b"\n" + s for s in status.split(b"\n\n") if s.strip()):
        # The same stanzas as a distroless status.d file give the same packages.
        (tmp_path / "d").mkdir()
        assert dpkg_rows(sbom_json(rootfs_with_status(tmp_path / "d", status, True))) == expected


def test_corrupt_status_is_skipped_with_a_warning(tmp_path):
    fixture = "syft/syft/pkg/cataloger/debian/testdata/var/lib/dpkg/status.d/corrupt"
    document = sbom_json(rootfs_with_status(tmp_path, (shared_dir() / PKGDB / fixture).read_bytes()))
    assert dpkg_rows(document) == []
    assert any("without a valid Package field" in w for w in document["warnings"])


def split_stanzas(status: str) -> list:
    return [s for s in re.split(r"\n\s*\n", status) if s.strip()]


def umoci(*args):
    subprocess.run(["umoci", *args], check=True, capture_output=True)


@pytest.mark.skipif(not pathlib.Path("/var/lib/dpkg/status").exists(), reason="no dpkg here")
def test_image_built_from_this_machines_dpkg_database(tmp_path):
    """Layer 0: the first half of this machine's packages; layer 1: all of them; layer 2: all
    but the last. The final list equals dpkg-query on the final status file; the packages of
    layer 1 are attributed to layer 1 and the one layer 2 dropped is reported removed there."""
    stanzas = split_stanzas(pathlib.Path("/var/lib/dpkg/status").read_text(encoding="utf-8"))
    assert len(stanzas) > 10
    half = len(stanzas) // 2
    versions = ["\n\n".join(stanzas[:half]) + "\n", "\n\n".join(stanzas) + "\n",
                "\n\n".join(stanzas[:-1]) + "\n"]
    layout, bundle = tmp_path / "layout", tmp_path / "bundle"
    umoci("init", "--layout", str(layout))
    umoci("new", "--image", f"{layout}:t")
    for status in versions:
        shutil.rmtree(bundle, ignore_errors=True)
        umoci("unpack", "--rootless", "--image", f"{layout}:t", str(bundle))
        (bundle / "rootfs/var/lib/dpkg").mkdir(parents=True, exist_ok=True)
        (bundle / "rootfs/var/lib/dpkg/status").write_text(status, encoding="utf-8")
        umoci("repack", "--image", f"{layout}:t", str(bundle))

    document = sbom_json(layout)
    expected = dpkg_query_rows(admindir_with_status(tmp_path, versions[-1].encode()))
    assert dpkg_rows(document) == expected
    def key(stanza):
        field = lambda name: (re.search(rf"^{name}: (\S+)", stanza, re.M) or [None, ""])[1]
        return field("Package"), field("Architecture")

    layers = {(p["name"], p.get("arch", "")): p.get("layer", 0) for p in document["packages"]}
    first_half = {key(s) for s in stanzas[:half]}
    for package, layer in layers.items():
        assert layer == (0 if package in first_half else 1), package
    removed = [p for p in document.get("removedPackages", [])
               if (p["name"], p.get("arch", "")) == key(stanzas[-1])]
    if key(stanzas[-1]) not in layers and "not-installed" not in stanzas[-1]:
        assert [p["removedLayer"] for p in removed] == [2]
