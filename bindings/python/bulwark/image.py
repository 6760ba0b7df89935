"""Container images (bulwark::image): OCI layouts and archives, docker-archives, root-filesystem
directories and layer tarballs, with their manifest, config, history and merged filesystem.

    img = bulwark.image.open("app.tar", platform="linux/arm64")
    img.config.user, [step.instruction for step in img.history]
    img.lookup("etc/passwd").mode                  # 420; NotFoundError when absent
    [f.path for f in img.deleted_files()]          # shipped in a layer, hidden by a later one
    img.read("etc/os-release")                     # bytes, read from the file's layer blob
    image.open(path, verify="report").findings()   # digest mismatches as findings, not errors

open() reads only the small documents and verifies their digests. The first of files(), lookup(),
deleted_files(), findings() and read() walks every layer once (GIL released per layer, digests
verified) and keeps the merged filesystem for the others; read() then walks the one layer that
holds the file again.
"""

from bulwark import _bulwark

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
]
