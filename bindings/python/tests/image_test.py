"""bulwark.image against images built by umoci and copied by skopeo (digests compared with
`skopeo inspect`, the merged filesystem with `umoci unpack`'s rootfs), the shared conformance
images, and broken copies of them."""

import hashlib
import json
import os
import pathlib
import shutil
import stat
import subprocess
import threading

import pytest

import bulwark
from bulwark import image
from bulwark_testing import shared_dir

ENTRY_TYPES = {stat.S_IFREG: "regular", stat.S_IFDIR: "directory", stat.S_IFLNK: "symlink"}


def run(*command, cwd):
    """stdout of `command` as bytes; temporary files stay in the test's own directory."""
    env = dict(os.environ, TMPDIR=str(cwd))
    return subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True).stdout


def skopeo(*arguments, cwd):
    return run("skopeo", "--tmpdir", str(cwd), *arguments, cwd=cwd)


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def build_layer(cwd, change):
    """Adds a layer to lay:latest whose rootfs is the previous one after change(rootfs)."""
    run("umoci", "unpack", "--image", "lay:latest", "bundle", cwd=cwd)
    change(cwd / "bundle" / "rootfs")
    run("umoci", "repack", "--image", "lay:latest", "bundle", cwd=cwd)
    shutil.rmtree(cwd / "bundle")


def first_layer(rootfs):
    (rootfs / "etc").mkdir()
    (rootfs / "etc/hello").write_text("hello\n")
    (rootfs / "etc/secret").write_text("token")
    (rootfs / "etc/secret").chmod(0o600)
    (rootfs / "etc/link").symlink_to("hello")
    (rootfs / "bin").mkdir()
    (rootfs / "bin/tool").write_text("#!/bin/sh\necho tool\n")
    (rootfs / "bin/tool").chmod(0o4755)
    (rootfs / "var/empty").mkdir(parents=True, mode=0o700)


def second_layer(rootfs):
    (rootfs / "etc/secret").unlink()
    (rootfs / "etc/hello").write_text("hello again\n")
    (rootfs / "etc/world").write_text("world\n")


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    """An OCI layout of two layers and a config change, the rootfs `umoci unpack` makes of it,
    and skopeo's OCI archive and docker-archive copies."""
    if not (shutil.which("umoci") and shutil.which("skopeo")):
        if os.environ.get("CI", "").strip().lower() not in ("", "false", "0"):
            pytest.fail("umoci and skopeo are needed (bazel/setup.sh)")
        pytest.skip("umoci or skopeo missing")
    cwd = tmp_path_factory.mktemp("images")
    run("umoci", "init", "--layout", "lay", cwd=cwd)
    run("umoci", "new", "--image", "lay:latest", cwd=cwd)
    build_layer(cwd, first_layer)
    build_layer(cwd, second_layer)
    run("umoci", "config", "--image", "lay:latest", "--config.user", "1000:50",
        "--config.cmd", "/bin/tool", "--config.label", "team=bulwark", cwd=cwd)
    run("umoci", "unpack", "--image", "lay:latest", "unpacked", cwd=cwd)
    skopeo("copy", "-q", "oci:lay:latest", "oci-archive:oci.tar", cwd=cwd)
    skopeo("copy", "-q", "oci:lay:latest", "docker-archive:docker.tar:example/app:v1", cwd=cwd)
    return cwd


def copy_layout(images, name):
    """A fresh, writable copy of the layout, to break."""
    copy = images / name
    shutil.copytree(images / "lay", copy)
    return copy


def rootfs_files(rootfs):
    """{path: (type, mode, uid, gid, size, link target)} of every path below rootfs."""
    files = {}
    for directory, names, file_names in os.walk(rootfs):
        for name in names + file_names:
            path = pathlib.Path(directory, name)
            info = path.lstat()
            kind = ENTRY_TYPES[stat.S_IFMT(info.st_mode)]
            files[str(path.relative_to(rootfs))] = (
                kind, stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid,
                info.st_size if kind == "regular" else 0,
                os.readlink(path) if kind == "symlink" else "")
    return files


def image_files(opened):
    return {f.path: (f.type, f.mode, f.uid, f.gid, f.size, f.link_target) for f in opened.files()}


def test_layout_digests_match_skopeo(images):
    opened = image.open(images / "lay")
    assert opened.format == "oci-layout"
    assert opened.references == ["latest"]
    assert opened.manifest_digest == sha256(skopeo("inspect", "--raw", "oci:lay:latest",
                                                   cwd=images))
    config_bytes = skopeo("inspect", "--config", "--raw", "oci:lay:latest", cwd=images)
    assert opened.config_digest == sha256(config_bytes)
    assert opened.manifest.config.digest == opened.config_digest
    assert opened.config.diff_ids == json.loads(config_bytes)["rootfs"]["diff_ids"]
    assert [layer.index for layer in opened.layers] == [0, 1]
    for layer in opened.layers:
        blob = images / "lay/blobs/sha256" / layer.descriptor.digest.split(":")[1]
        assert layer.descriptor.digest == sha256(blob.read_bytes())
        assert layer.descriptor.size == blob.stat().st_size
    assert [layer.descriptor for layer in opened.layers][0].media_type == \
        opened.manifest.layers[0].media_type
    assert [str(platform) for platform in opened.platforms] == [str(opened.config.platform)]


def test_config_and_history(images):
    opened = image.open(images / "lay")
    assert opened.config.user == "1000:50"
    assert opened.config.cmd == ["/bin/tool"]
    assert opened.config.labels == {"team": "bulwark"}
    assert [step.layer_index for step in opened.history if not step.empty_layer] == [0, 1]
    assert [entry.created_by for entry in opened.config.history] == \
        [step.original for step in opened.history]
    assert opened.history_warnings == []
    assert "ImageConfig(" in repr(opened.config) and "'1000:50'" in repr(opened.config)


@pytest.mark.parametrize("name", ["lay", "oci.tar", "docker.tar"])
def test_files_match_umoci_unpack(images, name):
    opened = image.open(images / name)
    expected = rootfs_files(images / "unpacked/rootfs")
    assert image_files(opened) == expected
    assert expected["bin/tool"][1] == 0o4755 and expected["etc/link"][5] == "hello"
    assert [f.path for f in opened.files()] == sorted(expected, key=lambda p: p.split("/"))


def test_deleted_files_are_the_whited_out_and_overwritten_ones(images):
    deleted = image.open(images / "lay").deleted_files()
    assert [(f.path, f.layer, f.hidden_by, f.hidden_by_layer, f.size) for f in deleted] == [
        ("etc/hello", 0, "overwrite", 1, len("hello\n")),
        ("etc/secret", 0, "whiteout", 1, len("token")),
    ]
    assert deleted[1].mode == 0o600


def test_lookup(images):
    opened = image.open(images / "lay")
    hello = opened.lookup("/etc/hello")
    assert (hello.path, hello.type, hello.layer, hello.size) == ("etc/hello", "regular", 1, 12)
    assert opened.lookup(b"etc/link").type == "symlink"
    assert opened.lookup(pathlib.PurePosixPath("etc/link"), follow_symlinks=True).path == \
        "etc/hello"
    with pytest.raises(bulwark.NotFoundError, match="etc/secret") as raised:
        opened.lookup("etc/secret")
    assert isinstance(raised.value, FileNotFoundError)


@pytest.mark.parametrize("name", ["lay", "oci.tar", "docker.tar"])
def test_read_gives_the_unpacked_content(images, name):
    opened = image.open(images / name)
    rootfs = images / "unpacked/rootfs"
    regular = [path for path, info in rootfs_files(rootfs).items() if info[0] == "regular"]
    assert "bin/tool" in regular
    for path in regular:
        assert opened.read(path) == (rootfs / path).read_bytes(), path
    assert opened.read(b"/etc/link") == b"hello again\n"
    with pytest.raises(bulwark.InvalidArgumentError, match="symlink"):
        opened.read("etc/link", follow_symlinks=False)
    with pytest.raises(bulwark.InvalidArgumentError, match="directory"):
        opened.read("etc")
    with pytest.raises(bulwark.NotFoundError):
        opened.read("etc/secret")  # Still shipped in layer 0, but deleted.


def test_verify_report_gives_findings_instead_of_errors(images):
    """A config whose diff_id for layer 1 is wrong: DataLossError by default, a finding (and the
    walk goes on) with verify="report"."""
    layout = copy_layout(images, "bad_diff_id")
    index = json.loads((layout / "index.json").read_text())
    entry = index["manifests"][0]

    def blob(digest):
        return layout / "blobs/sha256" / digest.split(":")[1]

    def store(document):
        data = json.dumps(document).encode()
        blob(sha256(data)).write_bytes(data)
        return sha256(data), len(data)

    manifest = json.loads(blob(entry["digest"]).read_bytes())
    config = json.loads(blob(manifest["config"]["digest"]).read_bytes())
    real = config["rootfs"]["diff_ids"][1]
    config["rootfs"]["diff_ids"][1] = sha256(b"not the layer")
    manifest["config"]["digest"], manifest["config"]["size"] = store(config)
    entry["digest"], entry["size"] = store(manifest)
    (layout / "index.json").write_text(json.dumps(index))

    with pytest.raises(bulwark.DataLossError, match="diff_id mismatch"):
        image.open(layout).files()
    opened = image.open(layout, verify="report")
    assert [f.path for f in opened.files()] == [f.path for f in image.open(images / "lay").files()]
    findings = opened.findings()
    assert [(f.rule_id, f.layer_digest) for f in findings] == [
        ("BLK-LAYER-DIFFID-MISMATCH", manifest["layers"][1]["digest"])]
    assert findings[0].properties == {"expected": sha256(b"not the layer"), "actual": real}
    assert findings[0].severity == "HIGH"
    assert opened.read("etc/world") == b"world\n"
    assert image.open(images / "lay").findings() == []
    with pytest.raises(bulwark.InvalidArgumentError, match="verify"):
        image.open(layout, verify="sometimes")


def test_docker_archive(images):
    opened = image.open(images / "docker.tar", reference="example/app:v1")
    assert opened.format == "docker-archive"
    assert opened.manifest_digest is None
    assert opened.config_digest == sha256(
        skopeo("inspect", "--config", "--raw", "docker-archive:docker.tar", cwd=images))
    assert opened.references == ["docker.io/example/app:v1"]


def test_threads_share_one_image(images):
    opened = image.open(images / "oci.tar")
    results = [None] * 8

    def work(index):
        results[index] = image_files(opened)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(results))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [rootfs_files(images / "unpacked/rootfs")] * len(results)


def test_missing_path_and_unknown_platform(images):
    with pytest.raises(FileNotFoundError):
        image.open(images / "nothing-here")
    with pytest.raises(bulwark.NotFoundError, match="linux/s390x"):
        image.open(images / "lay", "linux/s390x")
    with pytest.raises(bulwark.InvalidArgumentError):
        image.open(images / "lay", platform="not a platform")


def test_corrupt_manifest_fails_open(images):
    layout = copy_layout(images, "bad_manifest")
    digest = image.open(layout).manifest_digest
    blob = layout / "blobs/sha256" / digest.split(":")[1]
    blob.write_bytes(blob.read_bytes().replace(b'"schemaVersion":2', b'"schemaVersion":3'))
    with pytest.raises(bulwark.DataLossError, match=digest):
        image.open(layout)


def test_corrupt_layer_fails_the_walk_every_time(images):
    layout = copy_layout(images, "bad_layer")
    opened = image.open(layout)
    digest = opened.layers[1].descriptor.digest
    blob = layout / "blobs/sha256" / digest.split(":")[1]
    data = bytearray(blob.read_bytes())
    data[len(data) // 2] ^= 0xFF
    blob.write_bytes(bytes(data))
    for query in (opened.files, opened.deleted_files, lambda: opened.lookup("etc")):
        with pytest.raises(bulwark.DataLossError) as raised:
            query()
        assert raised.value.code == "DATA_LOSS"


def test_unknown_layer_media_type(images):
    layout = copy_layout(images, "odd_media_type")
    index = json.loads((layout / "index.json").read_text())
    old = index["manifests"][0]
    manifest = json.loads((layout / "blobs/sha256" / old["digest"].split(":")[1]).read_bytes())
    manifest["layers"][0]["mediaType"] = "application/vnd.example.layer.v1.tar+lz4"
    data = json.dumps(manifest).encode()
    (layout / "blobs/sha256" / hashlib.sha256(data).hexdigest()).write_bytes(data)
    old.update(digest=sha256(data), size=len(data))
    (layout / "index.json").write_text(json.dumps(index))
    opened = image.open(layout)
    with pytest.raises(bulwark.UnimplementedError, match="tar\\+lz4"):
        opened.files()


def test_shared_docker_save_alpine():
    opened = image.open(
        shared_dir() / "conformance/oci/trivy/pkg/fanal/test/testdata/alpine-310.tar.gz")
    assert opened.config_digest == \
        "sha256:af341ccd2df8b0e2d67cf8dd32e087bfda4e5756ebd1c76bbf3efa0dc246590e"
    assert opened.references == ["alpine:3.10"]
    assert [step.instruction for step in opened.history] == ["ADD", "CMD"]
    assert opened.lookup("etc/alpine-release").type == "regular"
    assert opened.lookup("bin/sh", follow_symlinks=True).path == "bin/busybox"
    assert opened.deleted_files() == []


def test_shared_layout_by_reference():
    layouts = shared_dir() / "conformance/oci/go-containerregistry/pkg/v1/layout/testdata"
    opened = image.open(layouts / "test_index", reference="1")
    assert opened.manifest_digest == \
        "sha256:eebff607b1628d67459b0596643fc07de70d702eccf030f0bc7bb6fc2b278650"


@pytest.mark.parametrize("name, files, deleted", [
    ("whiteout_image.tar", ["bar.txt"], [("foo.txt", 0, "whiteout", 1)]),
    ("whiteout_dir.tar", ["a", "a/baz", "b", "b/bar"], [("a/foo", 0, "whiteout", 2)]),
    ("overwritten_file.tar", ["bar.txt", "foo.txt"], [("foo.txt", 0, "overwrite", 1)]),
])
def test_shared_whiteout_images(name, files, deleted):
    opened = image.open(
        shared_dir() / "conformance/oci/go-containerregistry/pkg/v1/mutate/testdata" / name)
    assert [f.path for f in opened.files()] == files
    assert [(f.path, f.layer, f.hidden_by, f.hidden_by_layer)
            for f in opened.deleted_files()] == deleted
