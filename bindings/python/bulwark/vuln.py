"""Vulnerability matching (bulwark::vuln): ordering package versions the way each ecosystem's own
tool does, OSV databases, and matching an SBOM's packages against them.

    bulwark.vuln.compare_versions("Debian:12", "1.2-1", "1.2~rc1-1")   # 1 (dpkg order)
    db = bulwark.vuln.Database.build(["osv/go", "osv/debian"])         # parse OSV sources
    db.save("osv.bulwarkdb")
    db = bulwark.vuln.Database.load("osv.bulwarkdb")                   # or a source directory
    result = db.match(bulwark.image.sbom("app.tar"), vex=["app.openvex.json"])
    [(f.id, f.package_name, f.fixed_versions, f.severity, f.cvss_score) for f in result.findings]
    result.without_suppressed()                                       # VEX not_affected / fixed hidden

Errors are bulwark's exception classes (InvalidArgumentError is a ValueError). The GIL is
released while databases load and while matching runs.
"""

import dataclasses
import json
import os
from collections.abc import Iterable
from typing import Optional, Union

from bulwark import _bulwark
from bulwark import sbom as _sbom

compare_versions = _bulwark.vuln.compare_versions
compare_versions_many = _bulwark.vuln.compare_versions_many


@dataclasses.dataclass(frozen=True)
class Severity:
    """A database severity: type "CVSS_V3", "CVSS_V4", ... with a vector, or a label."""
    type: str
    score: str


@dataclasses.dataclass(frozen=True)
class VexAssessment:
    """What a VEX statement says about a finding: status "not_affected", "fixed", "affected" or
    "under_investigation"; not_affected and fixed are `suppressed`."""
    status: str
    justification: str
    suppressed: bool
    reason: str
    impact_statement: str
    action_statement: str
    statement_source: str


@dataclasses.dataclass(frozen=True)
class Finding:
    """One vulnerability in one package; `aliases` holds every other ID of the merged records,
    `fixed_versions` is empty when no fix is known."""
    id: str
    aliases: list[str]
    record_ids: list[str]
    package_type: str
    package_name: str
    package_version: str
    purl: str
    ecosystem: str
    matched_name: str
    matched_version: str
    fixed_versions: list[str]
    evidence: list[str]
    severities: list[Severity]
    severity_label: str
    layer: int
    layer_digest: str
    location_path: str
    summary: str
    # The finding's severity ("CRITICAL" ... "LOW", "" unknown): database labels first, else the
    # CVSS rating; severity_source names the record and field that decided it.
    severity: str = ""
    severity_source: str = ""
    # The CVSS vector shown (newest CVSS version), its version, score and rating; "" / 0.0 when
    # no record has a valid vector.
    cvss_vector: str = ""
    cvss_version: str = ""
    cvss_score: float = 0.0
    cvss_rating: str = ""
    vex: Optional[VexAssessment] = None


@dataclasses.dataclass(frozen=True)
class OsOwnedPackage:
    """A language package left out of matching because an OS package installed it: the file
    that declared it (`path`) is in the owner's installed files, at the same upstream version."""
    package_type: str
    package_name: str
    package_version: str
    purl: str
    path: str
    owner_type: str
    owner_name: str
    owner_version: str
    owner_purl: str


@dataclasses.dataclass(frozen=True)
class MatchResult:
    """`findings` holds every finding, VEX-suppressed ones too (finding.vex.suppressed);
    `suppressed` counts those. `os_owned`: the language packages matched through their OS
    package only (see Database.match)."""
    findings: list[Finding]
    packages: int
    packages_skipped: int
    warnings: list[str]
    suppressed: int = 0
    os_owned: list[OsOwnedPackage] = dataclasses.field(default_factory=list)

    def without_suppressed(self) -> "MatchResult":
        """The result without the findings a VEX statement marks not_affected or fixed."""
        return dataclasses.replace(
            self, findings=[f for f in self.findings if f.vex is None or not f.vex.suppressed])


def _finding(data: dict) -> Finding:
    fields = {f.name: data.get(f.name) for f in dataclasses.fields(Finding)}
    for name in ("aliases", "record_ids", "fixed_versions", "evidence"):
        fields[name] = list(fields[name] or [])
    for name in ("id", "package_type", "package_name", "package_version", "purl", "ecosystem",
                 "matched_name", "matched_version", "severity_label", "layer_digest",
                 "location_path", "summary"):
        fields[name] = fields[name] or ""
    for name in ("severity", "severity_source", "cvss_vector", "cvss_version", "cvss_rating"):
        fields[name] = fields[name] or ""
    fields["cvss_score"] = float(fields["cvss_score"] or 0.0)
    vex = data.get("vex")
    fields["vex"] = None if vex is None else VexAssessment(
        status=vex.get("status", ""), justification=vex.get("justification", ""),
        suppressed=bool(vex.get("suppressed", False)), reason=vex.get("reason", ""),
        impact_statement=vex.get("impact_statement", ""),
        action_statement=vex.get("action_statement", ""),
        statement_source=vex.get("statement_source", ""))
    fields["layer"] = int(fields["layer"] or 0)
    fields["severities"] = [Severity(type=s.get("type", ""), score=s.get("score", ""))
                            for s in data.get("severities", [])]
    return Finding(**fields)


def _sbom_json(sbom: Union[_sbom.Sbom, Iterable[_sbom.Package]],
               os_release: Union[_sbom.OperatingSystem, None]) -> str:
    if isinstance(sbom, _sbom.Sbom):
        data = dataclasses.asdict(sbom)
    else:
        data = {"packages": [dataclasses.asdict(p) for p in sbom]}
        if os_release is not None:
            data["os"] = dataclasses.asdict(os_release)
    for key in ("packages", "removed_packages"):
        for package in data.get(key, []):
            package["properties"] = [{"name": k, "value": v}
                                     for k, v in package.get("properties", {}).items()]
    return json.dumps(data)


class Database:
    """An immutable, indexed OSV database. Use load() or build(); share it across threads."""

    def __init__(self, handle):
        self._handle = handle

    @classmethod
    def load(cls, path: Union[str, os.PathLike]) -> "Database":
        """A compiled database file (save(), `bulwark db build`), or OSV sources (a directory,
        JSON, YAML, JSON Lines, a zip export, Alpine secdb) parsed now.
        Raises NotFoundError, InvalidArgumentError, DataLossError (a truncated or corrupt
        compiled file) or bulwark.Error (a compiled file of another format version)."""
        return cls(_bulwark.vuln._Database.open(os.fspath(path)))

    @classmethod
    def build(cls, paths: Iterable[Union[str, os.PathLike]]) -> "Database":
        """Parses OSV sources; malformed records are skipped and reported in stats()."""
        return cls(_bulwark.vuln._Database.build([os.fspath(p) for p in paths]))

    def save(self, path: Union[str, os.PathLike]) -> None:
        """Writes the compiled file."""
        self._handle.save(os.fspath(path))

    def stats(self) -> dict:
        """Load statistics: files, records, malformed_records, git_ranges_skipped,
        withdrawn_records, invalid_ranges_skipped, warnings (strings)."""
        stats = json.loads(self._handle.stats_json())
        # Protobuf's JSON writes 64-bit counts as strings.
        return {k: v if k == "warnings" else int(v) for k, v in stats.items()}

    def __len__(self) -> int:
        return self._handle.record_count()

    def match(self, sbom: Union[_sbom.Sbom, Iterable[_sbom.Package]],
              os_release: Union[_sbom.OperatingSystem, None] = None, *,
              vex: Iterable[Union[str, os.PathLike]] = (),
              context_ids: Iterable[str] = (),
              match_os_owned_packages: bool = False) -> MatchResult:
        """Findings for an Sbom (bulwark.image.sbom) or a list of packages of a distribution
        `os_release`. `vex`: VEX documents (OpenVEX, CycloneDX, CSAF) applied in order;
        `context_ids`: what contains the packages, for statements about a whole image (default
        for an Sbom: its image name, digest and pkg:oci purl). A language package that an OS
        package installed (Debian's python3-requests egg-info: its file is in the deb's file list,
        at the same upstream version; the Sbom needs include_files) is left out and listed in
        `os_owned`, since the distribution's advisories cover it; `match_os_owned_packages=True`
        matches it in its own ecosystem too. Raises DataLossError for a corrupt compiled
        database, InvalidArgumentError / NotFoundError for a bad VEX file."""
        data = json.loads(self._handle.match_json(_sbom_json(sbom, os_release),
                                                  [os.fspath(p) for p in vex],
                                                  list(context_ids), match_os_owned_packages))
        owned_fields = [f.name for f in dataclasses.fields(OsOwnedPackage)]
        return MatchResult(findings=[_finding(f) for f in data.get("findings", [])],
                           packages=int(data.get("packages", 0)),
                           packages_skipped=int(data.get("packages_skipped", 0)),
                           warnings=list(data.get("warnings", [])),
                           suppressed=int(data.get("suppressed", 0)),
                           os_owned=[OsOwnedPackage(**{k: o.get(k, "") for k in owned_fields})
                                     for o in data.get("os_owned", [])])


__all__ = ["Database", "Finding", "MatchResult", "OsOwnedPackage", "Severity", "VexAssessment",
           "compare_versions", "compare_versions_many"]
