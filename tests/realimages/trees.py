"""Trees to compare: what Bulwark reads from an image (via the tree_dump binary) and what a real
tool wrote to disk (an unpacked rootfs), as {path: Node} maps.

    ours = image_tree(dump_image(TREE_DUMP, "layout", "1.0"))
    theirs = rootfs_tree(pathlib.Path("bundle/rootfs"))
    assert diff(ours, theirs) == []
"""

import collections
import hashlib
import os
import pathlib
import stat
import subprocess

# type: "file", "dir", "symlink", "fifo", "char", "block"; size and sha256 for files only; link is
# a symlink's target. Hardlinks are files (on disk they are indistinguishable).
Node = collections.namedtuple("Node", "type mode size sha256 link")

Dump = collections.namedtuple("Dump", "layers whiteouts files")

_TYPES = {"regular": "file", "hardlink": "file", "directory": "dir", "symlink": "symlink",
          "fifo": "fifo", "char-device": "char", "block-device": "block"}


def dump_image(tree_dump, image, reference="", platform=""):
    """Runs tree_dump and splits its rows: layers and whiteouts as tuples of strings, files as
    lists of the row's fields (path, type, mode, uid, gid, size, link, layer, sha256)."""
    args = [str(tree_dump), str(image)] + ([reference, platform] if reference or platform else [])
    out = subprocess.run(args, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    rows = collections.defaultdict(list)
    for line in out.stdout.splitlines():
        kind, *fields = line.split("\t")
        rows[kind].append(fields)
    return Dump(rows["layer"], rows["whiteout"], rows["file"])


def image_tree(dump):
    tree = {}
    for path, kind, mode, _uid, _gid, size, link, _layer, sha in dump.files:
        t = _TYPES[kind]
        tree[path] = Node(t, int(mode, 8) if t != "symlink" else 0,
                          int(size) if t == "file" else 0, sha if t == "file" else "",
                          link if t == "symlink" else "")
    return tree


def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def rootfs_tree(root: pathlib.Path):
    tree = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            st = os.lstat(full)
            path = "/" + os.path.relpath(full, root)
            if stat.S_ISREG(st.st_mode):
                node = Node("file", stat.S_IMODE(st.st_mode), st.st_size, _sha256(full), "")
            elif stat.S_ISDIR(st.st_mode):
                node = Node("dir", stat.S_IMODE(st.st_mode), 0, "", "")
            elif stat.S_ISLNK(st.st_mode):
                node = Node("symlink", 0, 0, "", os.readlink(full))
            else:
                kind = "fifo" if stat.S_ISFIFO(st.st_mode) else "char" if stat.S_ISCHR(
                    st.st_mode) else "block"
                node = Node(kind, stat.S_IMODE(st.st_mode), 0, "", "")
            tree[path] = node
    return tree


def diff(ours, theirs, limit=50):
    """Readable differences between two trees (at most `limit`), empty when they are equal."""
    problems = []
    for path in sorted(set(ours) | set(theirs)):
        a, b = ours.get(path), theirs.get(path)
        if a != b:
            problems.append(f"{path}: bulwark {a} != {b}")
    return problems[:limit] + ([f"... {len(problems) - limit} more"]
                               if len(problems) > limit else [])
