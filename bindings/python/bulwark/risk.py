"""Image risk analysis (bulwark::image::ScanImage): `bulwark.scan(path)` reads every layer of an
image once and runs the analyzers (SBOM, secrets, build history and config, dangerous files,
malware rules), giving one report.

    report = bulwark.scan("app.tar", scanners=["secret"], severity="high")
    report = bulwark.scan("app.tar", db="osv.bulwarkdb")   # with known vulnerabilities
    [(f["ruleId"], f["location"]["path"]) for f in report.findings]
    open("scan.sarif", "w").write(report.to_sarif())

Findings are the protobuf JSON mapping of bulwark.core.v1.Finding (camelCase keys, severities
as "SEVERITY_HIGH"); secrets in them are masked. The GIL is released while the image is read.
"""

import json
import os

from bulwark import _bulwark


class Report:
    """The result of scan(): findings, metadata and the report in every output format."""

    def __init__(self, native):
        self._native = native
        self._document = json.loads(native.to_json())

    @property
    def target(self):
        return self._native.target

    @property
    def findings(self):
        return self._document.get("findings", [])

    @property
    def metadata(self):
        return self._document.get("metadata", {})

    @property
    def warnings(self):
        return self._native.warnings

    def to_json(self):
        return self._native.to_json()

    def to_sarif(self):
        return self._native.to_sarif()

    def to_table(self):
        return self._native.to_table()

    def to_cyclonedx(self, version="1.6"):
        return self._native.to_cyclonedx(version)

    def has_finding_at_or_above(self, severity):
        return self._native.has_finding_at_or_above(severity)


def scan(path, *, scanners=None, severity=None, secret_rules=None, dockerfile=None, platform="",
         reference="", ignore_file=None, db=None, malware_rules=(), malware_hashes=(),
         builtin_malware=True, archive_depth=3, match_os_owned_packages=False):
    """Scans the image at `path`; see the module docstring and `bulwark scan --help`.

    `db` is a vulnerability database path (a compiled `bulwark db build` file or OSV sources):
    with it the "vuln" scanner adds the SBOM's known vulnerabilities. A language package that an
    OS package installed (Debian's python3-requests egg-info) is matched through its OS package
    only, unless `match_os_owned_packages` is true (bulwark.vuln.Database.match)."""
    return Report(_bulwark.risk.scan(os.fspath(path), scanners=scanners, severity=severity,
                                     secret_rules=secret_rules, dockerfile=dockerfile,
                                     platform=platform, reference=reference,
                                     ignore_file=ignore_file,
                                     db=None if db is None else os.fspath(db),
                                     malware_rules=list(malware_rules),
                                     malware_hashes=list(malware_hashes),
                                     builtin_malware=builtin_malware,
                                     archive_depth=archive_depth,
                                     match_os_owned_packages=match_os_owned_packages))


__all__ = ["Report", "scan"]
