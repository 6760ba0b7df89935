"""Vulnerability matching (bulwark::vuln). Today: ordering package versions the way each
ecosystem's own tool does, by OSV ecosystem name.

    bulwark.vuln.compare_versions("Debian:12", "1.2-1", "1.2~rc1-1")   # 1 (dpkg order)
    bulwark.vuln.compare_versions("PyPI", "1.0", "1.0.0")              # 0
    bulwark.vuln.compare_versions("npm", "1.0.0", "x")                 # InvalidArgumentError
"""

from bulwark import _bulwark

compare_versions = _bulwark.vuln.compare_versions
compare_versions_many = _bulwark.vuln.compare_versions_many

__all__ = ["compare_versions", "compare_versions_many"]
