import dataclasses
import os
from collections.abc import Iterable
from typing import Optional, Union

from bulwark import sbom as _sbom

_Path = Union[str, os.PathLike[str]]

def compare_versions(ecosystem: str, a: str, b: str) -> int:
    """-1, 0 or 1 as version a sorts before, equal to or after b in the OSV ecosystem
    ("Debian", "Alpine", "Red Hat", "AlmaLinux", "Rocky Linux", "openSUSE", "SUSE", "PyPI",
    "npm", "Go", "crates.io", "Maven", "RubyGems", "Packagist", "NuGet", "Pub", "CRAN",
    "Hackage", "Ubuntu"; optionally with a ":release" suffix such as "Debian:12").

    Raises InvalidArgumentError (a ValueError) naming the ecosystem, the version and the
    problem for an invalid version, and for an unknown ecosystem.
    """

def compare_versions_many(ecosystem: str, pairs: Iterable[tuple[str, str]]) -> list[int]:
    """compare_versions(ecosystem, a, b) for each (a, b) in pairs, in one call.

    Raises InvalidArgumentError naming the first invalid pair.
    """

@dataclasses.dataclass(frozen=True)
class Severity:
    type: str
    score: str

@dataclasses.dataclass(frozen=True)
class VexAssessment:
    status: str
    justification: str
    suppressed: bool
    reason: str
    impact_statement: str
    action_statement: str
    statement_source: str

@dataclasses.dataclass(frozen=True)
class Finding:
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
    severity: str = ...
    severity_source: str = ...
    cvss_vector: str = ...
    cvss_version: str = ...
    cvss_score: float = ...
    cvss_rating: str = ...
    vex: Optional[VexAssessment] = ...

@dataclasses.dataclass(frozen=True)
class OsOwnedPackage:
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
    findings: list[Finding]
    packages: int
    packages_skipped: int
    warnings: list[str]
    suppressed: int = ...
    os_owned: list[OsOwnedPackage] = ...
    def without_suppressed(self) -> MatchResult: ...

class Database:
    @classmethod
    def load(cls, path: _Path) -> Database: ...
    @classmethod
    def build(cls, paths: Iterable[_Path]) -> Database: ...
    def save(self, path: _Path) -> None: ...
    def stats(self) -> dict: ...
    def __len__(self) -> int: ...
    def match(self, sbom: Union[_sbom.Sbom, Iterable[_sbom.Package]],
              os_release: Optional[_sbom.OperatingSystem] = None, *,
              vex: Iterable[_Path] = (), context_ids: Iterable[str] = (),
              match_os_owned_packages: bool = False) -> MatchResult: ...

__all__ = ["Database", "Finding", "MatchResult", "OsOwnedPackage", "Severity", "VexAssessment",
           "compare_versions", "compare_versions_many"]
