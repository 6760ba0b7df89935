"""`bulwark image inspect` and `bulwark image files` against real tools: images are built at test
time with umoci (plus one layer written here holding an opaque directory, since umoci repack
writes plain whiteouts), digests are checked with skopeo and sha256, and the merged tree with
`umoci unpack`'s rootfs."""

import gzip
import hashlib
import io
import json
import os
import pathlib
import shutil
import stat
import subprocess
import tarfile

import pytest

from bulwark_testing import runfile, shared_dir

BULWARK = str(runfile("examples/cli/bulwark"))
TMP = pathlib.Path(os.environ.get("TEST_TMPDIR", "/tmp"))
ROOTLESS = ["--rootless"] if os.getuid() != 0 else []


def run(*args, cwd=None):
    result = subprocess.run(args, capture_output=True, cwd=cwd, check=False)
    assert result.returncode == 0, (args, result.stderr)
    return result.stdout


def bulwark(*args):
    return subprocess.run([BULWARK, *args], capture_output=True, stdin=subprocess.DEVNULL,
                          check=False)


def bulwark_json(*args):
    result = bulwark(*args, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def blob(layout, digest):
    return (layout / "blobs" / "sha256" / digest.split(":")[1]).read_bytes()


def put_blob(layout, data):
    digest = sha256(data)
    (layout / "blobs" / "sha256" / digest.split(":")[1]).write_bytes(data)
    return {"digest": digest, "size": len(data)}


def append_layer(layout, tar_bytes, created_by):
    """Appends a gzip layer to the only image of `layout`, updating config, manifest and index."""
    index = json.loads((layout / "index.json").read_bytes())
    (entry,) = index["manifests"]
    manifest = json.loads(blob(layout, entry["digest"]))
    config = json.loads(blob(layout, manifest["config"]["digest"]))
    layer = put_blob(layout, gzip.compress(tar_bytes, mtime=0))
    manifest["layers"].append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", **layer})
    config["rootfs"]["diff_ids"].append(sha256(tar_bytes))
    config["history"].append({"created": "2024-01-02T03:04:05Z", "created_by": created_by})
    manifest["config"].update(put_blob(layout, json.dumps(config).encode()))
    entry.update(put_blob(layout, json.dumps(manifest).encode()))
    (layout / "index.json").write_text(json.dumps(index))


def tar_of(members):
    """A tar of (name, type, data/target) members: type "f" file, "d" directory, "l" symlink."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, kind, payload in members:
            info = tarfile.TarInfo(name)
            info.mode = 0o755 if kind == "d" else 0o640
            if kind == "d":
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            elif kind == "l":
                info.type, info.linkname = tarfile.SYMTYPE, payload
                tar.addfile(info)
            else:
                info.size = len(payload)
                tar.addfile(info, io.BytesIO(payload))
    return out.getvalue()


def repack(layout, change):
    """One umoci unpack / change(rootfs) / repack round: a layer holding the change."""
    bundle = layout.parent / "bundle"
    run("umoci", "unpack", *ROOTLESS, "--image", f"{layout}:latest", str(bundle))
    change(bundle / "rootfs")
    run("umoci", "repack", "--image", f"{layout}:latest", str(bundle))
    shutil.rmtree(bundle)


def layer0(root):
    (root / "etc").mkdir()
    (root / "etc/hello").write_text("hello\n")
    (root / "etc/secret").write_text("password\n")
    os.symlink("hello", root / "etc/link")
    os.link(root / "etc/hello", root / "etc/hard")
    (root / "opq").mkdir()
    (root / "opq/old").write_text("old\n")
    (root / "bin").mkdir(mode=0o700)
    (root / "bin/tool").write_bytes(b"#!/bin/sh\n")
    os.chmod(root / "bin/tool", 0o4755)


def layer1(root):
    (root / "etc/secret").unlink()
    (root / "etc/world").write_text("world\n")


@pytest.fixture(scope="module")
def layout():
    if shutil.which("umoci") is None or shutil.which("skopeo") is None:
        pytest.skip("umoci and skopeo are needed (bazel/setup.sh)")
    work = TMP / "image_command_test"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    path = work / "lay"
    run("umoci", "init", "--layout", str(path))
    run("umoci", "new", "--image", f"{path}:latest")
    run("umoci", "config", "--image", f"{path}:latest", "--config.user=1000:1000",
        "--config.env=A=b", "--config.env=PATH=/bin", "--config.entrypoint=/bin/tool",
        "--config.cmd=--serve", "--config.workingdir=/srv", "--config.exposedports=8080/tcp",
        "--config.volume=/data", "--config.label=org.example=yes", "--config.stopsignal=SIGINT",
        "--author=someone")
    repack(path, layer0)
    repack(path, layer1)
    append_layer(path, tar_of([("opq/", "d", None), ("opq/.wh..wh..opq", "f", b""),
                               ("opq/new", "f", b"new\n")]), "/bin/sh -c make opq")
    return path


@pytest.fixture(scope="module")
def rootfs(layout):
    bundle = layout.parent / "unpacked"
    run("umoci", "unpack", *ROOTLESS, "--image", f"{layout}:latest", str(bundle))
    return bundle / "rootfs"


def test_inspect_digests_match_skopeo_and_sha256(layout):
    shown = bulwark_json("image", "inspect", str(layout))
    manifest_bytes = run("skopeo", "--tmpdir", str(TMP), "inspect", "--raw", f"oci:{layout}:latest")
    config_bytes = run("skopeo", "--tmpdir", str(TMP), "inspect", "--config", "--raw",
                       f"oci:{layout}:latest")
    manifest, config = json.loads(manifest_bytes), json.loads(config_bytes)
    assert shown["format"] == "oci-layout"
    assert shown["manifest_digest"] == sha256(manifest_bytes)
    assert shown["config_digest"] == sha256(config_bytes)
    assert shown["platform"] == f"{config['os']}/{config['architecture']}"
    assert shown["platforms"] == [shown["platform"]]
    assert [(l["index"], l["media_type"], l["size"], l["digest"], l["diff_id"])
            for l in shown["layers"]] == [
        (i, l["mediaType"], l["size"], l["digest"], config["rootfs"]["diff_ids"][i])
        for i, l in enumerate(manifest["layers"])]
    for layer in shown["layers"]:
        assert sha256(blob(layout, layer["digest"])) == layer["digest"]
        assert sha256(gzip.decompress(blob(layout, layer["digest"]))) == layer["diff_id"]


def test_inspect_config_fields(layout):
    shown = bulwark_json("image", "inspect", str(layout))["config"]
    assert list(shown) == ["created", "author", "user", "env", "entrypoint", "cmd", "working_dir",
                           "exposed_ports", "volumes", "labels", "stop_signal", "healthcheck"]
    assert shown["user"] == "1000:1000"
    assert shown["env"] == ["A=b", "PATH=/bin"]
    assert shown["entrypoint"] == ["/bin/tool"]
    assert shown["cmd"] == ["--serve"]
    assert shown["working_dir"] == "/srv"
    assert shown["exposed_ports"] == ["8080/tcp"]
    assert shown["volumes"] == ["/data"]
    assert shown["labels"] == {"org.example": "yes"}
    assert shown["stop_signal"] == "SIGINT"
    assert shown["author"] == "someone"
    assert shown["healthcheck"] is None


def test_inspect_history_maps_steps_to_layers(layout):
    shown = bulwark_json("image", "inspect", str(layout))
    config = json.loads(run("skopeo", "--tmpdir", str(TMP), "inspect", "--config", "--raw",
                            f"oci:{layout}:latest"))
    steps = shown["history"]
    assert [s["original"] for s in steps] == [h.get("created_by", "") for h in config["history"]]
    assert [s["layer"] for s in steps if not s["empty_layer"]] == [0, 1, 2]
    assert (steps[-1]["instruction"], steps[-1]["arguments"]) == ("RUN", "make opq")
    assert shown["history_warnings"] == []


def test_inspect_table(layout):
    result = bulwark("image", "inspect", str(layout))
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode()
    shown = bulwark_json("image", "inspect", str(layout))
    assert shown["config_digest"] in text and "RUN make opq" in text
    for layer in shown["layers"]:
        assert layer["digest"] in text and layer["diff_id"] in text
    assert not any(line.endswith(" ") for line in text.splitlines())


@pytest.mark.parametrize("transport,format_name", [("oci-archive", "oci-archive"),
                                                   ("docker-archive", "docker-archive")])
def test_inspect_copies_made_by_skopeo(layout, transport, format_name):
    copy = layout.parent / f"copy.{transport}.tar"
    if not copy.exists():
        run("skopeo", "--tmpdir", str(TMP), "copy", "-q", f"oci:{layout}:latest",
            f"{transport}:{copy}" + (":example/app:v1" if transport == "docker-archive" else ""))
    shown = bulwark_json("image", "inspect", str(copy))
    config_bytes = run("skopeo", "--tmpdir", str(TMP), "inspect", "--config", "--raw",
                       f"{transport}:{copy}")
    assert shown["format"] == format_name
    assert shown["config_digest"] == sha256(config_bytes)
    assert [l["diff_id"] for l in shown["layers"]] == json.loads(config_bytes)["rootfs"]["diff_ids"]


def umoci_tree(rootfs):
    """path -> (type, mode, size, link target) of the unpacked rootfs, as `image files` shows it."""
    tree = {}
    for directory, names, files in os.walk(rootfs):
        for name in names + files:
            full = pathlib.Path(directory, name)
            info = full.lstat()
            path = "/" + str(full.relative_to(rootfs))
            if stat.S_ISLNK(info.st_mode):
                tree[path] = ("symlink", 0o777, 0, os.readlink(full))
            elif stat.S_ISDIR(info.st_mode):
                tree[path] = ("directory", stat.S_IMODE(info.st_mode), 0, "")
            else:
                tree[path] = ("regular", stat.S_IMODE(info.st_mode), info.st_size, "")
    return tree


def without_directory_modes(tree):
    return {path: (kind, None if kind == "directory" else mode, size, link)
            for path, (kind, mode, size, link) in tree.items()}


def test_files_equal_umoci_unpack(layout, rootfs):
    files = bulwark_json("image", "files", str(layout))["files"]
    shown = {}
    for f in files:
        kind, size = f["type"], f["size"]
        if kind == "hardlink":  # umoci unpack writes a hardlink as another name of the file.
            target = next(t for t in files if t["path"] == f["link_target"])
            kind, size = "regular", target["size"]
        link = f["link_target"] if kind == "symlink" else ""
        shown[f["path"]] = (kind, int(f["mode"], 8), size, link)
    expected = umoci_tree(rootfs)
    if ROOTLESS:  # Rootless unpack adds u+rwx to directories it must enter.
        shown, expected = without_directory_modes(shown), without_directory_modes(expected)
    assert shown == expected
    assert "/etc/secret" not in shown and "/opq/old" not in shown
    assert shown["/bin/tool"][1] == 0o4755


def test_files_keys_order_and_link_targets(layout):
    files = {f["path"]: f for f in bulwark_json("image", "files", str(layout))["files"]}
    assert list(files["/etc/hello"]) == ["path", "type", "mode", "uid", "gid", "size", "layer",
                                         "link_target", "implicit"]
    assert files["/etc/link"]["link_target"] == "hello"
    # umoci writes the pair in name order: /etc/hard is the file, /etc/hello links to it.
    assert (files["/etc/hello"]["type"], files["/etc/hello"]["link_target"]) == ("hardlink",
                                                                                 "/etc/hard")
    assert files["/etc/world"]["layer"] == 1
    assert (files["/opq/new"]["layer"], files["/opq"]["layer"]) == (2, 2)


def test_files_layer_flag(layout):
    files = bulwark_json("image", "files", str(layout), "--layer", "2")["files"]
    assert [f["path"] for f in files] == ["/opq", "/opq/new"]
    files = bulwark_json("image", "files", str(layout), "--layer=1")["files"]
    assert "/etc/world" in [f["path"] for f in files]
    assert {f["layer"] for f in files} == {1}


def test_deleted_files_with_layer_and_what_hid_them(layout):
    deleted = bulwark_json("image", "files", str(layout), "--deleted")["deleted"]
    assert [(d["path"], d["layer"], d["hidden_by_layer"], d["hidden_by"]) for d in deleted] == [
        ("/etc/secret", 0, 1, "whiteout"),
        ("/opq/old", 0, 2, "opaque"),
    ]
    assert deleted[0]["size"] == len("password\n")
    only_layer_1 = bulwark_json("image", "files", str(layout), "--deleted", "--layer", "1")
    assert only_layer_1["deleted"] == []
    table = bulwark("image", "files", "--deleted", str(layout)).stdout.decode().splitlines()
    assert table[0].split() == ["PATH", "TYPE", "MODE", "UID:GID", "SIZE", "LAYER", "HIDDEN", "BY"]
    assert table[1].split() == ["/etc/secret", "regular", "0644", "0:0", "9", "0", "whiteout",
                                "in", "layer", "1"]


def test_untrusted_names_are_escaped(layout):
    hostile = layout.parent / "hostile"
    shutil.copytree(layout, hostile)
    names = ["evil\x1b[2J\nname", "caf\udce9", "back\\slash", "wide\u00e9\u4e2d"]
    append_layer(hostile, tar_of([(name, "f", b"x") for name in names]), "x")
    table = bulwark("image", "files", str(hostile), "--layer", "3")
    assert table.returncode == 0, table.stderr
    lines = table.stdout.split(b"\n")
    assert b"\x1b" not in table.stdout and len(lines) == 1 + len(names) + 1
    assert b"/evil\\x1b[2J\\x0aname " in table.stdout
    assert b"/caf\\xe9 " in table.stdout and b"/back\\\\slash " in table.stdout
    # Columns stay aligned: every row's TYPE column starts at the same code point.
    text_lines = [line.decode() for line in lines[:-1]]
    assert {line.index("regular") for line in text_lines[1:]} == {text_lines[0].index("TYPE")}
    files = bulwark_json("image", "files", str(hostile), "--layer", "3")["files"]
    paths = [f["path"] for f in files]
    assert sorted(paths) == sorted(["/evil\x1b[2J\nname", "/caf\\xe9", "/back\\slash",
                                    "/wide\u00e9\u4e2d"])


@pytest.mark.parametrize("args,message", [
    (["image", "inspect", "no/such/image"], b"no/such/image"),
    (["image", "files", "no/such/image"], b"no/such/image"),
    (["image", "inspect"], b"takes exactly 1 argument, got 0"),
    (["image", "inspect", "a", "b"], b"takes exactly 1 argument, got 2"),
    (["image", "inspect", "x", "--format", "sarif"], b"table or json, not sarif"),
    (["image", "inspect", "x", "--platform", "linux"], b"--platform"),
    (["image", "files", "x", "--deleted=yes"], b"flag --deleted takes no value"),
    (["image", "files", "x", "--frobnicate"], b'unknown flag "--frobnicate"'),
    (["image"], b"bulwark image: missing COMMAND"),
    (["image", "frobnicate"], b'unknown command "image frobnicate"'),
    (["help", "image", "frobnicate"], b'unknown command "image frobnicate"'),
    (["help", "image", "files", "x"], b"takes at most one COMMAND"),
])
def test_usage_and_input_errors_exit_2(args, message):
    result = bulwark(*args)
    assert result.returncode == 2
    assert result.stdout == b""
    assert message in result.stderr


@pytest.mark.parametrize("layer", ["3", "-1", "x"])
def test_bad_layer_index_names_the_image(layout, layer):
    result = bulwark("image", "files", str(layout), "--layer", layer)
    assert result.returncode == 2
    assert result.stderr == (f'bulwark: --layer: "{layer}" is not a layer index of {layout} '
                             "(it has 3 layers)\n").encode()


def test_a_corrupt_layer_is_an_input_error_naming_the_image(layout):
    broken = layout.parent / "broken"
    shutil.copytree(layout, broken)
    manifest = json.loads(blob(broken, json.loads((broken / "index.json").read_text())
                               ["manifests"][0]["digest"]))
    victim = broken / "blobs/sha256" / manifest["layers"][0]["digest"].split(":")[1]
    victim.write_bytes(victim.read_bytes()[:-8])
    assert bulwark("image", "inspect", str(broken)).returncode == 0  # Layers are not read.
    result = bulwark("image", "files", str(broken))
    assert result.returncode == 2 and result.stdout == b""
    assert str(broken).encode() in result.stderr


def test_group_help_and_command_help():
    group_forms = [["image", "--help"], ["image", "-h"], ["help", "image"]]
    outputs = {bulwark(*args).stdout for args in group_forms}
    (group,) = outputs
    assert group.startswith(b"usage: bulwark image COMMAND")
    assert b"\n  image files " in group and b"\n  image inspect " in group
    for command in ["inspect", "files"]:
        forms = [["help", "image", command], ["image", command, "--help"],
                 ["image", command, "x", "--no-such-flag", "-h"]]
        results = [bulwark(*args) for args in forms]
        assert {r.returncode for r in results} == {0}
        (usage,) = {r.stdout for r in results}
        assert usage.startswith(f"usage: bulwark image {command} PATH".encode())
    top = bulwark("--help").stdout
    assert b"\n  image files " in top and b"\n  image inspect " in top


SHARED_IMAGES = [
    ("trivy/pkg/fanal/test/testdata/alpine-310.tar.gz", "docker-archive"),
    ("go-containerregistry/pkg/v1/mutate/testdata/whiteout_image.tar", "docker-archive"),
    ("go-containerregistry/pkg/v1/mutate/testdata/overwritten_file.tar", "docker-archive"),
    ("go-containerregistry/pkg/v1/tarball/testdata/test_image_1.tar", "docker-archive"),
    ("go-containerregistry/pkg/v1/layout/testdata/test_index_one_image", "oci-layout"),
    ("trivy/pkg/fanal/test/testdata/test.oci", "oci-layout"),
]


@pytest.mark.parametrize("relative,format_name", SHARED_IMAGES)
def test_shared_images(relative, format_name):
    path = shared_dir() / "conformance/oci" / relative
    shown = bulwark_json("image", "inspect", str(path))
    assert shown["format"] == format_name
    assert shown["layers"], shown
    files = bulwark_json("image", "files", str(path))["files"]
    deleted = bulwark_json("image", "files", str(path), "--deleted")["deleted"]
    paths = {f["path"] for f in files}
    assert not any("/.wh." in p for p in paths)
    assert all(d["layer"] < len(shown["layers"]) for d in deleted)
    if format_name == "oci-layout":
        config = json.loads(run("skopeo", "--tmpdir", str(TMP), "inspect", "--config", "--raw",
                                f"oci:{path}"))
        assert [l["diff_id"] for l in shown["layers"]] == config["rootfs"]["diff_ids"]


def test_shared_whiteout_image_reports_the_hidden_file():
    path = (shared_dir() / "conformance/oci/go-containerregistry/pkg/v1/mutate/testdata"
            / "whiteout_image.tar")
    deleted = bulwark_json("image", "files", str(path), "--deleted")["deleted"]
    assert [(d["path"], d["hidden_by"]) for d in deleted] == [("/foo.txt", "whiteout")]
    files = {f["path"] for f in bulwark_json("image", "files", str(path))["files"]}
    assert "/foo.txt" not in files
