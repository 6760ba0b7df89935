"""bulwark.vuln.Database.match on this machine's installed Debian packages (dpkg-query) against
the Debian 12 advisories in ../shared/conformance/osv/debian-bookworm-sample, with the expected
answer computed independently: a record affects an installed package when its source package is
the record's package and either the record has no fix (status open) or `dpkg --compare-versions
INSTALLED lt FIXED` says the installed source version is older than the fix."""

import dataclasses
import json
import pathlib
import shutil
import subprocess

import pytest

import bulwark
from bulwark import sbom, vuln
from bulwark_testing import shared_dir


def _package(name, version, source, source_version, type_="deb"):
    return sbom.Package(type=type_, cataloger="test", name=name, version=version, arch="",
                        purl="", licenses=[], locations=[], layer=0, layer_digest="",
                        removed_layer=None, source_name=source, source_version=source_version,
                        maintainer="", files=[], properties={}, depends_on=[])


def _debian12():
    return sbom.OperatingSystem(id="debian", version_id="12", version_codename="bookworm",
                                name="", pretty_name="", id_like=[], osv_ecosystem="Debian:12",
                                cpe_name="", source_paths=[])


def installed_packages():
    if shutil.which("dpkg-query") is None:
        pytest.skip("dpkg-query is not installed")
    output = subprocess.run(
        ["dpkg-query", "--show",
         "--showformat=${Package}\t${Version}\t${source:Package}\t${source:Version}\n"],
        capture_output=True, text=True, check=True).stdout
    return [_package(*line.split("\t")) for line in output.splitlines() if line]


def test_installed_debian_packages_match_what_dpkg_says():
    sample = pathlib.Path(shared_dir()) / "conformance/osv/debian-bookworm-sample"
    packages = installed_packages()
    expected = set()
    by_source = {}
    for package in packages:
        by_source.setdefault(package.source_name, []).append(package)
    for path in sorted(sample.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        for affected in record["affected"]:
            if affected["package"]["ecosystem"] != "Debian:12":
                continue
            fixed = [e["fixed"] for r in affected.get("ranges", []) for e in r["events"]
                     if "fixed" in e]
            for package in by_source.get(affected["package"]["name"], []):
                vulnerable = not fixed or subprocess.run(
                    ["dpkg", "--compare-versions", package.source_version, "lt", fixed[0]],
                    check=False).returncode == 0
                if vulnerable:
                    expected.add((record["id"], package.name))
    assert expected, "this machine's packages should have open Debian issues (apt, glibc, ...)"

    db = vuln.Database.load(sample)
    result = db.match(packages, _debian12())
    found = {(record_id, f.package_name) for f in result.findings for record_id in f.record_ids}
    assert found == expected
    assert result.packages == len(packages)
    for finding in result.findings:
        assert finding.id.startswith("CVE-"), finding
        assert finding.aliases == ["DEBIAN-" + finding.id]


def test_compiled_database_round_trip_and_errors(tmp_path):
    sample = pathlib.Path(shared_dir()) / "conformance/osv/npm-ghsa-sample"
    db = vuln.Database.build([sample])
    assert len(db) == 23
    assert db.stats()["malformed_records"] == 23  # MANIFEST.json's entries are not OSV records
    compiled = tmp_path / "npm.bulwarkdb"
    db.save(compiled)
    loaded = vuln.Database.load(compiled)
    result = loaded.match([_package("express", "4.17.1", "", "", "npm")])
    assert sorted(f.id for f in result.findings) == ["CVE-2024-29041", "CVE-2024-43796"]
    by_id = {f.id: f for f in result.findings}
    assert by_id["CVE-2024-29041"].fixed_versions == ["4.19.2"]
    assert by_id["CVE-2024-29041"].aliases == ["GHSA-rv95-896h-c2vc"]
    assert by_id["CVE-2024-29041"].severity_label == "MEDIUM"

    other_format = tmp_path / "other.bulwarkdb"
    other_format.write_bytes(b"BULWARKOSV" + bytes(60))
    with pytest.raises(bulwark.Error, match="format version 0"):
        vuln.Database.load(other_format)
    truncated = tmp_path / "truncated.bulwarkdb"
    truncated.write_bytes(compiled.read_bytes()[:200])
    with pytest.raises(bulwark.DataLossError):
        vuln.Database.load(truncated)
    with pytest.raises(bulwark.NotFoundError):
        vuln.Database.load(tmp_path / "missing")


def test_severity_cvss_and_vex(tmp_path):
    """GHSA-3h5v-q93c-6h6q (ws 7.0.0 <= v < 7.5.10): database_specific.severity HIGH, vector
    CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H = 7.5. An OpenVEX statement written here marks
    GHSA-6fc8-4gx4-v693 (ws < 7.4.6, CVE-2021-32640) not_affected in pkg:npm/ws@7.4.0."""
    npm = pathlib.Path(shared_dir()) / "conformance/osv/npm-ghsa-sample"
    db = vuln.Database.load(npm)
    ws = dataclasses.replace(_package("ws", "7.4.0", "", "", type_="npm"), purl="pkg:npm/ws@7.4.0")
    plain = db.match([ws])
    assert plain.suppressed == 0 and all(f.vex is None for f in plain.findings)
    found = {f.id: f for f in plain.findings}
    assert found["CVE-2024-37890"].severity == "HIGH"
    assert found["CVE-2024-37890"].severity_source == \
        "GHSA-3h5v-q93c-6h6q: database_specific.severity"
    assert found["CVE-2024-37890"].cvss_score == 7.5
    assert found["CVE-2024-37890"].cvss_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"

    document = tmp_path / "ws.openvex.json"
    document.write_text(json.dumps({
        "@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/ws",
        "author": "test", "timestamp": "2026-11-01T00:00:00Z", "version": 1,
        "statements": [{"vulnerability": {"name": "GHSA-6fc8-4gx4-v693"},
                        "products": [{"@id": "pkg:npm/ws@7.4.0"}], "status": "not_affected",
                        "justification": "vulnerable_code_not_present"}]}), encoding="utf-8")
    result = db.match([ws], vex=[document])
    assert result.suppressed == 1
    marked = {f.id: f for f in result.findings}["CVE-2021-32640"]
    assert marked.vex.status == "not_affected" and marked.vex.suppressed
    assert marked.vex.justification == "vulnerable_code_not_present"
    assert [f.id for f in result.without_suppressed().findings] == ["CVE-2024-37890"]
    with pytest.raises(bulwark.InvalidArgumentError):
        bad = tmp_path / "bad.json"
        bad.write_text("{}", encoding="utf-8")
        db.match([ws], vex=[bad])


def test_os_owned_language_packages(tmp_path):
    """The sample image (examples/data) installs Debian's python3-requests with dpkg, whose file
    list names requests-2.28.1.egg-info/PKG-INFO: PyPI requests 2.28.1 is matched through
    Debian's records of the source package requests only (examples/data/advisories/README.md),
    unless match_os_owned_packages=True adds the GHSA records for PyPI requests."""
    from bulwark_testing import runfile
    image = tmp_path / "sample-image"
    shutil.copytree(runfile("examples/data/sample-image"), image, symlinks=False)
    db = vuln.Database.load(runfile("examples/data/advisories"))
    catalog = bulwark.image.sbom(image, include_files=True)
    result = db.match(catalog)
    cves = ["CVE-2023-32681", "CVE-2024-35195", "CVE-2024-47081"]
    assert sorted(f.id for f in result.findings) == cves
    assert {(f.package_type, f.package_name, f.matched_name) for f in result.findings} == {
        ("deb", "python3-requests", "requests")}
    assert [(o.package_type, o.package_name, o.package_version, o.owner_type, o.owner_name)
            for o in result.os_owned] == [
        ("pypi", "requests", "2.28.1", "deb", "python3-requests")]
    assert result.os_owned[0].path == \
        "/usr/lib/python3/dist-packages/requests-2.28.1.egg-info/PKG-INFO"
    # The SBOM keeps both packages; only matching leaves the PyPI one out.
    assert ("pypi", "requests") in {(p.type, p.name) for p in catalog.packages}

    both = db.match(catalog, match_os_owned_packages=True)
    assert both.os_owned == []
    pypi = {f.id: f for f in both.findings if f.package_type == "pypi"}
    assert sorted(pypi) == cves
    assert pypi["CVE-2023-32681"].fixed_versions == ["2.31.0"]
    # Without installed-file lists ownership is unknown: both are matched.
    assert len(db.match(bulwark.image.sbom(image)).findings) == 6
