import dataclasses
import os
from typing import Optional

_Path = str | os.PathLike[str]

@dataclasses.dataclass(frozen=True)
class Location:
    path: str
    layer: int
    layer_digest: str

@dataclasses.dataclass(frozen=True)
class Package:
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
    path: str
    diverted_to: str
    package: str

@dataclasses.dataclass(frozen=True)
class Sbom:
    image: str
    manifest_digest: str
    layers: list[Layer]
    os: OperatingSystem
    packages: list[Package]
    removed_packages: list[Package]
    warnings: list[str]
    tool: str
    diversions: list[Diversion] = ...

    def owners(self, path: _Path) -> list[Package]:
        """The packages that own `path` (installed-file lists, declaring files of language
        packages and executables), as `dpkg -S` says; symlinks are not followed."""
    def diversion(self, path: _Path) -> Optional[Diversion]:
        """The dpkg diversion `path` takes part in (either end), or None."""

__all__ = ["Diversion", "Layer", "Location", "OperatingSystem", "Package", "Sbom"]
