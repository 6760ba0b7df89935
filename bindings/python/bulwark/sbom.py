"""Software bills of materials (bulwark::sbom): the operating system and packages of a container
image (dpkg, apk, rpm, Python, npm and JavaScript lock files, Cargo and cargo-auditable, Ruby,
PHP, Go executables, Java archives), each with its purl,
licenses, declaring files and the layer that introduced it, found in one verified pass over the
layers without extraction.

    sbom = bulwark.sbom.catalog("app.tar")
    sbom.os.osv_ecosystem                              # 'Debian:12'
    [(p.name, p.version, p.layer) for p in sbom.packages]
    bulwark.sbom.catalog("app.tar", format="cyclonedx")  # CycloneDX 1.5 JSON text

Errors are those of bulwark.image.open and of reading the layers (bulwark.DataLossError for a
blob that does not match its digest). The GIL is released while the image is read.
"""

import dataclasses
import json
import os
from typing import Optional

from bulwark import _bulwark


@dataclasses.dataclass(frozen=True)
class Location:
    """A file that declared a package, and the layer its final version comes from."""
    path: str
    layer: int
    layer_digest: str


@dataclasses.dataclass(frozen=True)
class Package:
    """One package. `layer` is where it first appeared in its final state; `removed_layer` is
    set only for packages that a layer removed (Sbom.removed_packages); `depends_on` holds the
    indexes into Sbom.packages of its dependencies, where its package data names them."""
    type: str
    cataloger: str
    name: str
    version: str
    arch: str
    purl: str
    licenses: list[str]
    locations: list[Location]
    layer: int
    layer_digest: str
    removed_layer: Optional[int]
    source_name: str
    source_version: str
    maintainer: str
    files: list[str]
    properties: dict[str, str]
    depends_on: list[int]


@dataclasses.dataclass(frozen=True)
class OperatingSystem:
    """The distribution (os-release and friends); id is "" when none was found."""
    id: str
    version_id: str
    version_codename: str
    name: str
    pretty_name: str
    id_like: list[str]
    osv_ecosystem: str
    cpe_name: str
    source_paths: list[str]


@dataclasses.dataclass(frozen=True)
class Layer:
    index: int
    digest: str
    diff_id: str


@dataclasses.dataclass(frozen=True)
class Sbom:
    """What catalog() returns without a format."""
    image: str
    manifest_digest: str
    layers: list[Layer]
    os: OperatingSystem
    packages: list[Package]
    removed_packages: list[Package]
    warnings: list[str]
    tool: str


def _package(data: dict) -> Package:
    return Package(
        type=data.get("type", ""), cataloger=data.get("cataloger", ""),
        name=data.get("name", ""), version=data.get("version", ""), arch=data.get("arch", ""),
        purl=data.get("purl", ""), licenses=list(data.get("licenses", [])),
        locations=[Location(path=l.get("path", ""), layer=l.get("layer", 0),
                            layer_digest=l.get("layerDigest", ""))
                   for l in data.get("locations", [])],
        layer=data.get("layer", 0), layer_digest=data.get("layerDigest", ""),
        removed_layer=data.get("removedLayer"), source_name=data.get("sourceName", ""),
        source_version=data.get("sourceVersion", ""), maintainer=data.get("maintainer", ""),
        files=list(data.get("files", [])),
        properties={p.get("name", ""): p.get("value", "") for p in data.get("properties", [])},
        depends_on=list(data.get("dependsOn", [])))


def _sbom(data: dict) -> Sbom:
    os_data = data.get("os", {})
    return Sbom(
        image=data.get("image", ""), manifest_digest=data.get("manifestDigest", ""),
        layers=[Layer(index=l.get("index", 0), digest=l.get("digest", ""),
                      diff_id=l.get("diffId", "")) for l in data.get("layers", [])],
        os=OperatingSystem(
            id=os_data.get("id", ""), version_id=os_data.get("versionId", ""),
            version_codename=os_data.get("versionCodename", ""), name=os_data.get("name", ""),
            pretty_name=os_data.get("prettyName", ""), id_like=list(os_data.get("idLike", [])),
            osv_ecosystem=os_data.get("osvEcosystem", ""), cpe_name=os_data.get("cpeName", ""),
            source_paths=list(os_data.get("sourcePaths", []))),
        packages=[_package(p) for p in data.get("packages", [])],
        removed_packages=[_package(p) for p in data.get("removedPackages", [])],
        warnings=list(data.get("warnings", [])), tool=data.get("tool", ""))


def catalog(path, format=None, *, platform="", reference="", include_files=False):  # pylint: disable=redefined-builtin
    """The SBOM of the image at `path` (any format bulwark.image.open reads).

    With format=None, an Sbom object; with format "json" (Bulwark's bulwark.sbom.v1.Sbom in the
    protobuf JSON mapping), "cyclonedx" (CycloneDX 1.5), "cyclonedx-1.6", "spdx" (SPDX 2.3) or
    "table", that text. `platform` and `reference` choose an image as bulwark.image.open does;
    `include_files` keeps the installed-file lists of dpkg and apk packages.
    Raises bulwark.InvalidArgumentError for an unknown format.
    """
    text = _bulwark.sbom.catalog_text(os.fspath(path), format or "json", platform=platform,
                                      reference=reference, include_files=include_files)
    return text if format else _sbom(json.loads(text))


__all__ = ["Layer", "Location", "OperatingSystem", "Package", "Sbom", "catalog"]
