"""`bulwark sbom` output in every format, on an image the test builds (a Debian-like root
filesystem with dpkg, apk, Python, npm, Cargo, Ruby and PHP package data): CycloneDX 1.5 and 1.6
and SPDX 2.3 validate against the official schemas, and every format carries the same packages.
"""

import json
import pathlib
import subprocess

import pytest

from bulwark_testing import runfile
from sbom_schemas import schema_errors

BULWARK = runfile("examples/cli/bulwark")

OS_RELEASE = 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'
STATUS = """Package: libc6
Status: install ok installed
Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
Architecture: amd64
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u4
Description: GNU C Library

Package: bash
Status: install ok installed
Architecture: amd64
Source: bash (5.2.15-2)
Version: 5.2.15-2+b2
Description: GNU Bourne Again SHell
"""
COPYRIGHT = """Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/

Files: *
Copyright: 1987-2022 Free Software Foundation
License: GPL-3+

Files: lib/sh/snprintf.c
License: BSD-4-clause-UC
"""
FILES = {
    "etc/os-release": OS_RELEASE,
    "var/lib/dpkg/status": STATUS,
    "var/lib/dpkg/info/libc6:amd64.list": "/.\n/lib/x86_64-linux-gnu/libc.so.6\n",
    "usr/share/doc/bash/copyright": COPYRIGHT,
    "usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA":
        "Metadata-Version: 2.1\nName: requests\nVersion: 2.28.1\nLicense: Apache 2.0\n\nbody\n",
    "usr/lib/python3/dist-packages/Jinja2-3.1.2.egg-info":
        "Metadata-Version: 1.1\nName: Jinja2\nVersion: 3.1.2\nLicense: BSD-3-Clause\n",
    "app/node_modules/express/package.json":
        '{"name": "express", "version": "4.18.2", "license": "MIT"}',
    "app/node_modules/@types/node/package.json": '{"name": "@types/node", "version": "20.1.0"}',
    "app/Cargo.lock": '[[package]]\nname = "serde"\nversion = "1.0.193"\n'
                      'source = "registry+https://github.com/rust-lang/crates.io-index"\n',
    "usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.6.gemspec":
        '# -*- encoding: utf-8 -*-\nGem::Specification.new do |s|\n  s.name = "rake".freeze\n'
        '  s.version = "13.0.6"\n  s.licenses = ["MIT".freeze]\nend\n',
    "srv/php/composer.lock":
        '{"packages": [{"name": "monolog/monolog", "version": "3.5.0", "license": ["MIT"]}],'
        ' "packages-dev": []}',
}
EXPECTED = {
    ("deb", "bash", "5.2.15-2+b2"), ("deb", "libc6", "2.36-9+deb12u4"),
    ("pypi", "requests", "2.28.1"), ("pypi", "Jinja2", "3.1.2"),
    ("npm", "express", "4.18.2"), ("npm", "@types/node", "20.1.0"),
    ("cargo", "serde", "1.0.193"), ("gem", "rake", "13.0.6"),
    ("composer", "monolog/monolog", "3.5.0"),
}


@pytest.fixture(scope="module")
def rootfs(tmp_path_factory) -> pathlib.Path:
    root = tmp_path_factory.mktemp("rootfs")
    for path, text in FILES.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    return root


def sbom(rootfs, fmt):
    result = subprocess.run([str(BULWARK), "sbom", str(rootfs), "--format", fmt],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_json_lists_every_package_with_purl_and_layer(rootfs):
    document = json.loads(sbom(rootfs, "json"))
    assert {(p["type"], p["name"], p["version"]) for p in document["packages"]} == EXPECTED
    assert document["os"]["osvEcosystem"] == "Debian:12"
    purls = {p["name"]: p["purl"] for p in document["packages"]}
    assert purls["bash"] == ("pkg:deb/debian/bash@5.2.15-2+b2?arch=amd64&distro=debian-12"
                             "&upstream=bash%405.2.15-2")
    assert purls["libc6"] == ("pkg:deb/debian/libc6@2.36-9+deb12u4?arch=amd64&distro=debian-12"
                              "&upstream=glibc")
    assert purls["Jinja2"] == "pkg:pypi/jinja2@3.1.2"
    assert purls["@types/node"] == "pkg:npm/%40types/node@20.1.0"
    assert purls["monolog/monolog"] == "pkg:composer/monolog/monolog@3.5.0"
    bash = next(p for p in document["packages"] if p["name"] == "bash")
    assert bash["licenses"] == ["GPL-3+", "BSD-4-clause-UC"]
    assert bash["sourceVersion"] == "5.2.15-2"


@pytest.mark.parametrize("fmt,schema", [("cyclonedx", "bom-1.5.schema.json"),
                                        ("cyclonedx-1.6", "bom-1.6.schema.json")])
def test_cyclonedx_is_valid(rootfs, fmt, schema):
    document = json.loads(sbom(rootfs, fmt))
    assert schema_errors(document, schema) == []
    assert document["specVersion"] == schema[4:7]
    libraries = {(c["name"], c["version"]) for c in document["components"]
                 if c["type"] == "library"}
    assert libraries == {(name, version) for _, name, version in EXPECTED}
    os_component = [c for c in document["components"] if c["type"] == "operating-system"]
    assert os_component[0]["name"] == "debian" and os_component[0]["version"] == "12"
    express = next(c for c in document["components"] if c["name"] == "express")
    assert express["licenses"] == [{"license": {"id": "MIT"}}]
    bash = next(c for c in document["components"] if c["name"] == "bash")
    assert {"id": "GPL-3.0-or-later"} in [entry["license"] for entry in bash["licenses"]]
    # Deterministic: the same image gives the same serial number.
    assert json.loads(sbom(rootfs, fmt))["serialNumber"] == document["serialNumber"]


def test_spdx_is_valid(rootfs):
    document = json.loads(sbom(rootfs, "spdx"))
    assert schema_errors(document, "spdx-2.3.schema.json") == []
    packages = {p["SPDXID"]: p for p in document["packages"]}
    named = {(p["name"], p.get("versionInfo")) for p in document["packages"]
             if p.get("primaryPackagePurpose") == "LIBRARY"}
    assert named == {(name, version) for _, name, version in EXPECTED}
    contained = {r["relatedSpdxElement"] for r in document["relationships"]
                 if r["relationshipType"] == "CONTAINS"}
    assert contained == set(packages) - {"SPDXRef-Image"}
    refs = {ref["licenseId"] for ref in document["hasExtractedLicensingInfos"]}
    bash = next(p for p in document["packages"] if p["name"] == "bash")
    assert bash["licenseDeclared"] == "GPL-3.0-or-later AND LicenseRef-BSD-4-clause-UC"
    assert "LicenseRef-BSD-4-clause-UC" in refs


def test_table_lists_packages(rootfs):
    table = sbom(rootfs, "table")
    assert "OS: Debian GNU/Linux 12 (bookworm) (Debian:12)" in table
    assert "9 packages" in table
    assert "pkg:gem/rake@13.0.6" in table


def test_unknown_format_is_a_usage_error(rootfs):
    result = subprocess.run([str(BULWARK), "sbom", str(rootfs), "--format", "xml"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "--format" in result.stderr
