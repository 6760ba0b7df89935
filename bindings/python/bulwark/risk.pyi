from typing import Any, Dict, List, Optional

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
) -> Report:
    """Scans the image at `path` with the analyzers named in `scanners` ("secret", "misconfig",
    "file"; default all), leaving out findings below `severity`, with gitleaks-format
    `secret_rules` instead of the built-in ones and a `dockerfile` to check as well.
    Raises bulwark.Error subclasses (NotFoundError, InvalidArgumentError, DataLossError, ...)."""
