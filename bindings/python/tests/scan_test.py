"""bulwark.scan() on the bundled sample image: the same findings as `bulwark scan`, masked
secrets, the output formats, options and errors, and the GIL released during the scan."""

import json
import pathlib
import shutil
import tempfile
import threading

import pytest

import bulwark
from bulwark_testing import runfile

# A real copy: blobs reached through runfiles symlinks are refused by Image::Open.
IMAGE = pathlib.Path(tempfile.mkdtemp()) / "sample-image"
shutil.copytree(runfile("examples/data/sample-image"), IMAGE, symlinks=False)


def test_findings():
    report = bulwark.scan(str(IMAGE))
    rules = {f["ruleId"] for f in report.findings}
    assert {"aws-access-key-id", "openssh-private-key", "BWK-DF-004", "BWK-FILE-001"} <= rules
    key = next(f for f in report.findings if f["ruleId"] == "openssh-private-key")
    assert key["properties"]["deleted"] == "true"
    assert report.target == str(IMAGE)
    assert report.metadata["image.layers"] == "4"
    assert json.loads(report.to_json())["findings"] == report.findings
    assert json.loads(report.to_sarif())["version"] == "2.1.0"
    assert "openssh-private-key" in report.to_table()
    assert report.has_finding_at_or_above("critical")
    # Masked everywhere.
    for text in (report.to_json(), report.to_sarif(), report.to_table()):
        assert "QX7ZB4NDR2WLKP3M" not in text


def test_options(tmp_path):
    report = bulwark.scan(str(IMAGE), scanners=["file"], severity="medium")
    assert report.findings
    assert {f["category"] for f in report.findings} == {"file"}
    assert not report.has_finding_at_or_above("critical")
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rules]]\nid = "pong"\nregex = "pong v2"\n[[rules]]\nid = "bad"\nregex = "(?=x)"\n')
    custom = bulwark.scan(str(IMAGE), scanners=["secret"], secret_rules=str(rules))
    assert [f["ruleId"] for f in custom.findings] == ["pong"]
    assert len(custom.warnings) == 1 and "rule bad" in custom.warnings[0]


def test_errors(tmp_path):
    with pytest.raises(bulwark.NotFoundError):
        bulwark.scan(str(tmp_path / "missing"))
    with pytest.raises(bulwark.InvalidArgumentError, match="unknown scanner"):
        bulwark.scan(str(IMAGE), scanners=["nope"])
    with pytest.raises(ValueError):
        bulwark.scan(str(IMAGE), severity="loud")


def test_threads():
    results = []
    threads = [threading.Thread(target=lambda: results.append(len(bulwark.scan(str(IMAGE)).findings)))
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 1 and results[0] > 0


def test_malware_ignore_file_and_cyclonedx(tmp_path):
    rules = tmp_path / "acme.yar"
    rules.write_text('rule acme { meta: id = "ACME-1" strings: $a = "echo pong v2" '
                     'condition: $a }\n')
    report = bulwark.scan(str(IMAGE), scanners=["malware"], malware_rules=[str(rules)],
                          builtin_malware=False)
    assert [(f["ruleId"], f["location"]["path"]) for f in report.findings] == [
        ("ACME-1", "/usr/bin/pinger")]
    with pytest.raises(bulwark.InvalidArgumentError, match="acme.yar"):
        rules.write_text("rule broken {")
        bulwark.scan(str(IMAGE), malware_rules=[str(rules)])
    ignore = tmp_path / ".trivyignore"
    ignore.write_text("openssh-private-key\n")
    full = bulwark.scan(str(IMAGE), ignore_file=str(ignore))
    assert "openssh-private-key" not in {f["ruleId"] for f in full.findings}
    assert full.metadata["ignore.suppressed"] == "1"
    bom = json.loads(full.to_cyclonedx("1.5"))
    assert bom["specVersion"] == "1.5" and bom["vulnerabilities"] == []
    with pytest.raises(bulwark.Error, match="sbom"):
        bulwark.scan(str(IMAGE), scanners=["secret"]).to_cyclonedx()


def test_vulnerability_database():
    """examples/data/advisories/README.md: the requests egg-info is dpkg-owned (python3-requests
    lists it), so it is matched through Debian's records of the source package requests only
    (three CVEs open in bookworm); match_os_owned_packages=True adds the PyPI GHSA records."""
    advisories = runfile("examples/data/advisories")
    report = bulwark.scan(IMAGE, db=advisories, scanners=["vuln"])
    cves = {"CVE-2023-32681", "CVE-2024-35195", "CVE-2024-47081"}
    assert {f["ruleId"] for f in report.findings} == cves
    assert all(f["properties"]["package"] == "python3-requests" and
               f["properties"]["fixed_version"] == "no fix yet" for f in report.findings)
    assert report.metadata["vuln.packages_os_owned"] == "1"
    assert report.metadata["scan.scanners"] == "sbom,vuln"
    bom = json.loads(report.to_cyclonedx())
    assert len(bom["vulnerabilities"]) == 3
    both = bulwark.scan(IMAGE, db=advisories, scanners=["vuln"], match_os_owned_packages=True)
    pypi = [f for f in both.findings if f["properties"]["package_type"] == "pypi"]
    assert {f["ruleId"] for f in pypi} == cves
    assert all(f["properties"]["purl"] == "pkg:pypi/requests@2.28.1" for f in pypi)
    assert len(both.findings) == 6
    assert "vuln.skipped" in bulwark.scan(IMAGE).metadata  # no database: matching skipped
    with pytest.raises(bulwark.InvalidArgumentError):
        bulwark.scan(str(IMAGE), scanners=["vuln"])
    with pytest.raises(bulwark.NotFoundError):
        bulwark.scan(str(IMAGE), db=str(IMAGE / "missing-db"))
