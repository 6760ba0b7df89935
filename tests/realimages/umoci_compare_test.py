"""Bulwark's merged tree against `umoci unpack --rootless`, file by file (path, type, mode, size,
content sha256, symlink target), for a 3-layer image that umoci builds at test time (files,
symlinks, hardlinks, whiteouts, an opaque directory) and for skopeo's copies of it: OCI archive,
docker-archive and zstd layers. Owners are not compared: a rootless unpack does not keep them.
"""

import io
import json
import os
import pathlib
import shutil
import subprocess
import tarfile

import pytest

from bulwark_testing import runfile
import trees

TREE_DUMP = runfile("tests/realimages/tree_dump")
TAG = "t"


def sh(*args):
    out = subprocess.run([str(a) for a in args], capture_output=True, text=True, check=False)
    assert out.returncode == 0, f"{args}: {out.stderr}"


def write(path: pathlib.Path, data: bytes, mode=0o644):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(mode)


def layer1(rootfs):
    write(rootfs / "etc/os-release", b"ID=bulwark-test\n")
    write(rootfs / "usr/bin/tool", os.urandom(200_000), 0o755)
    write(rootfs / "usr/bin/suid-tool", b"#!/bin/sh\n", 0o4755)
    write(rootfs / "usr/bin/sgid-tool", b"#!/bin/sh\n", 0o2711)
    write(rootfs / "etc/shadow", b"root:*:1::::::\n", 0o640)
    write(rootfs / "app/config/secret.json", b'{"token": "t0k3n"}\n', 0o600)
    write(rootfs / "app/README.md", b"gone in layer 2\n")
    write(rootfs / "opq/lower-a", b"a\n")
    write(rootfs / "opq/sub/lower-b", b"b\n")
    write(rootfs / "empty", b"")
    os.link(rootfs / "usr/bin/tool", rootfs / "usr/bin/tool-hardlink")
    os.symlink("/etc/os-release", rootfs / "etc/absolute-link")
    os.symlink("../bin/tool", rootfs / "usr/bin/relative-link")
    os.symlink("nowhere", rootfs / "dangling")
    (rootfs / "tmp").mkdir(mode=0o1777)
    (rootfs / "tmp").chmod(0o1777)


def layer2(rootfs):
    shutil.rmtree(rootfs / "app/config")  # a directory whiteout
    (rootfs / "app/README.md").unlink()  # a file whiteout
    write(rootfs / "etc/os-release", b"ID=bulwark-test\nVERSION=2\n")  # overwritten
    (rootfs / "usr/bin/tool").chmod(0o700)  # mode change (the hardlink shares it)
    (rootfs / "etc/absolute-link").unlink()
    os.symlink("/usr/bin/tool", rootfs / "etc/absolute-link")  # symlink retargeted
    (rootfs / "dangling").unlink()
    (rootfs / "dangling").mkdir(mode=0o750)  # a symlink replaced by a directory
    (rootfs / "dangling").chmod(0o750)
    write(rootfs / "dangling/inside", b"x\n")
    os.link(rootfs / "etc/os-release", rootfs / "etc/os-release-link")


def opaque_layer() -> bytes:
    """Layer 3 (a tar: umoci compresses it), written by hand because umoci repack never emits
    opaque whiteouts: `opq` is made opaque (its lower entries vanish) and gets new content in the
    same layer; a file of layer 1 is whited out."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in [("opq/.wh..wh..opq", b""), ("opq/upper", b"upper\n"),
                           ("etc/.wh.shadow", b"")]:
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o644
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The umoci layout, skopeo's copies of it, and umoci's rootfs of it."""
    root = tmp_path_factory.mktemp("umoci")
    layout, bundle = root / "layout", root / "bundle"
    sh("umoci", "init", "--layout", layout)
    sh("umoci", "new", "--image", f"{layout}:{TAG}")
    sh("umoci", "unpack", "--rootless", "--image", f"{layout}:{TAG}", bundle)
    for populate in (layer1, layer2):
        populate(bundle / "rootfs")
        sh("umoci", "repack", "--refresh-bundle", "--image", f"{layout}:{TAG}", bundle)
    (root / "layer3.tar").write_bytes(opaque_layer())
    sh("umoci", "raw", "add-layer", "--image", f"{layout}:{TAG}", root / "layer3.tar")
    unpacked = root / "unpacked"
    sh("umoci", "unpack", "--rootless", "--image", f"{layout}:{TAG}", unpacked)

    variants = {"oci-layout": (layout, TAG)}
    copies = {"oci-archive": ([], f"oci-archive:{root}/image.oci.tar:{TAG}",
                              root / "image.oci.tar"),
              "docker-archive": ([], f"docker-archive:{root}/image.docker.tar:demo/x:{TAG}",
                                 root / "image.docker.tar"),
              "zstd-layout": (["--dest-compress-format", "zstd"], f"oci:{root}/zstd:{TAG}",
                              root / "zstd")}
    for name, (flags, dest, path) in copies.items():
        # skopeo's scratch space defaults to /var/tmp, read-only in Bazel's sandbox.
        sh("skopeo", "--insecure-policy", "--tmpdir", root, "copy", "-q", *flags,
           f"oci:{layout}:{TAG}", dest)
        variants[name] = (path, TAG if name != "docker-archive" else "")
    return variants, unpacked / "rootfs"


@pytest.mark.parametrize("variant", ["oci-layout", "oci-archive", "docker-archive", "zstd-layout"])
def test_merged_tree_equals_umoci_unpack(built, variant):
    variants, rootfs = built
    image, reference = variants[variant]
    dump = trees.dump_image(TREE_DUMP, image, reference)
    assert len(dump.layers) == 3
    assert trees.diff(trees.image_tree(dump), trees.rootfs_tree(rootfs)) == []


def test_whiteouts_seen(built):
    variants, _ = built
    dump = trees.dump_image(TREE_DUMP, *variants["oci-layout"])
    assert sorted(tuple(w) for w in dump.whiteouts) == [
        ("1", "/app/README.md", "whiteout"), ("1", "/app/config", "whiteout"),
        ("2", "/etc/shadow", "whiteout"), ("2", "/opq", "opaque")]


def test_zstd_layers_are_zstd(built):
    variants, _ = built
    layout = variants["zstd-layout"][0]
    digest = json.loads((layout / "index.json").read_text())["manifests"][0]["digest"]
    manifest = (layout / "blobs" / digest.replace(":", "/")).read_text()
    assert manifest.count("tar+zstd") == 3


def test_tree_has_the_edge_cases(built):
    """Guards the comparison against trees that agree by being empty or trivial."""
    variants, _ = built
    tree = trees.image_tree(trees.dump_image(TREE_DUMP, *variants["oci-layout"]))
    for gone in ("/opq/lower-a", "/opq/sub", "/etc/shadow", "/app/config", "/app/README.md"):
        assert gone not in tree
    assert tree["/opq/upper"].type == "file"
    assert tree["/usr/bin/suid-tool"].mode == 0o4755
    assert tree["/usr/bin/sgid-tool"].mode == 0o2711
    assert tree["/tmp"] == trees.Node("dir", 0o1777, 0, "", "")
    assert tree["/usr/bin/tool-hardlink"] == tree["/usr/bin/tool"]
    assert tree["/usr/bin/tool"].mode == 0o700 and tree["/usr/bin/tool"].size == 200_000
    assert tree["/etc/absolute-link"].link == "/usr/bin/tool"
    assert tree["/dangling"].type == "dir" and "/dangling/inside" in tree
