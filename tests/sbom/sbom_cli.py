"""Running `bulwark sbom` from tests, and the views of its JSON that tests compare.

    document = sbom_json(path)
    assert dpkg_rows(document) == dpkg_query_rows(admindir)
"""

import json
import subprocess

from bulwark_testing import runfile

BULWARK = runfile("examples/cli/bulwark")

# What dpkg-query prints per package, the columns the dpkg cataloger must reproduce.
DPKG_QUERY_FORMAT = "${Package}\t${Version}\t${Architecture}\t${source:Package}\t${source:Version}\n"


def sbom_json(path, *flags) -> dict:
    """`bulwark sbom PATH --format json` as a dict; fails the test on a non-zero exit."""
    result = subprocess.run([str(BULWARK), "sbom", str(path), "--format", "json", *flags],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def dpkg_rows(document) -> list:
    """The dpkg packages as dpkg-query's format lines, sorted."""
    return sorted(
        "\t".join([p["name"], p.get("version", ""), p.get("arch", ""), p.get("sourceName", ""),
                   p.get("sourceVersion", "")])
        for p in document.get("packages", []) if p["cataloger"] == "dpkg")


def dpkg_query_rows(admindir) -> list:
    """`dpkg-query --admindir=ADMINDIR -W -f ...` lines, sorted."""
    result = subprocess.run(["dpkg-query", f"--admindir={admindir}", "-W", "-f", DPKG_QUERY_FORMAT],
                            capture_output=True, text=True, check=True)
    return sorted(result.stdout.splitlines())
