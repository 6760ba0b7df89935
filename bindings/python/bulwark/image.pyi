import os
from typing import Literal, overload

from bulwark import sbom as _sbom

_Path = str | os.PathLike[str]
# lookup() also takes the raw bytes of a path inside the image.
_ImagePath = str | bytes | os.PathLike[str] | os.PathLike[bytes]

# Every class is read-only: objects reached from an Image describe it and cannot be changed.
# Digests are "<algorithm>:<hex>" strings; paths inside images are decoded as os.fsdecode does.

class Platform:
    """An os/architecture[/variant] pair; str() gives "os/arch[/variant]"."""

    @property
    def os(self) -> str: ...
    @property
    def architecture(self) -> str: ...
    @property
    def variant(self) -> str: ...
    @property
    def os_version(self) -> str: ...
    @property
    def os_features(self) -> list[str]: ...
    def __str__(self) -> str: ...

class Descriptor:
    """A content descriptor: a blob's type, digest and size."""

    @property
    def media_type(self) -> str: ...
    @property
    def digest(self) -> str: ...
    @property
    def size(self) -> int: ...
    @property
    def urls(self) -> list[str]: ...
    @property
    def annotations(self) -> dict[str, str]: ...
    @property
    def platform(self) -> Platform | None: ...
    @property
    def artifact_type(self) -> str: ...

class Manifest:
    """An image manifest (OCI or Docker schema 2)."""

    @property
    def schema_version(self) -> int: ...
    @property
    def media_type(self) -> str: ...
    @property
    def artifact_type(self) -> str: ...
    @property
    def config(self) -> Descriptor: ...
    @property
    def layers(self) -> list[Descriptor]: ...
    @property
    def subject(self) -> Descriptor | None: ...
    @property
    def annotations(self) -> dict[str, str]: ...

class HistoryEntry:
    """One entry of the config's history, as written."""

    @property
    def created(self) -> str: ...
    @property
    def created_by(self) -> str: ...
    @property
    def author(self) -> str: ...
    @property
    def comment(self) -> str: ...
    @property
    def empty_layer(self) -> bool: ...

class HealthCheck:
    """The config's healthcheck; durations in nanoseconds."""

    @property
    def test(self) -> list[str]: ...
    @property
    def interval_ns(self) -> int: ...
    @property
    def timeout_ns(self) -> int: ...
    @property
    def start_period_ns(self) -> int: ...
    @property
    def retries(self) -> int: ...

class ImageConfig:
    """The image config (OCI image-spec config.md, and Docker's superset of it)."""

    @property
    def created(self) -> str: ...
    @property
    def author(self) -> str: ...
    @property
    def platform(self) -> Platform: ...
    @property
    def user(self) -> str: ...
    @property
    def env(self) -> list[str]: ...
    @property
    def entrypoint(self) -> list[str]: ...
    @property
    def cmd(self) -> list[str]: ...
    @property
    def working_dir(self) -> str: ...
    @property
    def exposed_ports(self) -> list[str]:
        """ "80/tcp", sorted."""
    @property
    def volumes(self) -> list[str]: ...
    @property
    def labels(self) -> dict[str, str]: ...
    @property
    def stop_signal(self) -> str: ...
    @property
    def healthcheck(self) -> HealthCheck | None: ...
    @property
    def rootfs_type(self) -> str: ...
    @property
    def diff_ids(self) -> list[str]: ...
    @property
    def history(self) -> list[HistoryEntry]: ...

class LayerInfo:
    """One layer of the image."""

    @property
    def index(self) -> int:
        """0 = bottom layer."""
    @property
    def descriptor(self) -> Descriptor: ...
    @property
    def diff_id(self) -> str:
        """ "sha256:<hex>", or "" when unknown."""

class BuildStep:
    """A history entry rebuilt as a Dockerfile-like step."""

    @property
    def instruction(self) -> str:
        """ "RUN", "COPY", ...; "" when created_by is not a recognised form."""
    @property
    def arguments(self) -> str: ...
    @property
    def build_args(self) -> list[tuple[str, str]]: ...
    @property
    def buildkit(self) -> bool: ...
    @property
    def original(self) -> str:
        """created_by as written."""
    @property
    def layer_index(self) -> int | None:
        """The layer this step made; None for empty_layer steps."""
    @property
    def empty_layer(self) -> bool: ...
    @property
    def created(self) -> str: ...
    @property
    def author(self) -> str: ...
    @property
    def comment(self) -> str: ...

class FileInfo:
    """A path of the merged filesystem and the layer its final version comes from."""

    @property
    def path(self) -> str:
        """Normalised, without a leading "/" ("etc/passwd")."""
    @property
    def type(self) -> str:
        """ "regular", "directory", "symlink", "hardlink", "char-device", "block-device",
        "fifo" or "other"."""
    @property
    def mode(self) -> int:
        """Permission bits with setuid, setgid and sticky (0o7777)."""
    @property
    def uid(self) -> int: ...
    @property
    def gid(self) -> int: ...
    @property
    def size(self) -> int: ...
    @property
    def mtime(self) -> int: ...
    @property
    def link_target(self) -> str:
        """A symlink's target as written; a hardlink's normalised target path; else ""."""
    @property
    def device_major(self) -> int: ...
    @property
    def device_minor(self) -> int: ...
    @property
    def xattrs(self) -> dict[str, bytes]: ...
    @property
    def layer(self) -> int: ...
    @property
    def implicit(self) -> bool:
        """A parent directory no layer declared (0o755, root:root)."""

class DeletedFile:
    """A file a layer ships that the merged filesystem does not show."""

    @property
    def path(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def mode(self) -> int: ...
    @property
    def uid(self) -> int: ...
    @property
    def gid(self) -> int: ...
    @property
    def size(self) -> int: ...
    @property
    def mtime(self) -> int: ...
    @property
    def link_target(self) -> str: ...
    @property
    def device_major(self) -> int: ...
    @property
    def device_minor(self) -> int: ...
    @property
    def xattrs(self) -> dict[str, bytes]: ...
    @property
    def layer(self) -> int:
        """The layer that ships it."""
    @property
    def hidden_by_layer(self) -> int:
        """The layer that hides it."""
    @property
    def hidden_by(self) -> str:
        """ "whiteout", "opaque" or "overwrite"."""

class Finding:
    """A problem a layer walk reported without stopping."""

    @property
    def rule_id(self) -> str:
        """ "BLK-LAYER-DIGEST-MISMATCH", "BLK-LAYER-DIFFID-MISMATCH", "BLK-LAYER-SIZE-MISMATCH"
        or "BLK-LAYER-UNSAFE-PATH"."""
    @property
    def title(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def layer_digest(self) -> str: ...
    @property
    def path(self) -> str:
        """The entry name (C-escaped), or "" for the whole layer."""
    @property
    def description(self) -> str: ...
    @property
    def fingerprint(self) -> str: ...
    @property
    def properties(self) -> dict[str, str]:
        """Details, e.g. "expected" and "actual" digests."""

class Image:
    """An opened container image, made by open()."""

    @property
    def format(self) -> str:
        """ "oci-layout", "oci-archive", "docker-archive", "rootfs" or "layer-tarball"."""
    @property
    def name(self) -> str: ...
    @property
    def manifest(self) -> Manifest: ...
    @property
    def manifest_digest(self) -> str | None:
        """None when the input has no manifest bytes (docker-archive, rootfs, layer tarball)."""
    @property
    def config(self) -> ImageConfig: ...
    @property
    def config_digest(self) -> str | None: ...
    @property
    def layers(self) -> list[LayerInfo]: ...
    @property
    def references(self) -> list[str]: ...
    @property
    def platforms(self) -> list[Platform]: ...
    @property
    def history(self) -> list[BuildStep]: ...
    @property
    def history_warnings(self) -> list[str]: ...
    def files(self) -> list[FileInfo]:
        """Every path of the merged filesystem but the root, parents before children.

        The first of files(), lookup() and deleted_files() walks every layer (GIL released per
        layer); it raises DataLossError for a digest mismatch, UnimplementedError for an unknown
        layer media type.
        """
    def lookup(self, path: _ImagePath, *, follow_symlinks: bool = False) -> FileInfo:
        """The final entry at path; raises NotFoundError."""
    def deleted_files(self) -> list[DeletedFile]:
        """Files hidden by a later whiteout, opaque directory or overwrite."""
    def findings(self) -> list[Finding]:
        """What the layer walk reported without stopping, bottom layer first: digest and size
        mismatches under verify="report", entries with unsafe names. Walks like files()."""
    def read(self, path: _ImagePath, *, follow_symlinks: bool = True) -> bytes:
        """The content of the regular file at path, read from its layer's blob (that layer is
        walked again, digests verified).

        Raises NotFoundError; InvalidArgumentError for a directory or other non-regular file;
        ResourceExhaustedError when the file is larger than the per-file cap (256 MiB).
        """

def open(path: _Path, platform: str | None = None, *, reference: str | None = None,
         verify: str = "enforce") -> Image:
    """Opens an OCI layout, OCI archive, docker-archive, rootfs directory or layer tarball.

    verify="report" turns layer digest and size mismatches into findings() instead of
    DataLossError. Raises NotFoundError for a missing path, platform or reference; DataLossError
    for a digest mismatch of an index, manifest or config (whatever verify says); InvalidArgumentError
    for malformed documents or an unknown verify.
    """

_SbomFormat = Literal["json", "cyclonedx", "cyclonedx-1.5", "cyclonedx-1.6", "spdx", "table"]

@overload
def sbom(path: _Path, format: None = None, *, platform: str = "", reference: str = "",
         include_files: bool = False) -> _sbom.Sbom:
    """The SBOM of the image at `path` (one verified walk of its layers)."""
@overload
def sbom(path: _Path, format: _SbomFormat, *, platform: str = "", reference: str = "",
         include_files: bool = False) -> str:
    """The SBOM as json, cyclonedx (1.5), cyclonedx-1.6, spdx (2.3) or table text."""

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
