"""Sbom.owners (bulwark.image.sbom + image/sbom/path_owners.h) against `dpkg -S`: on a root
filesystem holding this machine's dpkg database (status and info/*.list), the packages owning a
sample of every listed path, directories included, equal what
`dpkg-query --admindir=<rootfs>/var/lib/dpkg -S PATH...` prints; paths dpkg knows nothing about
have no owner in either.
"""

import pathlib
import shutil
import subprocess

import pytest

from bulwark import image

DPKG = pathlib.Path("/var/lib/dpkg")
GLOB_CHARACTERS = set("*?[]\\")


@pytest.fixture(scope="module")
def rootfs(tmp_path_factory):
    if not (DPKG / "status").exists() or shutil.which("dpkg-query") is None:
        pytest.skip("no dpkg database here")
    root = tmp_path_factory.mktemp("rootfs")
    admin = root / "var/lib/dpkg"
    (admin / "info").mkdir(parents=True)
    (admin / "updates").mkdir()
    shutil.copy(DPKG / "status", admin / "status")
    # info/format says the lists of Multi-Arch: same packages are named "<name>:<arch>.list".
    for listed in [*DPKG.glob("info/*.list"), DPKG / "info/format"]:
        shutil.copy(listed, admin / "info" / listed.name)
    return root


def dpkg_search(admindir: pathlib.Path, paths: list) -> dict:
    """{path: {package names}} as `dpkg-query -S` prints them ("a, b:amd64: /path")."""
    result = subprocess.run(["dpkg-query", f"--admindir={admindir}", "-S", *paths],
                            capture_output=True, text=True, check=False)
    owners = {}
    for line in result.stdout.splitlines():
        packages, path = line.split(": ", 1)
        owners[path] = {p.split(":")[0] for p in packages.split(", ")}
    return owners


def test_owners_equal_dpkg_search(rootfs):
    admin = rootfs / "var/lib/dpkg"
    listed = sorted({line for f in admin.glob("info/*.list")
                     for line in f.read_text(errors="replace").splitlines()
                     if line.startswith("/") and line != "/." and
                     not GLOB_CHARACTERS & set(line)})
    sample = listed[::53] + ["/bin", "/usr", "/etc", "/usr/share/doc", "/usr/lib"]
    sample += ["/usr/bin/ls", "/no/such/file"]  # usrmerge: coreutils lists /bin/ls only.
    expected = dpkg_search(admin, sample)
    result = image.sbom(rootfs, include_files=True)
    ours = {path: {p.name for p in result.owners(path)} for path in sample}
    assert {p: o for p, o in ours.items() if o} == expected
    assert len(expected) > 1000
    assert "/usr/bin/ls" not in expected and "/no/such/file" not in expected
    assert len(expected["/usr"]) > 50  # directories belong to every package that lists them.
    # The question may be asked without the leading slash or with a trailing one.
    assert {p.name for p in result.owners("usr/share/doc/")} == expected["/usr/share/doc"]
