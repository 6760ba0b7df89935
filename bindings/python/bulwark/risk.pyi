import os
from typing import Any, Dict, List, Optional, Sequence, Union

class Report:
    """The result of scan(): findings, metadata and the report in every output format."""

    @property
    def target(self) -> str:
        """What was scanned (the image path)."""
    @property
    def findings(self) -> List[Dict[str, Any]]:
        """Protobuf JSON of each bulwark.core.v1.Finding, worst first; secrets masked."""
    @property
    def metadata(self) -> Dict[str, str]:
        """Run facts: image.format, image.layers, scan.scanners, secret.bytes_scanned, ..."""
    @property
    def warnings(self) -> List[str]:
        """Rules of the secret rule file that were left out, and why."""
    def to_json(self) -> str:
        """Protobuf JSON of bulwark.core.v1.Report."""
    def to_sarif(self) -> str:
        """SARIF 2.1.0."""
    def to_table(self) -> str:
        """A terminal table without colours."""
    def to_cyclonedx(self, version: str = "1.6") -> str:
        """The SBOM with the vulnerability findings as CycloneDX "1.5" or "1.6" JSON; raises
        bulwark.Error when the "sbom" scanner did not run."""
    def has_finding_at_or_above(self, severity: str) -> bool:
        """True when a finding is at or above `severity` ("low", "medium", "high", ...)."""

def scan(
    path: str,
    *,
    scanners: Optional[List[str]] = None,
    severity: Optional[str] = None,
    secret_rules: Optional[str] = None,
    dockerfile: Optional[str] = None,
    platform: str = "",
    reference: str = "",
    ignore_file: Optional[str] = None,
    db: Optional[Union[str, os.PathLike]] = None,
    malware_rules: Sequence[str] = (),
    malware_hashes: Sequence[str] = (),
    builtin_malware: bool = True,
    archive_depth: int = 3,
    match_os_owned_packages: bool = False,
) -> Report:
    """Scans the image at `path` with the analyzers named in `scanners` ("sbom", "vuln",
    "secret", "misconfig", "file", "malware"; default all; "vuln" needs `db`, a compiled
    vulnerability database or OSV sources), leaving out findings below `severity`, with
    gitleaks-format `secret_rules` instead of the built-in ones, a `dockerfile` to check as well,
    a Trivy-style `ignore_file`, YARA `malware_rules` files/directories and known-bad SHA-256
    `malware_hashes` lists (with or without the built-in rules), opening archives inside the
    image `archive_depth` levels deep (0: none). Language packages that an OS package installed
    are matched through that OS package only, unless `match_os_owned_packages`.
    Raises bulwark.Error subclasses (NotFoundError, InvalidArgumentError, DataLossError, ...)."""
