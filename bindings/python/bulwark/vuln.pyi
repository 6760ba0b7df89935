from collections.abc import Iterable

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
