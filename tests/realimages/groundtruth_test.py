"""Every image variant that ../shared/realimages/build.sh makes, read by Bulwark and compared with
that script's ground truth ($R/groundtruth/<name>.*.tsv, made with Python's tarfile and checked
against `umoci unpack`): every file with its type, mode, owner, size, link target, layer and
sha256; the whiteouts of each layer; the setuid/setgid list; each layer's diff_id, size and entry
count.

Slow (several GB decompressed). Skipped unless BULWARK_REALIMAGES_DIR names a built output dir:
    R=/tmp/realimages bash ../shared/realimages/build.sh
    BULWARK_REALIMAGES_DIR=/tmp/realimages bazel test //tests/realimages:groundtruth_test
(.bazelrc passes the variable through to tests.)
"""

import csv
import os
import pathlib

import pytest

from bulwark_testing import runfile
import trees

TREE_DUMP = runfile("tests/realimages/tree_dump")


def variant(name, path, reference, platform, truth):
    """An image under $R, how to choose it, and the ground truth it must match."""
    return pytest.param(path, reference, platform, truth, id=name)


VARIANTS = [
    variant("app umoci layout", "app/oci-umoci", "1.0", "", "app"),
    variant("app OCI layout", "app/app-oci", "", "", "app"),
    variant("app OCI archive", "app/app-oci-archive.tar", "", "", "app"),
    variant("app docker-archive", "app/app-docker-archive.tar", "", "", "app"),
    variant("app zstd layout", "app/app-oci-zstd", "", "", "app"),
    variant("app uncompressed layout", "app/app-oci-uncompressed", "", "", "app"),
    variant("buildah OCI layout", "buildah/buildah-app-oci", "", "", "buildah"),
    variant("buildah OCI archive", "buildah/buildah-app.oci-archive.tar", "", "", "buildah"),
    variant("buildah docker-archive", "buildah/buildah-app.docker-archive.tar", "", "", "buildah"),
    variant("multiarch index amd64", "multiarch/debian-minbase-multi-oci", "", "linux/amd64",
            "multiarch-amd64"),
    variant("multiarch index arm64", "multiarch/debian-minbase-multi-oci", "", "linux/arm64/v8",
            "multiarch-arm64"),
    variant("multiarch archive arm64", "multiarch/debian-minbase-multi.oci-archive.tar", "",
            "linux/arm64", "multiarch-arm64"),
    variant("multiarch docker-archive arm64", "multiarch/debian-minbase-arm64.docker-archive.tar",
            "", "", "multiarch-arm64"),
    variant("big umoci layout", "big/oci-umoci", "1.0", "", "big"),
    variant("big zstd layout", "big/big-oci-zstd", "", "", "big"),
    variant("big OCI archive", "big/big-oci-archive.tar", "", "", "big"),
    variant("big docker-archive", "big/big-docker-archive.tar", "", "", "big"),
]

# Our entry types as the ground truth names them.
TYPE_NAMES = {"regular": "file", "directory": "dir", "symlink": "symlink", "hardlink": "hardlink",
              "char-device": "char", "block-device": "block", "fifo": "fifo"}


def realimages_dir() -> pathlib.Path:
    configured = os.environ.get("BULWARK_REALIMAGES_DIR", "")
    if not configured or not (pathlib.Path(configured) / "groundtruth").is_dir():
        pytest.skip("set BULWARK_REALIMAGES_DIR to an output dir of ../shared/realimages/build.sh "
                    f"(with groundtruth/); it is {configured!r}")
    return pathlib.Path(configured)


def table(path: pathlib.Path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def expected_files(rows):
    return {r["path"]: (r["type"], r["mode"], r["uid"], r["gid"], r["size"], r["linkname"],
                        r["from_layer"], r["sha256"]) for r in rows}


def actual_files(dump):
    files = {}
    for path, kind, mode, uid, gid, size, link, layer, sha in dump.files:
        t = TYPE_NAMES[kind]
        files[path] = (t, mode, uid, gid, size if t == "file" else "0", link, str(int(layer) + 1),
                       sha if t in ("file", "hardlink") else "")
    return files


def differences(ours, expected, limit=40):
    problems = [f"{p}: bulwark {ours.get(p)} != truth {expected.get(p)}"
                for p in sorted(set(ours) | set(expected)) if ours.get(p) != expected.get(p)]
    return problems[:limit] + ([f"... {len(problems) - limit} more"]
                               if len(problems) > limit else [])


@pytest.mark.parametrize("path,reference,platform,truth", VARIANTS)
def test_variant_matches_ground_truth(path, reference, platform, truth):
    root = realimages_dir()
    image = root / path
    prefix = root / "groundtruth" / truth
    if not image.exists() or not (prefix.parent / (truth + ".files.tsv")).exists():
        pytest.skip(f"{image} or its ground truth {truth} was not built")
    dump = trees.dump_image(TREE_DUMP, image, reference, platform)

    layers = table(pathlib.Path(f"{prefix}.layers.tsv"))
    assert [(r["diff_id"], r["uncompressed_size"], r["tar_entries"]) for r in layers] == [
        (diff_id, size, entries) for _, diff_id, size, entries in dump.layers]

    whiteouts = table(pathlib.Path(f"{prefix}.whiteouts.tsv"))
    assert sorted((r["layer_idx"], r["deleted_path"], r["kind"]) for r in whiteouts) == sorted(
        (str(int(layer) + 1), hidden, kind) for layer, hidden, kind in dump.whiteouts)

    ours = actual_files(dump)
    assert differences(ours, expected_files(table(pathlib.Path(f"{prefix}.files.tsv")))) == []

    setuid = table(pathlib.Path(f"{prefix}.setuid.tsv"))
    assert sorted(r["path"] for r in setuid) == sorted(
        p for p, f in ours.items() if f[0] in ("file", "hardlink") and int(f[1], 8) & 0o6000)
