"""bulwark.image.sbom: objects (the types of bulwark.sbom) and formatted text for an image the
test writes (a root filesystem with a dpkg database and an npm package), path owners, errors as
bulwark exceptions, and stubs that match the module."""

import ast
import dataclasses
import json
import os

import pytest

import bulwark
from bulwark import image, sbom

STATUS = """Package: bash
Status: install ok installed
Architecture: amd64
Source: bash (5.2.15-2)
Version: 5.2.15-2+b2
Maintainer: Matthias Klose <doko@debian.org>
"""


@pytest.fixture(scope="module")
def rootfs(tmp_path_factory):
    root = tmp_path_factory.mktemp("rootfs")
    files = {
        "etc/os-release": "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n",
        "var/lib/dpkg/status": STATUS,
        "var/lib/dpkg/info/bash.list": "/.\n/bin/bash\n",
        "srv/node_modules/ms/package.json": '{"name": "ms", "version": "2.1.3", "license": "MIT"}',
    }
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return root


def test_catalog_returns_objects(rootfs):
    result = image.sbom(rootfs)
    assert isinstance(result, sbom.Sbom)
    assert result.os.osv_ecosystem == "Debian:12"
    assert result.os.version_codename == "bookworm"
    by_name = {p.name: p for p in result.packages}
    assert set(by_name) == {"bash", "ms"}
    bash = by_name["bash"]
    assert (bash.type, bash.version, bash.arch) == ("deb", "5.2.15-2+b2", "amd64")
    assert (bash.source_name, bash.source_version) == ("bash", "5.2.15-2")
    assert bash.purl.startswith("pkg:deb/debian/bash@5.2.15-2+b2?arch=amd64&distro=debian-12")
    assert bash.properties == {"dpkg:status": "install ok installed"}
    assert bash.files == []
    assert bash.locations[0].path == "/var/lib/dpkg/status"
    assert bash.layer == 0 and bash.removed_layer is None
    assert by_name["ms"].licenses == ["MIT"]
    assert result.removed_packages == [] and result.warnings == []
    assert len(result.layers) == 1
    assert image.sbom(str(rootfs), include_files=True).packages[0].files == ["/bin/bash"]


def test_catalog_is_only_in_bulwark_image():
    assert not hasattr(sbom, "catalog")
    assert "sbom" in image.__all__


def test_owners_of_paths(rootfs):
    result = image.sbom(rootfs, include_files=True)
    assert [p.name for p in result.owners("/bin/bash")] == ["bash"]
    assert [p.name for p in result.owners("bin//bash")] == ["bash"]
    assert [p.name for p in result.owners("/srv/node_modules/ms/package.json")] == ["ms"]
    assert result.owners("/var/lib/dpkg/status") == []  # a shared database owns nothing
    assert result.owners("/bin/sh") == []
    # Without installed-file lists only declaring files are known.
    assert image.sbom(rootfs).owners("/bin/bash") == []
    with pytest.raises(bulwark.InvalidArgumentError, match=r"\.\."):
        result.owners("/usr/../bin/bash")


def test_depends_on_indexes_packages(tmp_path):
    (tmp_path / "Cargo.lock").write_text(
        'version = 4\n\n[[package]]\nname = "app"\nversion = "0.1.0"\n'
        'dependencies = [\n "libb",\n]\n\n[[package]]\nname = "libb"\nversion = "0.2.0"\n')
    packages = image.sbom(tmp_path).packages
    assert [(p.name, [packages[i].name for i in p.depends_on]) for p in packages] == [
        ("app", ["libb"]), ("libb", [])]


@pytest.mark.parametrize("fmt", ["json", "cyclonedx", "cyclonedx-1.6", "spdx"])
def test_catalog_formats_are_json_text(rootfs, fmt):
    text = image.sbom(rootfs, format=fmt)
    document = json.loads(text)
    names = json.dumps(document)
    assert "pkg:npm/ms@2.1.3" in names


def test_table(rootfs):
    assert "pkg:npm/ms@2.1.3" in image.sbom(rootfs, "table")


def test_errors_are_bulwark_exceptions(rootfs, tmp_path):
    with pytest.raises(bulwark.InvalidArgumentError):
        image.sbom(rootfs, format="xml")
    with pytest.raises(bulwark.NotFoundError):
        image.sbom(tmp_path / "missing")


def test_stubs_describe_the_module():
    path = os.path.splitext(sbom.__file__)[0] + ".pyi"
    with open(path, encoding="utf-8") as file:
        tree = ast.parse(file.read())
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    functions = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert set(classes) | functions == set(sbom.__all__)
    for name, node in classes.items():
        stub_fields = [m.target.id for m in node.body if isinstance(m, ast.AnnAssign)]
        assert stub_fields == [f.name for f in dataclasses.fields(getattr(sbom, name))], name
