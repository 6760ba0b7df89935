"""Every apk database and dpkg copyright fixture of ../shared/conformance/pkgdb (syft, trivy)
parses: each apk stanza with P: and V: becomes a package with that name and version, the corrupt
database gives a warning and its valid stanza, and machine-readable copyright files give their
License: short names."""

import pathlib

import pytest

from bulwark_testing import shared_dir
from sbom_cli import sbom_json

PKGDB = "conformance/pkgdb"
ALPINE = "syft/syft/pkg/cataloger/alpine/testdata"
APK_FIXTURES = [
    f"{ALPINE}/base", f"{ALPINE}/corrupt/lib/apk/db/installed",
    f"{ALPINE}/empty-deps-and-provides", f"{ALPINE}/extra-file-attributes",
    f"{ALPINE}/glob-paths/lib/apk/db/installed", f"{ALPINE}/multiple-1/lib/apk/db/installed",
    f"{ALPINE}/multiple-2/lib/apk/db/installed", f"{ALPINE}/single",
    "trivy/pkg/fanal/analyzer/pkg/apk/testdata/apk",
]

# Fixtures with a line that is not a field, or a stanza without P: or V:.
APK_WITH_BAD_STANZAS = {
    f"{ALPINE}/corrupt/lib/apk/db/installed", f"{ALPINE}/glob-paths/lib/apk/db/installed",
    "trivy/pkg/fanal/analyzer/pkg/apk/testdata/apk",
}


def stanza_names_and_versions(text: str) -> list:
    """(P, V) of each blank-line separated stanza that has both."""
    pairs = []
    for stanza in text.split("\n\n"):
        fields = dict(line.split(":", 1) for line in stanza.splitlines() if line[1:2] == ":")
        if fields.get("P") and fields.get("V"):
            pairs.append((fields["P"], fields["V"]))
    return sorted(pairs)


def rootfs_with(tmp_path, path: str, content: bytes) -> pathlib.Path:
    root = tmp_path / "rootfs"
    (root / path).parent.mkdir(parents=True)
    (root / path).write_bytes(content)
    return root


@pytest.mark.parametrize("fixture", APK_FIXTURES)
def test_apk_fixture_parses(tmp_path, fixture):
    content = (shared_dir() / PKGDB / fixture).read_bytes()
    document = sbom_json(rootfs_with(tmp_path, "lib/apk/db/installed", content))
    packages = [p for p in document.get("packages", []) if p["cataloger"] == "apk"]
    assert sorted((p["name"], p["version"]) for p in packages) == \
        stanza_names_and_versions(content.decode("utf-8", "replace"))
    for package in packages:
        assert package["purl"].startswith(f"pkg:apk/alpine/{package['name'].lower()}@")
        assert package["sourceName"]
    if fixture in APK_WITH_BAD_STANZAS:
        assert document["warnings"]
    else:
        assert document.get("warnings", []) == []


def test_apk_files_and_origin(tmp_path):
    content = (shared_dir() / PKGDB / ALPINE / "single").read_bytes()
    document = sbom_json(rootfs_with(tmp_path, "lib/apk/db/installed", content), "--files")
    package = document["packages"][0]
    text = content.decode()
    assert f"o:{package['sourceName']}" in text
    directories = [line[2:] for line in text.splitlines() if line.startswith("F:")]
    for path in package["files"]:
        assert path.startswith("/") and path[1:].rsplit("/", 1)[0] in directories


COPYRIGHTS = sorted(
    [f"syft/syft/pkg/cataloger/debian/testdata/copyright/{name}" for name in
     ["cuda", "dev-kit", "libaudit-common", "libc6", "liblzma5", "microsoft", "python",
      "trilicense"]] +
    [f"trivy/pkg/fanal/analyzer/pkg/dpkg/testdata/{name}" for name in
     ["all-patterns-copyright", "common-license-copyright",
      "license-pattern-and-classifier-copyright", "no-license-copyright"]])


@pytest.mark.parametrize("fixture", COPYRIGHTS)
def test_copyright_licenses(tmp_path, fixture):
    content = (shared_dir() / PKGDB / fixture).read_bytes()
    status = b"Package: pkg\nStatus: install ok installed\nVersion: 1\nArchitecture: all\n"
    root = rootfs_with(tmp_path, "usr/share/doc/pkg/copyright", content)
    (root / "var/lib/dpkg").mkdir(parents=True)
    (root / "var/lib/dpkg/status").write_bytes(status)
    licenses = sbom_json(root)["packages"][0].get("licenses", [])
    text = content.decode("utf-8", "replace")
    declared = {line.split(":", 1)[1].strip() for line in text.splitlines()
                if line.startswith("License:") and line.split(":", 1)[1].strip()}
    # Every License: short name is found, and nothing that the file does not mention.
    assert declared <= set(licenses)
    for license_name in licenses:
        assert license_name in text
