"""Sbom.owners (bulwark.image.sbom + image/sbom/path_owners.h) against `dpkg -S`: on a root
filesystem holding this machine's dpkg database (status and info/*.list), the packages owning a
sample of every listed path, directories included, equal what
`dpkg-query --admindir=<rootfs>/var/lib/dpkg -S PATH...` prints; paths dpkg knows nothing about
have no owner in either. Sbom.diversion: this machine's dpkg diversions plus a package and a
local one made with dpkg-divert in the test equal the "diversion by P from/to" (or "local
diversion") lines of `dpkg-query -S` for both ends of each.
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
    if (DPKG / "diversions").exists():
        shutil.copy(DPKG / "diversions", admin / "diversions")
    for flags in [["--local"], ["--package", "coreutils"]]:
        name = "local" if flags == ["--local"] else "packaged"
        subprocess.run(["dpkg-divert", f"--admindir={admin}", *flags, "--no-rename",
                        "--divert", f"/usr/share/{name}.orig", f"/usr/share/{name}"],
                       check=True, capture_output=True)
    # info/format says the lists of Multi-Arch: same packages are named "<name>:<arch>.list".
    for listed in [*DPKG.glob("info/*.list"), DPKG / "info/format"]:
        shutil.copy(listed, admin / "info" / listed.name)
    return root


def dpkg_search(admindir: pathlib.Path, paths: list, diversions=None) -> dict:
    """{path: {package names}} as `dpkg-query -S` prints them ("a, b:amd64: /path"); the
    diversion lines ("diversion by P from: /a", "local diversion to: /b") go to `diversions`
    as {(by, "from" or "to"): path} per block, in order."""
    result = subprocess.run(["dpkg-query", f"--admindir={admindir}", "-S", *paths],
                            capture_output=True, text=True, check=False)
    owners = {}
    for line in result.stdout.splitlines():
        head, path = line.split(": ", 1)
        if head.startswith(("diversion by ", "local diversion ")):
            by, end = head.rsplit(" ", 1)
            if diversions is not None:
                diversions.append((by.removeprefix("diversion by "), end, path))
            continue
        owners[path] = {p.split(":")[0] for p in head.split(", ")}
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


def test_diversions_equal_dpkg_search(rootfs):
    admin = rootfs / "var/lib/dpkg"
    lines = (admin / "diversions").read_text().splitlines()
    ends = sorted({path for i in range(0, len(lines), 3) for path in lines[i:i + 2]})
    result = image.sbom(rootfs, include_files=True)
    assert len(result.diversions) == len(lines) // 3 >= 2
    for path in ends:
        printed = []
        owners = dpkg_search(admin, [path], printed)
        diversion = result.diversion(path)
        by = "local diversion" if diversion.package == "" else diversion.package
        # dpkg prints the diversion once per match, as "from" then "to".
        assert printed[:2] == [(by, "from", diversion.path), (by, "to", diversion.diverted_to)]
        assert {p.name for p in result.owners(path)} == owners.get(path, set())
    assert result.diversion("/usr/share/local.orig").package == ""
    assert result.diversion("/usr/share/packaged").package == "coreutils"
    assert result.diversion("/usr/share/packaged.orig").path == "/usr/share/packaged"
    assert result.diversion("/usr/share/doc") is None
