"""`bulwark db build` and `bulwark vuln`: compile the real npm GHSA advisories of
../shared/conformance/osv, then match an SBOM listing express 4.17.1 against them (affected by
GHSA-rv95-896h-c2vc, fixed 4.19.2, and GHSA-qw6h-vgh9-j6wx, fixed 4.20.0, both MODERATE), with
the output formats, --fail-on and the input errors."""

import json
import pathlib
import subprocess

from bulwark_testing import runfile, shared_dir

BULWARK = str(runfile("examples/cli/bulwark"))


def run(*args):
    return subprocess.run([BULWARK, *args], capture_output=True, text=True, check=False)


def compiled(tmp_path):
    out = tmp_path / "npm.bulwarkdb"
    result = run("db", "build", str(pathlib.Path(shared_dir()) / "conformance/osv/npm-ghsa-sample"),
                 "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert "23 records" in result.stdout
    assert "MANIFEST.json" in result.stderr  # not an OSV record: reported, not silently dropped
    return out


def sbom_file(tmp_path, packages):
    path = tmp_path / "sbom.json"
    path.write_text(json.dumps({"image": "app", "packages": packages}), encoding="utf-8")
    return path


def test_findings_of_an_sbom(tmp_path):
    db = compiled(tmp_path)
    sbom = sbom_file(tmp_path, [{"type": "npm", "name": "express", "version": "4.17.1"},
                                {"type": "npm", "name": "express", "version": "4.20.0"}])
    result = run("vuln", str(sbom), "--db", str(db), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    found = {(f["ruleId"], f["properties"]["installed_version"], f["properties"]["fixed_version"],
              f["properties"]["aliases"], f["severity"]) for f in report["findings"]}
    assert found == {
        ("CVE-2024-29041", "4.17.1", "4.19.2", "GHSA-rv95-896h-c2vc", "SEVERITY_MEDIUM"),
        ("CVE-2024-43796", "4.17.1", "4.20.0", "GHSA-qw6h-vgh9-j6wx", "SEVERITY_MEDIUM"),
    }
    assert run("vuln", str(sbom), "--db", str(db), "--fail-on", "medium").returncode == 1
    assert run("vuln", str(sbom), "--db", str(db), "--fail-on", "high").returncode == 0
    sarif = json.loads(run("vuln", str(sbom), "--db", str(db), "--format", "sarif").stdout)
    assert len(sarif["runs"][0]["results"]) == 2
    cyclonedx = run("vuln", str(sbom), "--db", str(db), "--format", "cyclonedx", "--fail-on",
                    "medium")
    assert cyclonedx.returncode == 1, cyclonedx.stderr
    bom = json.loads(cyclonedx.stdout)
    assert bom["bomFormat"] == "CycloneDX"
    refs = {c["bom-ref"] for c in bom["components"]}
    vulns = {v["id"]: v for v in bom["vulnerabilities"]}
    assert set(vulns) == {"CVE-2024-29041", "CVE-2024-43796"}
    assert vulns["CVE-2024-29041"]["references"] == [{"id": "GHSA-rv95-896h-c2vc"}]
    assert vulns["CVE-2024-29041"]["ratings"][0]["severity"] == "medium"
    assert all(a["ref"] in refs for v in bom["vulnerabilities"] for a in v["affects"])


OPENVEX = {"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/app",
           "author": "app team", "timestamp": "2026-11-01T00:00:00Z", "version": 1}


def vex_files(tmp_path):
    """An OpenVEX document: express 4.17.1 is not affected by CVE-2024-43796; a CycloneDX VEX BOM:
    GHSA-rv95-896h-c2vc (CVE-2024-29041) in express is in triage."""
    openvex = tmp_path / "app.openvex.json"
    openvex.write_text(json.dumps({**OPENVEX, "statements": [{
        "vulnerability": {"name": "CVE-2024-43796"},
        "products": [{"@id": "pkg:npm/express@4.17.1"}],
        "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}]}),
        encoding="utf-8")
    cyclonedx = tmp_path / "app.cdx.json"
    cyclonedx.write_text(json.dumps({
        "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
        "components": [{"bom-ref": "express", "type": "library", "name": "express",
                        "version": "4.17.1", "purl": "pkg:npm/express@4.17.1"}],
        "vulnerabilities": [{"id": "GHSA-rv95-896h-c2vc", "analysis": {"state": "in_triage"},
                             "affects": [{"ref": "express"}]}]}), encoding="utf-8")
    return openvex, cyclonedx


def test_severity_cvss_and_vex(tmp_path):
    db = compiled(tmp_path)
    sbom = sbom_file(tmp_path, [{"type": "npm", "name": "express", "version": "4.17.1",
                                 "purl": "pkg:npm/express@4.17.1"}])
    openvex, cyclonedx = vex_files(tmp_path)
    vex = ["--vex", str(openvex), "--vex", str(cyclonedx)]
    result = run("vuln", str(sbom), "--db", str(db), "--format", "json", *vex)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["metadata"]["suppressed_by_vex"] == "1"
    [shown] = report["findings"]
    # GHSA-rv95-896h-c2vc: MODERATE, CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N = 6.1.
    assert shown["ruleId"] == "CVE-2024-29041"
    assert shown["properties"]["cvss_score"] == "6.1"
    assert shown["properties"]["cvss_vector"] == "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"
    assert shown["properties"]["severity_source"] == \
        "GHSA-rv95-896h-c2vc: database_specific.severity"
    assert shown["properties"]["vex_status"] == "under_investigation"
    assert shown["properties"]["suppressed"] == "false"

    everything = json.loads(run("vuln", str(sbom), "--db", str(db), "--format", "json",
                                "--show-suppressed", *vex).stdout)
    hidden = {f["ruleId"]: f["properties"] for f in everything["findings"]}["CVE-2024-43796"]
    assert hidden["suppressed"] == "true"
    assert hidden["vex_status"] == "not_affected"
    assert hidden["vex_justification"] == "vulnerable_code_not_in_execute_path"
    assert "app.openvex.json" in hidden["vex_reason"]

    # Only the in-triage MEDIUM finding counts for --fail-on; with both suppressed nothing does,
    # also when they are shown.
    assert run("vuln", str(sbom), "--db", str(db), "--fail-on", "medium", *vex).returncode == 1
    fixed = tmp_path / "fixed.openvex.json"
    fixed.write_text(json.dumps({**OPENVEX, "statements": [{
        "vulnerability": {"name": "CVE-2024-29041"},
        "products": [{"@id": "pkg:npm/express"}], "status": "fixed"}]}), encoding="utf-8")
    both = [*vex, "--vex", str(fixed)]
    assert run("vuln", str(sbom), "--db", str(db), "--fail-on", "low", *both).returncode == 0
    shown_all = run("vuln", str(sbom), "--db", str(db), "--fail-on", "low", "--show-suppressed",
                    "--format", "sarif", *both)
    assert shown_all.returncode == 0, shown_all.stderr
    assert len(json.loads(shown_all.stdout)["runs"][0]["results"]) == 2

    bom = json.loads(run("vuln", str(sbom), "--db", str(db), "--format", "cyclonedx",
                         "--show-suppressed", *vex).stdout)
    vulns = {v["id"]: v for v in bom["vulnerabilities"]}
    assert vulns["CVE-2024-43796"]["analysis"]["state"] == "not_affected"
    assert vulns["CVE-2024-43796"]["analysis"]["justification"] == "code_not_reachable"
    assert vulns["CVE-2024-29041"]["analysis"]["state"] == "in_triage"
    assert vulns["CVE-2024-29041"]["ratings"][0] == {
        "score": 6.1, "severity": "medium", "method": "CVSSv31",
        "vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"}

    bad = tmp_path / "bad.vex.json"
    bad.write_text('{"@context": "https://openvex.dev/ns/v0.2.0"}', encoding="utf-8")
    result = run("vuln", str(sbom), "--db", str(db), "--vex", str(bad))
    assert result.returncode == 2 and "bad.vex.json" in result.stderr


def test_sources_work_as_the_database_too(tmp_path):
    sbom = sbom_file(tmp_path, [{"type": "npm", "name": "qs", "version": "6.5.2"}])
    npm = str(pathlib.Path(shared_dir()) / "conformance/osv/npm-ghsa-sample")
    result = run("vuln", str(sbom), "--db", npm, "--format", "json")
    assert result.returncode == 0, result.stderr
    # GHSA-hrpp-h998-j3pp: qs 6.5.0 <= v < 6.5.3.
    assert [f["ruleId"] for f in json.loads(result.stdout)["findings"]] == ["CVE-2022-24999"]


def test_input_errors_exit_2(tmp_path):
    db = compiled(tmp_path)
    assert run("db", "build", str(tmp_path / "missing"), "--output", str(tmp_path / "x")).returncode == 2
    assert run("db", "build", str(tmp_path)).returncode == 2  # no --output
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    result = run("vuln", str(bad), "--db", str(db))
    assert result.returncode == 2 and "bad.json" in result.stderr
    corrupt = tmp_path / "corrupt.bulwarkdb"
    corrupt.write_bytes(db.read_bytes()[:100])
    result = run("vuln", str(sbom_file(tmp_path, [])), "--db", str(corrupt))
    assert result.returncode == 2 and "corrupt.bulwarkdb" in result.stderr
