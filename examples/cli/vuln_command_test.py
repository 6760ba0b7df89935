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
