"""`bulwark scan` on the bundled sample image (examples/data/sample-image, built by
build_sample_image.sh): the findings it plants, JSON that reads back as a bulwark.core.v1.Report,
SARIF valid against the OASIS SARIF 2.1.0 schema, no secret in clear in any format, --fail-on,
--severity, --scanners, --secret-rules (a gitleaks-format file), --output, vulnerabilities with
--db (the bundled advisories). //examples/data:sample_image_test checks that the checked-in image
is what build_sample_image.sh builds."""

import json
import os
import pathlib
import re
import shutil
import subprocess
import tempfile

import pytest

from bulwark_testing import runfile
from examples.cli.sarif_schema import sarif_schema_errors

BULWARK = str(runfile("examples/cli/bulwark"))
CHECKED_IN_IMAGE = runfile("examples/data/sample-image")
# Runfiles are symlinks out of the layout, which Image::Open refuses for blobs (they could lead
# anywhere); scan a real copy, as a user's checkout is.
IMAGE = pathlib.Path(tempfile.mkdtemp()) / "sample-image"
shutil.copytree(CHECKED_IN_IMAGE, IMAGE, symlinks=False)
BUILDER = runfile("examples/data/build_sample_image.sh")
ADVISORIES = str(runfile("examples/data/advisories"))


def planted(name):
    """The fake secret the build script assigns to `name` (split with "" so that the script
    itself does not look like it holds one)."""
    value = re.search(rf"^{name}='?([^'\n]*)", BUILDER.read_text(), re.MULTILINE).group(1)
    return value.split(" #")[0].replace('""', "")


SECRETS = [planted(name) for name in ("AWS_KEY_ID", "AWS_SECRET", "GITHUB_TOKEN", "DB_PASSWORD",
                                      "DOCKER_AUTH", "SSH_KEY_BODY")]


def bulwark(*args):
    return subprocess.run([BULWARK, *args], capture_output=True, check=False)


@pytest.fixture(scope="module")
def report():
    result = bulwark("scan", str(IMAGE), "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def by_rule(report):
    found = {}
    for finding in report["findings"]:
        found.setdefault(finding["ruleId"], []).append(finding)
    return found


def test_finds_what_the_sample_plants(report):
    found = by_rule(report)
    expected = {"aws-access-key-id", "aws-secret-access-key", "openssh-private-key",
                "docker-config-auth", "github-token", "generic-password", "url-credentials",
                "BWK-DF-001", "BWK-DF-003", "BWK-DF-004", "BWK-DF-005", "BWK-DF-006",
                "BWK-DF-009", "BWK-DF-010", "BWK-DF-011", "BWK-DF-012", "BWK-DF-013",
                "BWK-DF-014", "BWK-FILE-001", "BWK-FILE-002", "BWK-FILE-003", "BWK-FILE-004",
                "BWK-FILE-006"}
    assert set(found) == expected
    key = found["openssh-private-key"][0]
    assert key["location"]["path"] == "/app/deploy_key"
    assert key["properties"]["deleted"] == "true"
    assert key["properties"]["hidden_by"] == "whiteout"
    assert key["properties"]["layer"] == "1" and key["properties"]["hidden_by_layer"] == "3"
    assert key["severity"] == "SEVERITY_CRITICAL"
    aws = found["aws-access-key-id"][0]
    assert aws["location"]["path"] == "/app/config.env" and aws["location"]["startLine"] == 1
    assert aws["properties"]["deleted"] == "false"
    assert aws["properties"]["match"] == planted("AWS_KEY_ID")[:4] + "*" * 16
    assert aws["location"]["layerDigest"] == report_layer_digest(1)
    setuid = found["BWK-FILE-001"][0]
    assert setuid["location"]["path"] == "/usr/bin/pinger"
    assert setuid["properties"]["owner"] == "0:0" and setuid["properties"]["mode"] == "4755"
    assert setuid["properties"]["layer"] == "2"
    assert report["metadata"]["image.layers"] == "4"
    assert all(f["fingerprint"] and f["target"] == str(IMAGE) for f in report["findings"])


def report_layer_digest(index):
    index_json = json.loads((IMAGE / "index.json").read_text())
    manifest_digest = index_json["manifests"][0]["digest"].split(":")[1]
    manifest = json.loads((IMAGE / "blobs/sha256" / manifest_digest).read_text())
    return manifest["layers"][index]["digest"]


@pytest.mark.parametrize("form", ["table", "json", "sarif"])
def test_no_secret_in_clear(form):
    result = bulwark("scan", str(IMAGE), "--format", form)
    assert result.returncode == 0, result.stderr
    for secret in SECRETS:
        assert secret.encode() not in result.stdout, secret


def test_sarif_is_schema_valid():
    result = bulwark("scan", str(IMAGE), "--format", "sarif")
    assert result.returncode == 0, result.stderr
    sarif = json.loads(result.stdout)
    assert sarif_schema_errors(sarif) == []
    rules = {rule["id"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert {"BWK-DF-004", "openssh-private-key", "BWK-FILE-001"} <= rules


def test_table_summary():
    result = bulwark("scan", str(IMAGE))
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode()
    assert "openssh-private-key" in text and "BWK-DF-004" in text
    assert "Total: " in text
    # First a summary by category and severity, then the details.
    assert text.startswith("Summary\nCATEGORY")
    summary = text.split("\n\n")[0].splitlines()
    assert summary[1].split() == ["CATEGORY", "CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN",
                                  "TOTAL"]
    secret_row = next(line.split() for line in summary if line.startswith("secret "))
    assert secret_row[1] == "2"  # the AWS secret key and the deleted OpenSSH key


def test_fail_on_and_severity(report):
    assert bulwark("scan", str(IMAGE), "--fail-on", "critical").returncode == 1
    assert bulwark("scan", str(IMAGE), "--fail-on", "critical", "--scanners", "file").returncode == 0
    high = json.loads(bulwark("scan", str(IMAGE), "--format", "json", "--severity", "high").stdout)
    assert high["findings"]
    assert {f["severity"] for f in high["findings"]} <= {"SEVERITY_HIGH", "SEVERITY_CRITICAL"}
    expected = [f for f in report["findings"]
                if f["severity"] in ("SEVERITY_HIGH", "SEVERITY_CRITICAL")]
    assert len(high["findings"]) == len(expected)


def test_scanners_select():
    result = bulwark("scan", str(IMAGE), "--format", "json", "--scanners", "misconfig")
    found = json.loads(result.stdout)
    assert {f["category"] for f in found["findings"]} == {"misconfiguration"}
    assert found["metadata"]["scan.scanners"] == "misconfig"
    bad = bulwark("scan", str(IMAGE), "--scanners", "secret,nope")
    assert bad.returncode == 2
    assert b'unknown scanner "nope"' in bad.stderr and b"secret, misconfig, file" in bad.stderr


def test_gitleaks_rule_file(tmp_path):
    rules = tmp_path / "gitleaks.toml"
    rules.write_text("""
title = "custom"
[[rules]]
id = "pinger-script"
description = "The pinger script"
regex = '''echo (pong v2)'''
secretGroup = 1
keywords = ["pong"]
path = '''^usr/bin/'''
[[rules]]
id = "go-only"
regex = '''a(?=b)'''
""")
    result = bulwark("scan", str(IMAGE), "--format", "json", "--scanners", "secret",
                     "--secret-rules", str(rules))
    assert result.returncode == 0, result.stderr
    assert b"rule go-only: regex" in result.stderr  # Left out, with RE2's reason.
    found = json.loads(result.stdout)["findings"]
    assert [(f["ruleId"], f["location"]["path"], f["properties"]["layer"]) for f in found] == [
        ("pinger-script", "/usr/bin/pinger", "2")]
    missing = bulwark("scan", str(IMAGE), "--secret-rules", str(tmp_path / "none.toml"))
    assert missing.returncode == 2


def test_output_file(tmp_path):
    out = tmp_path / "report.sarif"
    result = bulwark("scan", str(IMAGE), "--format", "sarif", "--output", str(out),
                     "--fail-on", "high")
    assert result.returncode == 1
    assert result.stdout == b""
    assert json.loads(out.read_text())["version"] == "2.1.0"


def test_bad_image(tmp_path):
    result = bulwark("scan", str(tmp_path / "missing"))
    assert result.returncode == 2
    assert b"missing" in result.stderr


def test_dockerfile(tmp_path):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM node\nRUN curl -fsSL https://x.example/i.sh | sh\nUSER app\n")
    result = bulwark("scan", str(IMAGE), "--format", "json", "--scanners", "misconfig",
                     "--dockerfile", str(dockerfile))
    assert result.returncode == 0, result.stderr
    found = {(f["ruleId"], f["location"]["path"]) for f in json.loads(result.stdout)["findings"]}
    assert {("BWK-DF-002", f"{dockerfile}:1"), ("BWK-DF-004", f"{dockerfile}:2"),
            ("BWK-DF-004", "config.history[3]")} <= found
    dockerfile.write_text("RUN ls\n")
    bad = bulwark("scan", str(IMAGE), "--dockerfile", str(dockerfile))
    assert bad.returncode == 2 and b":1: RUN before the first FROM" in bad.stderr


def _schema_errors(document, schema_name):
    """Violations of the official CycloneDX schema (../shared/conformance/schemas)."""
    import jsonschema  # Debian python3-jsonschema 4.10: references through a RefResolver store.
    from jsonschema import _validators
    from bulwark_testing import shared_dir

    # jsonschema 4.10 words an additionalItems error by sorting the extra items, which fails on
    # objects, even inside a oneOf branch it then discards (licenses: [license, license, ...]);
    # word it without sorting (4.18+ do).
    _validators.extras_msg = lambda extras: (", ".join(repr(e) for e in extras),
                                             "was" if len(extras) == 1 else "were")

    def load(name):
        return json.loads((shared_dir() / "conformance/schemas" / name).read_text())

    schema = load(schema_name)
    store = {s["$id"]: s for s in (load("spdx.schema.json"), load("jsf-0.82.schema.json"))}
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema, resolver=jsonschema.RefResolver.from_schema(schema, store=store))
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


@pytest.mark.parametrize("fmt,schema,version", [("cyclonedx", "bom-1.6.schema.json", "1.6"),
                                                ("cyclonedx-1.5", "bom-1.5.schema.json", "1.5")])
def test_cyclonedx_is_schema_valid(fmt, schema, version):
    result = bulwark("scan", str(IMAGE), "--format", fmt, "--fail-on", "critical")
    assert result.returncode == 1, result.stderr  # --fail-on still applies
    bom = json.loads(result.stdout)
    assert bom["specVersion"] == version
    assert _schema_errors(bom, schema) == []
    assert bom["vulnerabilities"] == []  # no --db: no vulnerability matching
    no_sbom = bulwark("scan", str(IMAGE), "--format", "cyclonedx", "--scanners", "secret")
    assert no_sbom.returncode == 2 and b'"sbom" scanner' in no_sbom.stderr


def test_ignore_file_text_and_yaml(tmp_path, report):
    ids = {f["ruleId"] for f in report["findings"]}
    assert {"openssh-private-key", "BWK-DF-004", "github-token"} <= ids
    text = tmp_path / ".trivyignore"
    text.write_text("# accepted\nopenssh-private-key\nBWK-DF-004 exp:2000-01-01\n")
    found = json.loads(bulwark("scan", str(IMAGE), "--format", "json", "--ignore-file",
                               str(text)).stdout)
    left = {f["ruleId"] for f in found["findings"]}
    assert "openssh-private-key" not in left and "BWK-DF-004" in left  # the second expired
    assert found["metadata"]["ignore.suppressed"] == "1"
    assert "BWK-DF-004 expired on 2000-01-01" in found["metadata"]["ignore.expired"]
    yaml_file = tmp_path / "ignore.yaml"
    yaml_file.write_text("secrets:\n  - id: github-token\n    paths: ['config.Env*']\n"
                         "    statement: test token\n")
    found = json.loads(bulwark("scan", str(IMAGE), "--format", "json", "--ignore-file",
                               str(yaml_file)).stdout)
    assert "github-token" not in {f["ruleId"] for f in found["findings"]}
    bad = tmp_path / "bad.yaml"
    bad.write_text("secrets:\n  - paths: [x]\n")
    result = bulwark("scan", str(IMAGE), "--ignore-file", str(bad))
    assert result.returncode == 2 and b"bad.yaml:2:" in result.stderr


def test_malware_rules_and_hash_lists(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "acme.yar").write_text(
        'rule acme_aws_env { meta: id = "ACME-1" severity = "low" '
        'strings: $a = "AWS_ACCESS_KEY_ID" condition: $a and filename == "config.env" }\n')
    hashes = tmp_path / "bad.sha256"
    # The first /usr/bin/pinger of the sample (layer 0; a later layer overwrites it), listed the
    # way sha256sum prints it.
    first_pinger = b"#!/bin/sh\necho pong\n"
    listed = subprocess.run(["sha256sum"], input=first_pinger, capture_output=True,
                            check=True).stdout.decode().replace("  -", "  pinger-v1")
    hashes.write_text("# known bad\n" + listed)
    result = bulwark("scan", str(IMAGE), "--format", "json", "--scanners", "malware",
                     "--malware-rules", str(rules), "--malware-hashes", str(hashes),
                     "--no-builtin-malware")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    keys = {(f["ruleId"], f["location"]["path"]) for f in found["findings"]}
    assert ("ACME-1", "/app/config.env") in keys
    assert ("BWK-MAL-HASH", "/usr/bin/pinger") in keys
    pinger = next(f for f in found["findings"] if f["ruleId"] == "BWK-MAL-HASH")
    assert pinger["properties"]["deleted"] == "true"
    assert pinger["properties"]["hidden_by"] == "overwrite"
    assert pinger["properties"]["layer"] == "0"
    assert "pinger-v1" in pinger["title"]
    assert found["metadata"]["malware.yara_rules"] == "1"
    broken = rules / "broken.yar"
    broken.write_text("rule x {\n condition: nope\n}\n")
    result = bulwark("scan", str(IMAGE), "--malware-rules", str(rules))
    assert result.returncode == 2 and b"broken.yar:2:" in result.stderr
    assert bulwark("scan", str(IMAGE), "--archive-depth", "99").returncode == 2


REQUESTS_EGG_INFO = "/usr/lib/python3/dist-packages/requests-2.28.1.egg-info/PKG-INFO"
REQUESTS_CVES = {"CVE-2023-32681", "CVE-2024-35195", "CVE-2024-47081"}


def vulnerabilities(*flags):
    result = bulwark("scan", str(IMAGE), "--format", "json", "--db", ADVISORIES, *flags)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    return found, [f for f in found["findings"] if f["category"] == "vulnerability"]


def test_vulnerabilities_with_db():
    """python3-requests 2.28.1+dfsg-1 (Debian 12, layer 2) against the bundled advisories
    (examples/data/advisories/README.md). dpkg lists the requests egg-info in
    python3-requests's files, so the PyPI package requests 2.28.1 is matched through Debian's
    records of the source package requests only: the three CVEs are open in bookworm (no fix
    yet), while the GHSA records of PyPI requests (fixed 2.31.0 / 2.32.0 / 2.32.4) do not apply
    to Debian's build."""
    found, vulns = vulnerabilities()
    by_id = {f["ruleId"]: f for f in vulns}
    assert len(vulns) == 3 and set(by_id) == REQUESTS_CVES
    proxy = by_id["CVE-2023-32681"]
    # CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N = 6.1.
    assert proxy["severity"] == "SEVERITY_MEDIUM"
    assert proxy["properties"]["cvss_score"] == "6.1"
    assert proxy["properties"]["package"] == "python3-requests"
    assert proxy["properties"]["package_type"] == "deb"
    assert proxy["properties"]["installed_version"] == "2.28.1+dfsg-1"
    assert proxy["properties"]["ecosystem"] == "Debian:12"
    assert proxy["properties"]["matched"] == "requests 2.28.1+dfsg-1"  # The source package.
    assert proxy["properties"]["fixed_version"] == "no fix yet"
    assert proxy["properties"]["aliases"] == "DEBIAN-CVE-2023-32681"
    assert proxy["properties"]["purl"].startswith("pkg:deb/debian/python3-requests@")
    assert proxy["location"]["path"] == "/var/lib/dpkg/status"
    assert proxy["location"]["layerDigest"] == report_layer_digest(2)
    assert found["metadata"]["vuln.database_records"] == "6"
    assert found["metadata"]["vuln.packages_os_owned"] == "1"
    assert found["metadata"]["scan.scanners"].startswith("sbom,vuln,")
    # The SBOM still lists both: it is an inventory; only matching changed.
    assert {"pkg:pypi/requests@2.28.1"} <= {
        c.get("purl") for c in json.loads(bulwark(
            "scan", str(IMAGE), "--format", "cyclonedx", "--scanners", "sbom").stdout)["components"]}
    # The other analyzers still ran in the same scan.
    assert {"secret", "misconfiguration", "file"} <= {f["category"] for f in found["findings"]}

    table = bulwark("scan", str(IMAGE), "--db", ADVISORIES).stdout.decode()
    vuln_row = next(line.split() for line in table.split("\n\n")[0].splitlines()
                    if line.startswith("vulnerability "))
    assert vuln_row[3] == "3"  # MEDIUM column
    assert "CVE-2023-32681" in table


def test_vulnerabilities_of_os_owned_packages_on_request():
    """--match-os-owned-packages: the egg-info is matched as PyPI requests 2.28.1 as well, inside
    all three GHSA ranges (2.3.0 <= v < 2.31.0, < 2.32.0, < 2.32.4), one finding per advisory
    named by its CVE alias, next to the three Debian findings."""
    found, vulns = vulnerabilities("--match-os-owned-packages")
    assert len(vulns) == 6
    pypi = {f["ruleId"]: f for f in vulns if f["properties"]["package_type"] == "pypi"}
    assert set(pypi) == REQUESTS_CVES
    proxy = pypi["CVE-2023-32681"]
    assert proxy["properties"]["package"] == "requests"
    assert proxy["properties"]["installed_version"] == "2.28.1"
    assert proxy["properties"]["fixed_version"] == "2.31.0"
    assert proxy["properties"]["purl"] == "pkg:pypi/requests@2.28.1"
    assert "GHSA-j8r2-6x86-q33q" in proxy["properties"]["aliases"]
    assert proxy["location"]["path"] == REQUESTS_EGG_INFO
    assert {f["ruleId"] for f in vulns if f["properties"]["package_type"] == "deb"} == \
        REQUESTS_CVES
    assert found["metadata"]["vuln.packages_os_owned"] == "0"


def test_vulnerabilities_in_sarif_and_cyclonedx():
    sarif = json.loads(bulwark("scan", str(IMAGE), "--format", "sarif", "--db", ADVISORIES).stdout)
    assert sarif_schema_errors(sarif) == []
    results = {r["ruleId"] for r in sarif["runs"][0]["results"]}
    assert "CVE-2023-32681" in results
    result = bulwark("scan", str(IMAGE), "--format", "cyclonedx", "--db", ADVISORIES)
    assert result.returncode == 0, result.stderr
    bom = json.loads(result.stdout)
    assert _schema_errors(bom, "bom-1.6.schema.json") == []
    vulns = {v["id"]: v for v in bom["vulnerabilities"]}
    assert set(vulns) == REQUESTS_CVES
    deb = next(c for c in bom["components"]
               if c.get("purl", "").startswith("pkg:deb/debian/python3-requests@"))
    assert vulns["CVE-2023-32681"]["affects"] == [{"ref": deb["bom-ref"]}]


def test_vulnerabilities_honour_severity_fail_on_and_ignore(tmp_path):
    def vuln_ids(*flags):
        result = bulwark("scan", str(IMAGE), "--format", "json", "--db", ADVISORIES, *flags)
        assert result.returncode in (0, 1), result.stderr
        return {f["ruleId"] for f in json.loads(result.stdout)["findings"]
                if f["category"] == "vulnerability"}

    assert vuln_ids("--severity", "high") == set()
    only_vuln = ["--scanners", "vuln", "--db", ADVISORIES]
    assert bulwark("scan", str(IMAGE), *only_vuln, "--fail-on", "medium").returncode == 1
    assert bulwark("scan", str(IMAGE), *only_vuln, "--fail-on", "high").returncode == 0
    ignore = tmp_path / ".trivyignore"
    ignore.write_text("CVE-2023-32681\n")
    assert vuln_ids("--ignore-file", str(ignore)) == {"CVE-2024-35195", "CVE-2024-47081"}


def test_vuln_scanner_selection():
    result = bulwark("scan", str(IMAGE), "--format", "json", "--scanners", "vuln", "--db",
                     ADVISORIES)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert {f["category"] for f in found["findings"]} == {"vulnerability"}
    assert found["metadata"]["scan.scanners"] == "sbom,vuln"  # vuln reads the SBOM
    without_db = bulwark("scan", str(IMAGE), "--scanners", "vuln")
    assert without_db.returncode == 2 and b"needs a vulnerability database" in without_db.stderr
    default = json.loads(bulwark("scan", str(IMAGE), "--format", "json").stdout)
    assert "vuln.skipped" in default["metadata"]
    bad = bulwark("scan", str(IMAGE), "--db", str(IMAGE / "nope"))
    assert bad.returncode == 2 and b"--db" in bad.stderr
