"""Software bills of materials (bulwark::sbom): the types of what bulwark.image.sbom returns,
the operating system and packages of a container image (dpkg, apk, rpm, Python, npm and
JavaScript lock files, Cargo and cargo-auditable, Ruby, PHP, Go executables, Java archives), each
with its purl, licenses, declaring files, the layer that introduced it and its dependencies.

    sbom = bulwark.image.sbom("app.tar", include_files=True)
    sbom.os.osv_ecosystem                              # 'Debian:12'
    [(p.name, p.version, p.layer) for p in sbom.packages]
    [p.name for p in sbom.owners("/usr/bin/bash")]     # ['bash'], as `dpkg -S` says
    sbom.diversion("/bin/sh")                          # Diversion(path='/bin/sh', ...)
"""

import dataclasses
import functools
import json
import os
from typing import Optional, Union

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
class Diversion:
    """A dpkg diversion: the file that packages other than `package` list at `path` is
    installed at `diverted_to`; `package` is "" for a local diversion."""
    path: str
    diverted_to: str
    package: str


@dataclasses.dataclass(frozen=True)
class Sbom:
    """What bulwark.image.sbom returns without a format."""
    image: str
    manifest_digest: str
    layers: list[Layer]
    os: OperatingSystem
    packages: list[Package]
    removed_packages: list[Package]
    warnings: list[str]
    tool: str
    diversions: list[Diversion] = dataclasses.field(default_factory=list)

    def owners(self, path: Union[str, os.PathLike]) -> list[Package]:
        """The packages that own `path` (absolute or relative to the image root), as `dpkg -S`,
        `rpm -qf` or `apk info --who-owns` would say: those whose installed-file list holds it
        (kept when the image was catalogued with include_files=True), and language packages and
        executables whose declaring file it is. Symlinks are not followed.
        Raises bulwark.InvalidArgumentError for a ".." component or a NUL byte."""
        return [self.packages[i] for i in self._owner_index.find(os.fspath(path))]

    def diversion(self, path: Union[str, os.PathLike]) -> Optional[Diversion]:
        """The dpkg diversion `path` takes part in, as the diverted path or the one it is
        diverted to (what `dpkg -S` prints as "diversion by P from: ..." and "... to: ..."), or
        None. Raises bulwark.InvalidArgumentError for a ".." component or a NUL byte."""
        found = self._owner_index.find_diversion(os.fspath(path))
        return None if found is None else Diversion(*found)

    @functools.cached_property
    def _owner_index(self):
        # Only what ownership depends on goes to the C++ index.
        packages = [{"type": p.type, "files": p.files,
                     "locations": [{"path": l.path} for l in p.locations]}
                    for p in self.packages]
        diversions = [{"path": d.path, "divertedTo": d.diverted_to, "package": d.package}
                      for d in self.diversions]
        return _bulwark.sbom._PathOwners(json.dumps({"packages": packages,
                                                     "diversions": diversions}))


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


def _sbom_from_json(text: str) -> Sbom:
    """The Sbom of Bulwark's JSON (bulwark.sbom.v1.Sbom in the protobuf JSON mapping)."""
    data = json.loads(text)
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
        warnings=list(data.get("warnings", [])), tool=data.get("tool", ""),
        diversions=[Diversion(path=d.get("path", ""), diverted_to=d.get("divertedTo", ""),
                              package=d.get("package", "")) for d in data.get("diversions", [])])


__all__ = ["Diversion", "Layer", "Location", "OperatingSystem", "Package", "Sbom"]
