#!/usr/bin/python3
"""Builds the hostile-image corpus at test time: crafted OCI layouts, OCI archives,
docker-archives and single layer tarballs, each with the outcome Bulwark must give.

    generate.py OUT_DIR SENTINEL_DIR

writes the images under OUT_DIR and OUT_DIR/cases.json, a list of cases:

    {"name": ..., "path": <relative to OUT_DIR>,
     "limits": {<core::Limits field>: n, ...}, "max_index_depth": n,   (optional)
     "verify": "report",                                              (optional)
     "extract": true,          (extract into a fresh dest beside SENTINEL_DIR, then check it)
     "expect": {"stage": "open"|"walk"|"ok", "code": "DATA_LOSS", "message": <substring>},
     "finding": <rule id>, "skipped": <substring of a skipped path>}           (optional)

SENTINEL_DIR is what escapes aim at (absolute symlinks, "../" chains from the extraction
directory, which the driver places next to it); the driver checks it is unchanged afterwards.
Only the standard library is used; zstd blobs come from the `zstd` CLI.
"""

import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
LAYER_MEDIA = {
    "tar": "application/vnd.oci.image.layer.v1.tar",
    "gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
    "zstd": "application/vnd.oci.image.layer.v1.tar+zstd",
}


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


# ---- layer tar members --------------------------------------------------------------------


def f(name, data=b"x", mode=0o644):
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), mode
    return info, data


def d(name, mode=0o755):
    info = tarfile.TarInfo(name)
    info.type, info.mode = tarfile.DIRTYPE, mode
    return info, None


def link(name, target, kind=tarfile.SYMTYPE):
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info, None


def dev(name, kind, major, minor):
    info = tarfile.TarInfo(name)
    info.type, info.devmajor, info.devminor = kind, major, minor
    return info, None


def tar(members, fmt=tarfile.PAX_FORMAT):
    """Tar bytes; names are stored as given (no stripping of "/" or ".."), non-UTF-8 kept."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=fmt, encoding="utf-8",
                      errors="surrogateescape") as archive:
        for info, data in members:
            info.mtime = 0
            archive.addfile(info, io.BytesIO(data) if data is not None else None)
    return out.getvalue()


def compress(kind, data):
    if kind == "gzip":
        return gzip.compress(data, compresslevel=6, mtime=0)
    if kind == "zstd":
        return subprocess.run(["zstd", "-q", "-c", "-3"], input=data, check=True,
                              stdout=subprocess.PIPE).stdout
    return data


def raw_header(name, size_field):
    """A ustar header block whose size field is written verbatim (e.g. base-256 huge sizes)."""
    block = bytearray(512)
    block[0:len(name)] = name
    block[100:108] = b"0000644\0"
    block[108:116] = b"0000000\0"
    block[116:124] = b"0000000\0"
    block[124:136] = size_field
    block[136:148] = b"00000000000\0"
    block[156:157] = b"0"
    block[257:265] = b"ustar\x0000"
    block[148:156] = b" " * 8
    block[148:156] = b"%06o\0 " % sum(block)
    return bytes(block)


def many_entries_tar_gz(count):
    """`count` empty files as one gzip stream, written header by header (fast for 10^6)."""
    template = bytearray(raw_header(b"", b"00000000000\0"))
    template[148:156] = b" " * 8
    base = sum(template)
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=1, mtime=0) as stream:
        chunk = []
        for i in range(count):
            block = bytearray(template)
            name = b"f%07d" % i
            block[0:len(name)] = name
            block[148:156] = b"%06o\0 " % (base + sum(name))
            chunk.append(block)
            if len(chunk) == 4096:
                stream.write(b"".join(chunk))
                chunk = []
        stream.write(b"".join(chunk) + bytes(1024))
    return out.getvalue()


def zeros_bomb(kind, size):
    """A layer holding one file of `size` zero bytes, compressed by `kind`, streamed."""
    header = raw_header(b"bomb", b"%011o\0" % size)
    zeros = bytes(1 << 20)
    with tempfile.TemporaryFile() as out:
        if kind == "gzip":
            stream = gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9, mtime=0)
        else:
            # Output goes to a file, not a pipe, so writing stdin cannot deadlock.
            process = subprocess.Popen(["zstd", "-q", "-c", "-3"], stdin=subprocess.PIPE,
                                       stdout=out)
            stream = process.stdin
        stream.write(header)
        for _ in range(size >> 20):
            stream.write(zeros)
        stream.write(bytes(1024))
        stream.close()
        if kind != "gzip" and process.wait() != 0:
            raise RuntimeError("zstd failed")
        out.seek(0)
        return out.read()


# ---- image containers ---------------------------------------------------------------------


class Layout:
    """An OCI image layout directory being written."""

    def __init__(self, root):
        self.root = root
        os.makedirs(os.path.join(root, "blobs", "sha256"))
        self.write("oci-layout", b'{"imageLayoutVersion":"1.0.0"}')

    def write(self, relative, data):
        with open(os.path.join(self.root, relative), "wb") as out:
            out.write(data)

    def blob(self, media_type, data, **fields):
        """Stores `data` under its digest; returns its descriptor (fields override)."""
        self.write(f"blobs/sha256/{sha256(data)[7:]}", data)
        return {"mediaType": media_type, "digest": sha256(data), "size": len(data), **fields}

    def path(self, digest):
        return os.path.join(self.root, "blobs", "sha256", digest[7:])

    def image(self, layers):
        """Stores config, layers ((compression, tar bytes)) and manifest; returns the manifest's
        descriptor."""
        return self.raw_image([self.blob(LAYER_MEDIA[kind], compress(kind, t))
                               for kind, t in layers], [sha256(t) for _, t in layers])

    def raw_image(self, layers, diff_ids):
        """Stores a config with `diff_ids` and a manifest of the `layers` descriptors."""
        config = {"architecture": "amd64", "os": "linux",
                  "rootfs": {"type": "layers", "diff_ids": diff_ids}}
        manifest = {"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                    "config": self.blob(OCI_CONFIG, json.dumps(config).encode()), "layers": layers}
        return self.blob(OCI_MANIFEST, json.dumps(manifest).encode())

    def manifest(self, descriptor):
        with open(self.path(descriptor["digest"]), "rb") as blob:
            return json.load(blob)

    def index(self, *manifests, raw=None):
        self.write("index.json", raw if raw is not None else json.dumps(
            {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": list(manifests)}).encode())


def tar_directory(source, destination):
    with tarfile.open(destination, "w", format=tarfile.PAX_FORMAT) as archive:
        for name in sorted(os.listdir(source)):
            archive.add(os.path.join(source, name), arcname=name)


def write_tar(path, members):
    with open(path, "wb") as out:
        out.write(tar(members))


def docker_config(layer):
    return json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {
        "type": "layers", "diff_ids": [sha256(layer)]}}).encode()


def docker_archive(path, layer, fields, manifest=None, extra=()):
    """A `docker save` archive of one layer ("00/layer.tar") and its "<hex>.json" config; its
    manifest.json entry takes `fields` (or the whole document is `manifest`)."""
    config = docker_config(layer)
    config_name = sha256(config)[7:] + ".json"
    entry = {"Config": config_name, "RepoTags": ["hostile:latest"], "Layers": ["00/layer.tar"],
             **fields}
    members = [f(config_name, config), f("00/layer.tar", layer), *extra,
               f("manifest.json", json.dumps(manifest or [entry]).encode())]
    write_tar(path, members)


def read(path):
    with open(path, "rb") as blob:
        return blob.read()


def nest(depth):
    return "[" * depth + "]" * depth


# ---- cases --------------------------------------------------------------------------------

SMALL = {"max_total_bytes": 8 << 20, "max_entries": 10000, "max_file_bytes": 1 << 20}


def error(stage, code, message):
    return {"stage": stage, "code": code, "message": message}


OK = {"stage": "ok"}


def build(out, sentinel):
    os.makedirs(out, exist_ok=True)
    cases = []

    def case(name, path, expect, **fields):
        cases.append({"name": name, "path": path, "expect": expect,
                      "limits": fields.pop("limits", SMALL), **fields})

    def layer_file(name, members, kind="tar", fmt=tarfile.PAX_FORMAT):
        with open(os.path.join(out, name), "wb") as output:
            output.write(compress(kind, tar(members, fmt)))
        return name

    def layout(name):
        return Layout(os.path.join(out, name)), name

    # Entry paths and links that leave the root.
    case("dotdot_entries", layer_file("dotdot.tar", [
        f("ok"), f("../escape"), f("a/../../escape2"),
        f("../" * 32 + sentinel[1:] + "/dotdot")]),
         OK, finding="BLK-LAYER-UNSAFE-PATH", extract=True)
    case("absolute_entries", layer_file("absolute.tar", [
        f("ok"), f("/etc/bulwark-hostile"), f(sentinel + "/absolute"), d("/abs-dir")]),
         OK, finding="BLK-LAYER-UNSAFE-PATH", extract=True)
    case("symlink_escape_write_through", layer_file("symlink_escape.tar", [
        link("rel", "../sentinel"), link("abs", sentinel), f("rel/pwned"), f("abs/pwned"),
        link("victim", sentinel + "/victim"), f("victim", b"overwritten")]),
         OK, extract=True)
    lay, name = layout("symlink_escape_layers")
    lay.index(lay.image([
        ("tar", tar([link("rel", "../sentinel"), link("abs", sentinel),
                     link("victim", sentinel + "/victim")])),
        ("gzip", tar([f("rel/pwned"), f("abs/pwned"), f("victim", b"overwritten"),
                      d("abs/dir"), link("rel/link", "/"), link("abs", "/tmp")]))]))
    case("symlink_escape_across_layers", name, OK, extract=True)
    case("hardlink_escape", layer_file("hardlink_escape.tar", [
        f("ok", b"fine"), link("out", "../sentinel/victim", tarfile.LNKTYPE),
        link("abs", sentinel + "/victim", tarfile.LNKTYPE),
        link("sym", sentinel + "/victim"), link("through_sym", "sym", tarfile.LNKTYPE),
        f("through_sym", b"overwritten")]),
         OK, finding="BLK-LAYER-UNSAFE-PATH", extract=True)
    case("device_nodes", layer_file("devices.tar", [
        dev("dev/mem", tarfile.CHRTYPE, 1, 1), dev("dev/sda", tarfile.BLKTYPE, 8, 0),
        dev("victim", tarfile.CHRTYPE, 1, 3), link("fifo", sentinel + "/fifo"),
        dev("fifo", tarfile.FIFOTYPE, 0, 0)]),
         OK, extract=True, skipped="dev/mem")

    # Sizes, counts and names beyond the caps.
    with open(os.path.join(out, "huge_size.tar"), "wb") as output:
        output.write(raw_header(b"huge", b"\x80" + (1 << 62).to_bytes(11, "big")) + b"x" * 4096)
    case("huge_size_header", "huge_size.tar", error("open", "DATA_LOSS", "huge_size.tar"))
    lay, name = layout("huge_size_layer")
    huge = raw_header(b"huge", b"77777777777\0") + bytes(4096)
    layer = lay.blob(LAYER_MEDIA["tar"], huge)
    lay.index(lay.raw_image([layer], [layer["digest"]]))
    case("huge_size_header_in_layout", name, error("walk", "DATA_LOSS", layer["digest"]))
    lay, name = layout("million_entries")
    blob = many_entries_tar_gz(1_000_000)
    lay.index(lay.raw_image([lay.blob(LAYER_MEDIA["gzip"], blob)], ["sha256:" + "0" * 64]))
    case("million_entries", name, error("walk", "RESOURCE_EXHAUSTED", "max_entries"),
         limits={**SMALL, "max_entries": 5000})
    with open(os.path.join(out, "million_entries.tar.gz"), "wb") as output:
        output.write(blob)
    case("million_entries_tarball", "million_entries.tar.gz",
         error("open", "RESOURCE_EXHAUSTED", "max_entries"), limits={**SMALL, "max_entries": 5000})
    case("long_name", layer_file("long_name.tar", [f("a" * 5000)]),
         error("open", "RESOURCE_EXHAUSTED", "max_path_length"),
         limits={**SMALL, "max_path_length": 4096})
    case("long_symlink_target", layer_file("long_target.tar", [link("l", "b/" * 3000)]),
         error("walk", "RESOURCE_EXHAUSTED", "max_path_length"),
         limits={**SMALL, "max_path_length": 4096})
    case("deep_long_path_within_limits",
         layer_file("deep_path.tar", [f("/".join(["d" * 200] * 20) + "/file")]), OK,
         extract=True)
    case("non_utf8_names", layer_file("non_utf8.tar", [
        f("caf\udce9"), f("\udcff\udcfe/x"), link("l\udc80", "\udcff\udcfe/x"),
        f("ctrl\x01\x1b[31m")], fmt=tarfile.GNU_FORMAT), OK, extract=True)
    case("non_utf8_pax_names", layer_file("non_utf8_pax.tar", [f("pax\udce9" + "x" * 120)]), OK)

    # Compression bombs.
    for kind, size in (("gzip", 256 << 20), ("zstd", 1 << 30)):
        lay, name = layout(f"{kind}_bomb")
        blob = zeros_bomb(kind, size)
        lay.index(lay.raw_image([lay.blob(LAYER_MEDIA[kind], blob)], ["sha256:" + "0" * 64]))
        case(f"{kind}_bomb", name, error("walk", "RESOURCE_EXHAUSTED", "max_total_bytes"),
             limits={**SMALL, "max_total_bytes": 1 << 20})
        with open(os.path.join(out, f"{kind}_bomb.tar.{kind}"), "wb") as output:
            output.write(blob)
        case(f"{kind}_bomb_tarball", f"{kind}_bomb.tar.{kind}",
             error("open", "RESOURCE_EXHAUSTED", "max_total_bytes"),
             limits={**SMALL, "max_total_bytes": 1 << 20})

    # One small layer listed many times: each copy stays below max_total_bytes, their sum does
    # not (a 33 KB zstd blob expanding to 1 GiB, listed 10,000 times, would be 10 TiB).
    lay, name = layout("repeated_layer")
    blob = tar([f("zeros", bytes(1 << 20))])
    layer = lay.blob(LAYER_MEDIA["gzip"], compress("gzip", blob))
    lay.index(lay.raw_image([layer] * 16, [sha256(blob)] * 16))
    case("repeated_layer_total", name, error("walk", "RESOURCE_EXHAUSTED", "max_total_bytes"),
         limits={**SMALL, "max_total_bytes": 4 << 20})

    # Integrity: truncation, digest and size mismatches.
    content = tar([f("etc/passwd", b"root:x:0:0::/root:/bin/sh\n" * 100)])
    lay, name = layout("truncated_layer")
    manifest = lay.image([("gzip", content)])
    lay.index(manifest)
    layer = lay.manifest(manifest)["layers"][0]
    lay.write(lay.path(layer["digest"]), read(lay.path(layer["digest"]))[:layer["size"] // 2])
    case("truncated_layer", name, error("walk", "DATA_LOSS", layer["digest"]))
    lay, name = layout("layer_digest_mismatch")
    manifest = lay.image([("tar", content)])
    lay.index(manifest)
    layer = lay.manifest(manifest)["layers"][0]
    data = bytearray(read(lay.path(layer["digest"])))
    data[600] ^= 1  # A byte of the file's content: still a valid tar.
    lay.write(lay.path(layer["digest"]), data)
    case("layer_digest_mismatch", name, error("walk", "DATA_LOSS", "blob digest mismatch"))
    case("layer_digest_mismatch_report", name, OK, verify="report",
         finding="BLK-LAYER-DIGEST-MISMATCH")
    lay, name = layout("layer_size_mismatch")
    blob = compress("gzip", content)
    lay.index(lay.raw_image([lay.blob(LAYER_MEDIA["gzip"], blob, size=len(blob) - 1)],
                            [sha256(content)]))
    case("layer_size_mismatch", name, error("walk", "DATA_LOSS", "blob size mismatch"))
    lay, name = layout("config_digest_mismatch")
    manifest = lay.image([("tar", content)])
    path = lay.path(lay.manifest(manifest)["config"]["digest"])
    lay.write(path, read(path).replace(b"amd64", b"arm64"))  # Same size, other digest.
    lay.index(manifest)
    case("config_digest_mismatch", name, error("open", "DATA_LOSS", "digest mismatch"))
    lay, name = layout("manifest_digest_mismatch")
    manifest = lay.image([("tar", content)])
    path = lay.path(manifest["digest"])
    lay.write(path, read(path).replace(b'"schemaVersion": 2', b'"schemaVersion":  2'))
    lay.index({**manifest, "size": manifest["size"] + 1})
    case("manifest_digest_mismatch", name, error("open", "DATA_LOSS", "digest mismatch"))
    lay, name = layout("manifest_size_mismatch")
    manifest = lay.image([("tar", content)])
    lay.index({**manifest, "size": manifest["size"] - 10})
    case("manifest_size_mismatch", name, error("open", "DATA_LOSS", "size mismatch"))
    lay, name = layout("manifest_size_huge")
    manifest = lay.image([("tar", content)])
    lay.index({**manifest, "size": 1 << 62})
    case("manifest_size_huge", name, error("open", "RESOURCE_EXHAUSTED", "max_file_bytes"))

    # Descriptors pointing outside the layout.
    for label, digest, code, message in (
            ("dotdot_digest", "sha256:../../../../etc/passwd", "INVALID_ARGUMENT",
             "malformed encoded part"),
            ("dotdot_hex_digest", "sha256:" + "../" * 21 + "a", "INVALID_ARGUMENT",
             "malformed encoded part"),
            ("unknown_algorithm", "sha257:" + "a" * 64, "UNIMPLEMENTED",
             'unsupported digest algorithm "sha257"'),
            ("slash_algorithm", "../../etc:" + "a" * 64, "INVALID_ARGUMENT",
             "malformed algorithm")):
        lay, name = layout(label)
        lay.index({"mediaType": OCI_MANIFEST, "digest": digest, "size": 10})
        case(label, name, error("open", code, message))
    lay, name = layout("blob_symlink_outside")
    manifest = lay.image([("tar", content)])
    os.remove(lay.path(manifest["digest"]))
    os.symlink(sentinel + "/victim", lay.path(manifest["digest"]))
    lay.index(manifest)
    case("blob_symlink_outside", name, error("open", "INVALID_ARGUMENT", "outside the layout"))
    lay, name = layout("blob_symlink_outside_archive")
    manifest = lay.image([("tar", content)])
    os.remove(lay.path(manifest["digest"]))
    os.symlink("../../../../../etc/passwd", lay.path(manifest["digest"]))
    lay.index(manifest)
    tar_directory(lay.root, os.path.join(out, "blob_symlink_outside.oci.tar"))
    case("oci_archive_blob_link_outside", "blob_symlink_outside.oci.tar",
         error("open", "INVALID_ARGUMENT", "links outside the archive"))

    # JSON bombs and duplicate keys.
    lay, name = layout("index_nesting_bomb")
    lay.index(raw=('{"schemaVersion":2,"manifests":[],"annotations":' + nest(100000) +
                   "}").encode())
    case("index_nesting_bomb", name, error("open", "RESOURCE_EXHAUSTED", "max_depth"))
    lay, name = layout("manifest_nesting_bomb")
    bomb = ('{"schemaVersion":2,"config":' + nest(50000) + "}").encode()
    lay.index(lay.blob(OCI_MANIFEST, bomb))
    case("manifest_nesting_bomb", name, error("open", "RESOURCE_EXHAUSTED", "max_depth"))
    lay, name = layout("index_duplicate_keys")
    manifest = lay.image([("tar", content)])
    lay.index(raw=('{"schemaVersion":2,"manifests":[],"manifests":[' + json.dumps(manifest) +
                   "]}").encode())
    case("index_duplicate_keys", name, error("open", "INVALID_ARGUMENT", "duplicate key"))
    lay, name = layout("manifest_duplicate_keys")
    manifest = lay.image([("tar", content)])
    lay.index(lay.blob(OCI_MANIFEST, read(lay.path(manifest["digest"]))[:-1] + b', "layers": []}'))
    case("manifest_duplicate_keys", name, error("open", "INVALID_ARGUMENT", "duplicate key"))

    # Index graphs: a cycle (content addressing makes a real one impossible, so the blob lies
    # about its digest) and a chain deeper than max_index_depth.
    lay, name = layout("index_cycle")
    fake = "sha256:" + "c" * 64
    cyclic = json.dumps({"schemaVersion": 2, "manifests": [
        {"mediaType": OCI_INDEX, "digest": fake, "size": 0}]}).encode()
    cyclic = json.dumps({"schemaVersion": 2, "manifests": [
        {"mediaType": OCI_INDEX, "digest": fake, "size": len(cyclic)}]}).encode()
    lay.write(lay.path(fake), cyclic)
    lay.index({"mediaType": OCI_INDEX, "digest": fake, "size": len(cyclic)})
    case("index_cycle", name, error("open", "DATA_LOSS", "digest mismatch"))
    lay, name = layout("deep_indexes")
    child = lay.image([("tar", content)])
    for _ in range(40):
        child = lay.blob(OCI_INDEX, json.dumps({"schemaVersion": 2, "mediaType": OCI_INDEX,
                                                "manifests": [child]}).encode())
    lay.index(child)
    case("deep_indexes", name, error("open", "RESOURCE_EXHAUSTED", "max_index_depth"))
    lay, name = layout("wide_index")
    manifest = lay.image([("tar", content)])
    lay.index(*[lay.blob(OCI_INDEX, json.dumps({"schemaVersion": 2, "manifests": [manifest] * 100,
                                                "annotations": {"n": str(i)}}).encode())
                for i in range(50)])
    case("wide_index", name, error("open", "RESOURCE_EXHAUSTED", "max_entries"),
         limits={**SMALL, "max_entries": 2000})

    # docker-archive members.
    plain = tar([f("etc/hostname", b"hostile\n")])
    for label, entry, code, message in (
            ("docker_layer_outside", {"Layers": ["../../../etc/passwd"]}, "NOT_FOUND",
             "../../../etc/passwd"),
            ("docker_layer_absolute", {"Layers": ["/etc/passwd"]}, "NOT_FOUND", "etc/passwd"),
            ("docker_layer_missing", {"Layers": ["ff/layer.tar"]}, "NOT_FOUND", "ff/layer.tar"),
            ("docker_config_outside", {"Config": "../config.json"}, "NOT_FOUND",
             "../config.json"),
            ("docker_layer_symlink_loop", {"Layers": ["loop/layer.tar"]}, "INVALID_ARGUMENT",
             "link loop"),
            ("docker_layer_symlink_outside", {"Layers": ["out/layer.tar"]}, "INVALID_ARGUMENT",
             "links outside the archive"),
            ("docker_layer_is_directory", {"Layers": ["dir"]}, "INVALID_ARGUMENT",
             "not a file"),
            ("docker_manifest_nesting_bomb", None, "RESOURCE_EXHAUSTED", "max_depth")):
        docker_archive(os.path.join(out, label + ".tar"), plain, entry or {},
                       manifest=None if entry else [json.loads(nest(600))], extra=[
                           d("dir"), link("loop/layer.tar", "../loop2/layer.tar"),
                           link("loop2/layer.tar", "../loop/layer.tar"),
                           link("out/layer.tar", "../../../../etc/passwd")])
        case(label, label + ".tar", error("open", code, message))
    docker_archive(os.path.join(out, "docker_config_digest_mismatch.tar"), plain,
                   {"Config": "a" * 64 + ".json"}, extra=[f("a" * 64 + ".json",
                                                            docker_config(plain))])
    case("docker_config_digest_mismatch", "docker_config_digest_mismatch.tar",
         error("open", "DATA_LOSS", "config digest mismatch"))

    # Whiteouts.
    base = ("tar", tar([d("etc"), f("etc/passwd"), f("file"), f("keep")]))
    for label, members, expect in (
            ("whiteout_dotdot", [f("etc/.wh...")],
             error("walk", "INVALID_ARGUMENT", 'whiteout of ".."')),
            ("whiteout_dot", [f("etc/.wh..")],
             error("walk", "INVALID_ARGUMENT", 'whiteout of "."')),
            ("whiteout_dotdot_path", [f("../.wh.keep"), f(".wh.../x")], OK),
            ("opaque_odd_places", [f(".wh..wh..opq"), f("file/.wh..wh..opq"),
                                   f("missing/deep/.wh..wh..opq"), d(".wh..wh..opq"),
                                   f("etc/.wh..wh..opq/x"), link("sl", sentinel),
                                   f("sl/.wh..wh..opq"), f("sl/.wh.victim")], OK)):
        lay, name = layout(label)
        lay.index(lay.image([base, ("tar", tar(members))]))
        case(label, name, expect, extract=expect is OK)

    with open(os.path.join(out, "cases.json"), "w") as output:
        json.dump(cases, output, indent=1)


if __name__ == "__main__":
    build(sys.argv[1], sys.argv[2])
