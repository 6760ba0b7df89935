"""`bulwark vuln` on a 4-layer OCI image this test builds with umoci from real packages of this
machine and the npm registry, matched against the real advisories of ../shared/conformance/osv.

Layers (each from a tool or package nobody here wrote):
- 0, Debian 12: the machine's /usr/lib/os-release and its own /var/lib/dpkg/status stanzas of
  perl-base, tar, apt, zlib1g and liblzma5 (Debian bookworm builds);
- 1, Go: Debian's /usr/bin/umoci and /usr/bin/skopeo, built with go1.19.8 (`go version -m`);
- 2, npm: express 4.17.1 with its dependency tree as `npm install` lays it out
  (/var/cache/bulwark/testdata/npm/express-4.17.1-tree, fetched by bazel/setup.sh);
- 3, Python: the machine's cryptography 38.0.4 and pip 23.0.1 dist-info directories (no package
  of the image's dpkg database owns them: pip-installed as far as the image tells), and the
  idna-3.3.egg-info that layer 0's python3-idna 3.3-1+deb12u1 owns (its stanza and its
  info/python3-idna.list, from this machine's dpkg).

Expected results, read from the advisories (explicit lists below), plus two oracles over whole
advisory sets: `dpkg --compare-versions` for every Debian record of the packages' source names,
and pypa/packaging for every PyPI record of cryptography and pip. `dpkg-query -S` on the image's
own dpkg database says which Python package dpkg owns: that one (idna) is matched through its
deb only, unless --match-os-owned-packages (docs/vuln.md, "OS-owned language packages").
"""

import json
import os
import pathlib
import shutil
import subprocess

import pytest

from bulwark_testing import runfile, shared_dir

BULWARK = str(runfile("examples/cli/bulwark"))
OSV = "conformance/osv"
EXPRESS_TREE = pathlib.Path("/var/cache/bulwark/testdata/npm/express-4.17.1-tree")
DEBIAN_PACKAGES = ["perl-base", "tar", "apt", "zlib1g", "liblzma5"]
GO_TOOLS = ["/usr/bin/umoci", "/usr/bin/skopeo"]
PYTHON_DIST_INFO = ["cryptography-38.0.4.dist-info", "pip-23.0.1.dist-info"]
DIST_PACKAGES = pathlib.Path("/usr/lib/python3/dist-packages")
# Debian's python3-idna 3.3-1+deb12u1 with its egg-info. PyPI's records for idna 3.3:
# PYSEC-2024-60 (CVE-2024-3651, 0.1 <= v < 3.7) and PYSEC-2026-215 (CVE-2026-45409, < 3.15).
# Debian fixed CVE-2024-3651 in bookworm by a backport (the +deb12u1 update), which PyPI's range
# cannot know: matched as PyPI, 3.3 would be reported; matched through its owner it is not.
OWNED_DEB = "python3-idna"
OWNED_EGG_INFO = "idna-3.3.egg-info"
OWNED_PKG_INFO = f"/usr/lib/python3/dist-packages/{OWNED_EGG_INFO}/PKG-INFO"
OWNED_PYPI_IF_MATCHED = {"CVE-2024-3651": ("PYSEC-2024-60", "3.7"),
                         "CVE-2026-45409": ("PYSEC-2026-215", "3.15")}

# Debian (debian-bookworm-sample), by source package — the binary names differ (perl-base is
# built from perl, zlib1g from zlib, liblzma5 from xz-utils) — at the versions read below:
# - perl 5.36.0-7+deb12u2: DEBIAN-CVE-2024-56406 is fixed in exactly 5.36.0-7+deb12u2 (not
#   affected); DEBIAN-CVE-2023-31484 is fixed in 5.36.0-7+deb12u3 (affected, that fix);
#   DEBIAN-CVE-2023-31486 is open (affected, no fix).
# - tar 1.34+dfsg-1.2+deb12u1: DEBIAN-CVE-2022-48303 fixed in exactly that version (not
#   affected); DEBIAN-CVE-2023-39804 and DEBIAN-CVE-2005-2541 open.
# - apt 2.6.1: DEBIAN-CVE-2011-3374 open, urgency "unimportant" -> LOW.
# - zlib 1:1.2.13.dfsg-1: DEBIAN-CVE-2018-25032 (fixed 1:1.2.11.dfsg-4) and -2022-37434 (fixed
#   1:1.2.11.dfsg-4.1) are older (the epoch compares first; not affected); -2023-45853 open.
# - xz-utils 5.4.1-1: DEBIAN-CVE-2025-31115 and DSA-5895-1 fixed in exactly 5.4.1-1, and
#   DEBIAN-CVE-2022-1271 in 5.2.5-2.1: none affects it.
DEBIAN_VERSIONS = {"perl": "5.36.0-7+deb12u2", "tar": "1.34+dfsg-1.2+deb12u1", "apt": "2.6.1",
                   "zlib": "1:1.2.13.dfsg-1", "xz-utils": "5.4.1-1"}
DEBIAN_AFFECTED = {("perl-base", "CVE-2023-31484", "5.36.0-7+deb12u3"),
                   ("perl-base", "CVE-2023-31486", ""), ("tar", "CVE-2023-39804", ""),
                   ("tar", "CVE-2005-2541", ""), ("apt", "CVE-2011-3374", ""),
                   ("zlib1g", "CVE-2023-45853", "")}
DEBIAN_NOT_AFFECTED = {("perl-base", "CVE-2024-56406"), ("tar", "CVE-2022-48303"),
                       ("zlib1g", "CVE-2018-25032"), ("zlib1g", "CVE-2022-37434"),
                       ("liblzma5", "CVE-2025-31115"), ("liblzma5", "CVE-2022-1271")}

# Go (go/osv), the standard library by toolchain version go1.19.8 -> 1.19.8: GO-2023-1751
# (CVE-2023-24539, html/template), -1752 (CVE-2023-24540), -1753 (CVE-2023-29400) are fixed in
# 1.19.9 and GO-2023-1840 (CVE-2023-29403, runtime setuid) in 1.19.10: affected. GO-2023-1702
# (CVE-2023-24537), -1703, -1704, -1705 are fixed in 1.19.8 itself: not affected.
GO_AFFECTED = {"GO-2023-1751": "1.19.9", "GO-2023-1752": "1.19.9", "GO-2023-1753": "1.19.9",
               "GO-2023-1840": "1.19.10"}
GO_NOT_AFFECTED = ["GO-2023-1702", "GO-2023-1703", "GO-2023-1704", "GO-2023-1705"]

# npm (npm-ghsa-sample), GHSA records with CVE aliases, the finding ID being the CVE:
# express 4.17.1: GHSA-rv95-896h-c2vc (< 4.19.2) and GHSA-qw6h-vgh9-j6wx (< 4.20.0);
# body-parser 1.19.0: GHSA-qwcr-r2fm-qrc7 (< 1.20.3); cookie 0.4.0: GHSA-pxg6-pf52-xh8x
# (< 0.7.0); path-to-regexp 0.1.7: GHSA-9wv6-86v2-598j (< 0.1.10); qs 6.7.0: GHSA-hrpp-h998-j3pp
# (6.7.0 <= v < 6.7.3); send 0.17.1: GHSA-m6fv-jmcg-4jfg (< 0.19.0); serve-static 1.14.1:
# GHSA-cm22-4g7w-348p (< 1.16.0). debug 2.6.9 is exactly GHSA-gxpj-cx7g-858c's fix: not affected.
NPM_AFFECTED = {
    ("express", "4.17.1", "CVE-2024-29041", "GHSA-rv95-896h-c2vc", "4.19.2"),
    ("express", "4.17.1", "CVE-2024-43796", "GHSA-qw6h-vgh9-j6wx", "4.20.0"),
    ("body-parser", "1.19.0", "CVE-2024-45590", "GHSA-qwcr-r2fm-qrc7", "1.20.3"),
    ("cookie", "0.4.0", "CVE-2024-47764", "GHSA-pxg6-pf52-xh8x", "0.7.0"),
    ("path-to-regexp", "0.1.7", "CVE-2024-45296", "GHSA-9wv6-86v2-598j", "0.1.10"),
    ("qs", "6.7.0", "CVE-2022-24999", "GHSA-hrpp-h998-j3pp", "6.7.3"),
    ("send", "0.17.1", "CVE-2024-43799", "GHSA-m6fv-jmcg-4jfg", "0.19.0"),
    ("serve-static", "1.14.1", "CVE-2024-43800", "GHSA-cm22-4g7w-348p", "1.16.0"),
}

# PyPI (pypi/vulns): cryptography 38.0.4 is affected by PYSEC-2026-800 (CVE-2023-0286, the
# OpenSSL X.400 type confusion, fixed 39.0.1) and PYSEC-2023-11 (CVE-2023-23931, fixed 39.0.1);
# pip 23.0.1 by PYSEC-2023-228 (CVE-2023-5752, Mercurial config injection, fixed 23.3). Each
# merges its GHSA alias into one finding named by the CVE.
PYPI_AFFECTED = {("cryptography", "CVE-2023-0286", "PYSEC-2026-800", "39.0.1"),
                 ("cryptography", "CVE-2023-23931", "PYSEC-2023-11", "39.0.1"),
                 ("pip", "CVE-2023-5752", "PYSEC-2023-228", "23.3")}


def need(program):
    path = shutil.which(program)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{program} is not installed")
        pytest.skip(f"{program} is not installed (bazel/setup.sh installs it)")
    return path


def need_path(path: pathlib.Path):
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing (bazel/setup.sh provides it)")
        pytest.skip(f"{path} is missing (bazel/setup.sh provides it)")
    return path


def run(*args, **kwargs):
    return subprocess.run(list(map(str, args)), check=True, capture_output=True, text=True,
                          **kwargs).stdout


def status_stanzas(names):
    """This machine's /var/lib/dpkg/status stanzas of `names`, as dpkg wrote them."""
    stanzas = {}
    for stanza in pathlib.Path("/var/lib/dpkg/status").read_text(encoding="utf-8").split("\n\n"):
        fields = dict(line.split(": ", 1) for line in stanza.splitlines()
                      if ": " in line and not line.startswith(" "))
        if fields.get("Package") in names and fields.get("Status") == "install ok installed":
            stanzas[fields["Package"]] = stanza.strip() + "\n"
    missing = set(names) - set(stanzas)
    if missing:
        pytest.skip(f"not installed here: {sorted(missing)}")
    return stanzas


def source_versions(admindir):
    """{binary: (source, source version)} as dpkg-query reads the layer's status file."""
    out = run("dpkg-query", f"--admindir={admindir}", "-W", "-f",
              "${Package}\t${source:Package}\t${source:Version}\n")
    return {p: (s, v) for p, s, v in (line.split("\t") for line in out.splitlines())}


@pytest.fixture(scope="module")
def image(tmp_path_factory):
    for program in ["umoci", "dpkg-query", "dpkg", "go"]:
        need(program)
    for tool in GO_TOOLS:
        need_path(pathlib.Path(tool))
    need_path(EXPRESS_TREE / "node_modules/express/package.json")
    for info in PYTHON_DIST_INFO + [OWNED_EGG_INFO]:
        need_path(DIST_PACKAGES / info)
    owned_list = need_path(pathlib.Path(f"/var/lib/dpkg/info/{OWNED_DEB}.list"))
    stanzas = status_stanzas(DEBIAN_PACKAGES + [OWNED_DEB])
    tmp = tmp_path_factory.mktemp("image")
    layout, bundle = tmp / "layout", tmp / "bundle"
    run("umoci", "init", "--layout", layout)
    run("umoci", "new", "--image", f"{layout}:t")

    def debian(root):
        (root / "etc").mkdir()
        shutil.copy("/usr/lib/os-release", root / "etc/os-release")
        (root / "var/lib/dpkg").mkdir(parents=True)
        (root / "var/lib/dpkg/status").write_text("\n".join(stanzas.values()), encoding="utf-8")
        (root / "var/lib/dpkg/info").mkdir()
        shutil.copy(owned_list, root / "var/lib/dpkg/info" / owned_list.name)

    def go(root):
        (root / "usr/bin").mkdir(parents=True)
        for tool in GO_TOOLS:
            shutil.copy(tool, root / tool.lstrip("/"))

    def npm(root):
        (root / "app").mkdir()
        shutil.copytree(EXPRESS_TREE / "node_modules", root / "app/node_modules", symlinks=True)

    def python(root):
        target = root / "usr/lib/python3/dist-packages"
        target.mkdir(parents=True)
        for info in PYTHON_DIST_INFO + [OWNED_EGG_INFO]:
            shutil.copytree(DIST_PACKAGES / info, target / info)

    for make in [debian, go, npm, python]:
        shutil.rmtree(bundle, ignore_errors=True)
        run("umoci", "unpack", "--rootless", "--image", f"{layout}:t", bundle)
        make(bundle / "rootfs")
        run("umoci", "repack", "--image", f"{layout}:t", bundle)

    db = tmp / "osv.bulwarkdb"
    sources = [shared_dir() / OSV / p for p in
               ["debian-bookworm-sample", "go/osv", "npm-ghsa-sample", "pypi/vulns/cryptography",
                "pypi/vulns/pip", "pypi/vulns/idna"]]
    run(BULWARK, "db", "build", *sources, "--output", db)
    report = json.loads(run(BULWARK, "vuln", layout, "--db", db, "--format", "json"))
    admindir = tmp / "admindir"
    shutil.copytree(bundle / "rootfs/var/lib/dpkg", admindir)
    return {"layout": layout, "db": db, "report": report, "admindir": admindir,
            "rootfs": bundle / "rootfs"}


def findings(report, package=None):
    return [f for f in report["findings"]
            if package is None or f["properties"]["package"] == package]


def test_debian_by_source_package_fixed_and_open(image):
    sources = source_versions(image["admindir"])
    installed = dict(sources.values())
    if any(installed.get(source) != version for source, version in DEBIAN_VERSIONS.items()):
        pytest.skip(f"this machine's Debian versions differ from the ones read: {sources}")
    found = {(f["properties"]["package"], f["ruleId"]): f for f in findings(image["report"])}
    for package, cve, fixed in DEBIAN_AFFECTED:
        finding = found.get((package, cve))
        assert finding is not None, (package, cve)
        assert finding["properties"]["fixed_version"] == (fixed or "no fix yet")
        assert finding["properties"]["ecosystem"] == "Debian:12"
    for key in DEBIAN_NOT_AFFECTED:
        assert key not in found, key
    assert found[("apt", "CVE-2011-3374")]["severity"] == "SEVERITY_LOW"
    assert found[("perl-base", "CVE-2023-31484")]["properties"]["matched"] == \
        "perl 5.36.0-7+deb12u2"


def test_debian_findings_equal_dpkg_compare_versions(image):
    """Every Debian 12 record of the layer's source packages, decided by dpkg itself."""
    sources = source_versions(image["admindir"])
    expected = set()
    for path in sorted((shared_dir() / OSV / "debian-bookworm-sample").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        for affected in record["affected"]:
            if affected["package"]["ecosystem"] not in ("Debian", "Debian:12"):
                continue
            for binary, (source, version) in sources.items():
                if source != affected["package"]["name"]:
                    continue
                for range_ in affected.get("ranges", []):
                    fixed = [e["fixed"] for e in range_["events"] if "fixed" in e]
                    if not fixed or subprocess.run(
                            ["dpkg", "--compare-versions", version, "lt", fixed[0]]).returncode == 0:
                        expected.add((binary, record["id"]))
    ours = set()
    for f in findings(image["report"]):
        if f["properties"]["package_type"] == "deb":
            records = [e.split(":")[0] for e in f["properties"]["evidence"].split("; ")]
            ours.update((f["properties"]["package"], r) for r in records)
    assert ours == expected


def test_go_standard_library_by_toolchain_version(image):
    for tool in GO_TOOLS:
        assert run("go", "version", tool).split()[1] == "go1.19.8"
    stdlib = [f for f in findings(image["report"], "stdlib")]
    assert stdlib, "the Go binaries' standard library is matched"
    by_record = {}
    for f in stdlib:
        for evidence in f["properties"]["evidence"].split("; "):
            by_record.setdefault(evidence.split(":")[0], []).append(f)
    for record, fixed in GO_AFFECTED.items():
        assert record in by_record, record
        for f in by_record[record]:
            assert fixed in f["properties"]["fixed_version"].split(", ")
            assert f["properties"]["matched"] == "stdlib 1.19.8"
    for record in GO_NOT_AFFECTED:
        assert record not in by_record, record
    # Both executables carry the standard library: the finding is reported once per binary.
    assert len({f["location"]["path"] for f in by_record["GO-2023-1840"]}) == len(GO_TOOLS)


def test_npm_express_tree_against_ghsa(image):
    installed = json.loads(run("npm", "ls", "--all", "--json", cwd=EXPRESS_TREE)) \
        if shutil.which("npm") else None
    found = {(f["properties"]["package"], f["properties"]["installed_version"], f["ruleId"]): f
             for f in findings(image["report"]) if f["properties"]["package_type"] == "npm"}
    for name, version, cve, ghsa, fixed in NPM_AFFECTED:
        finding = found.get((name, version, cve))
        assert finding is not None, (name, version, cve)
        assert finding["properties"]["aliases"] == ghsa
        assert finding["properties"]["fixed_version"] == fixed
        assert finding["properties"]["severity_source"].startswith(ghsa)
    # GHSA-rv95-896h-c2vc: MODERATE, CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N = 6.1.
    redirect = found[("express", "4.17.1", "CVE-2024-29041")]
    assert redirect["severity"] == "SEVERITY_MEDIUM"
    assert redirect["properties"]["cvss_score"] == "6.1"
    assert not [k for k in found if k[0] == "debug"], "debug 2.6.9 is the fix itself"
    assert {(k[0], k[1], k[2]) for k in found} == {(n, v, c) for n, v, c, _, _ in NPM_AFFECTED}
    if installed is not None:
        # The versions matched are the ones npm installed.
        assert installed["dependencies"]["express"]["version"] == "4.17.1"


def test_pypi_dist_info_against_packaging(image):
    packaging_version = pytest.importorskip("packaging.version")
    yaml = pytest.importorskip("yaml")
    found = {(f["properties"]["package"], f["ruleId"]): f for f in findings(image["report"])
             if f["properties"]["package_type"] == "pypi"}
    for package, cve, pysec, fixed in PYPI_AFFECTED:
        finding = found.get((package, cve))
        assert finding is not None, (package, cve)
        assert pysec in finding["properties"]["aliases"].split(", ")
        assert fixed in finding["properties"]["fixed_version"].split(", ")
    # Oracle: every PyPI record of these packages, decided by pypa/packaging.
    expected = set()
    for name, version in [("cryptography", "38.0.4"), ("pip", "23.0.1")]:
        installed = packaging_version.Version(version)
        for path in sorted((shared_dir() / OSV / "pypi/vulns" / name).glob("*.yaml")):
            record = yaml.safe_load(path.read_text(encoding="utf-8"))
            if record.get("withdrawn"):
                continue
            hit = False
            for affected in record.get("affected", []):
                hit |= version in affected.get("versions", [])
                for range_ in affected.get("ranges", []):
                    if range_["type"] != "ECOSYSTEM":
                        continue
                    low = None
                    for event in range_["events"]:
                        if "introduced" in event:
                            low = packaging_version.Version(event["introduced"])
                        elif low is not None and ("fixed" in event or "last_affected" in event):
                            high = packaging_version.Version(event.get("fixed") or
                                                             event["last_affected"])
                            inside = installed < high if "fixed" in event else installed <= high
                            hit |= low <= installed and inside
                            low = None
                    hit |= low is not None and low <= installed
            if hit:
                expected.add((name, record["id"]))
    ours = {(f["properties"]["package"], e.split(":")[0])
            for f in findings(image["report"]) if f["properties"]["package_type"] == "pypi"
            for e in f["properties"]["evidence"].split("; ")}
    assert ours == expected


def dpkg_owner(admindir, path):
    """The package `dpkg-query -S` names for `path` in the image's dpkg database, or None."""
    result = subprocess.run(["dpkg-query", f"--admindir={admindir}", "-S", path],
                            capture_output=True, text=True, check=False)
    return result.stdout.split(":")[0] if result.returncode == 0 else None


def test_dpkg_owned_python_package_is_matched_through_its_deb(image):
    """dpkg-query -S on the image's database: python3-idna owns idna's PKG-INFO, nothing owns the
    cryptography and pip METADATA. The dpkg-owned one is left out of PyPI matching (and counted),
    the others are matched (test_pypi_dist_info_against_packaging); both stay in the SBOM."""
    admindir = image["admindir"]
    assert dpkg_owner(admindir, OWNED_PKG_INFO) == OWNED_DEB
    for info in PYTHON_DIST_INFO:
        assert dpkg_owner(admindir, f"/usr/lib/python3/dist-packages/{info}/METADATA") is None
    report = image["report"]
    pypi = {f["properties"]["package"] for f in findings(report)
            if f["properties"]["package_type"] == "pypi"}
    assert "idna" not in pypi and {"cryptography", "pip"} <= pypi
    assert report["metadata"]["packages_os_owned"] == "1"
    inventory = json.loads(run(BULWARK, "sbom", image["layout"], "--format", "json"))
    assert ("pypi", "idna", "3.3") in {(p["type"], p["name"], p["version"])
                                       for p in inventory["packages"]}


def test_match_os_owned_packages_matches_both(image):
    """With --match-os-owned-packages idna 3.3 is matched as PyPI too (PYSEC-2024-60 fixed 3.7,
    PYSEC-2026-215 fixed 3.15), and nothing else changes."""
    both = json.loads(run(BULWARK, "vuln", image["layout"], "--db", image["db"], "--format",
                          "json", "--match-os-owned-packages"))
    idna = {f["ruleId"]: f for f in findings(both, "idna")}
    assert set(idna) == set(OWNED_PYPI_IF_MATCHED)
    for cve, (pysec, fixed) in OWNED_PYPI_IF_MATCHED.items():
        assert pysec in idna[cve]["properties"]["aliases"].split(", ")
        assert idna[cve]["properties"]["fixed_version"] == fixed
        assert idna[cve]["location"]["path"] == OWNED_PKG_INFO
    assert both["metadata"]["packages_os_owned"] == "0"
    others = [f for f in both["findings"] if f["properties"]["package"] != "idna"]
    assert sorted(f["fingerprint"] for f in others) == \
        sorted(f["fingerprint"] for f in image["report"]["findings"])


def test_vex_suppresses_in_the_image(image, tmp_path):
    """An OpenVEX statement about the whole image (its pkg:oci purl is not known here, so the
    package purl is used) marks express's CVE-2024-43796 not_affected: hidden by default, shown
    with --show-suppressed, and never counted by --fail-on."""
    express = next(f for f in findings(image["report"], "express")
                   if f["ruleId"] == "CVE-2024-43796")
    vex = tmp_path / "image.openvex.json"
    vex.write_text(json.dumps({
        "@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/image",
        "author": "test", "timestamp": "2026-11-01T00:00:00Z", "version": 1,
        "statements": [{"vulnerability": {"name": "CVE-2024-43796"},
                        "products": [{"@id": express["properties"]["purl"]}],
                        "status": "not_affected",
                        "justification": "vulnerable_code_not_in_execute_path"}]}),
        encoding="utf-8")
    args = [BULWARK, "vuln", image["layout"], "--db", image["db"], "--format", "json",
            "--vex", vex]
    hidden = json.loads(run(*args))
    assert len(hidden["findings"]) == len(image["report"]["findings"]) - 1
    assert hidden["metadata"]["suppressed_by_vex"] == "1"
    shown = json.loads(run(*args, "--show-suppressed"))
    marked = [f for f in shown["findings"] if f["properties"].get("suppressed") == "true"]
    assert [(f["ruleId"], f["properties"]["package"]) for f in marked] == \
        [("CVE-2024-43796", "express")]
