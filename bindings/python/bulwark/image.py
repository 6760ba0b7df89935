"""Container images (bulwark::image): OCI layouts and archives, docker-archives, root-filesystem
directories and layer tarballs, with their manifest, config, history and merged filesystem.

    img = bulwark.image.open("app.tar", platform="linux/arm64")
    img.config.user, [step.instruction for step in img.history]
    img.lookup("etc/passwd").mode                  # 420; NotFoundError when absent
    [f.path for f in img.deleted_files()]          # shipped in a layer, hidden by a later one
    img.read("etc/os-release")                     # bytes, read from the file's layer blob
    image.open(path, verify="report").findings()   # digest mismatches as findings, not errors
    image.sbom("app.tar").packages[0].purl         # 'pkg:deb/debian/adduser@3.134?...'

open() reads only the small documents and verifies their digests. The first of files(), lookup(),
deleted_files(), findings() and read() walks every layer once (GIL released per layer, digests
verified) and keeps the merged filesystem for the others; read() then walks the one layer that
holds the file again.
"""

import os

from bulwark import _bulwark
from bulwark import sbom as _sbom

BuildStep = _bulwark.image.BuildStep
DeletedFile = _bulwark.image.DeletedFile
Descriptor = _bulwark.image.Descriptor
FileInfo = _bulwark.image.FileInfo
Finding = _bulwark.image.Finding
HealthCheck = _bulwark.image.HealthCheck
HistoryEntry = _bulwark.image.HistoryEntry
Image = _bulwark.image.Image
ImageConfig = _bulwark.image.ImageConfig
LayerInfo = _bulwark.image.LayerInfo
Manifest = _bulwark.image.Manifest
Platform = _bulwark.image.Platform
open = _bulwark.image.open  # pylint: disable=redefined-builtin


def sbom(path, format=None, *, platform="", reference="", include_files=False):  # pylint: disable=redefined-builtin
    """The software bill of materials of the image at `path` (any format open() reads), found in
    one verified walk of its layers.

    With format=None, a bulwark.sbom.Sbom; with format "json" (Bulwark's bulwark.sbom.v1.Sbom in
    the protobuf JSON mapping), "cyclonedx" (CycloneDX 1.5), "cyclonedx-1.6", "spdx" (SPDX 2.3)
    or "table", that text. `platform` and `reference` choose an image as open() does;
    `include_files` keeps the installed-file lists of dpkg, apk and rpm packages (which
    Sbom.owners needs for them). The GIL is released while the image is read.
    Raises bulwark.InvalidArgumentError for an unknown format, and the errors of open() and of
    reading the layers (DataLossError for a blob that does not match its digest).
    """
    text = _bulwark.sbom.catalog_text(os.fspath(path), format or "json", platform=platform,
                                      reference=reference, include_files=include_files)
    return text if format else _sbom._sbom_from_json(text)  # pylint: disable=protected-access

__all__ = [
    "BuildStep",
    "DeletedFile",
    "Descriptor",
    "FileInfo",
    "Finding",
    "HealthCheck",
    "HistoryEntry",
    "Image",
    "ImageConfig",
    "LayerInfo",
    "Manifest",
    "Platform",
    "open",
    "sbom",
]
