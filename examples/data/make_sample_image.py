#!/usr/bin/env python3
"""Writes examples/data/sample-image/, the tiny OCI image layout `bulwark scan` is shown on.

Deterministic (fixed mtimes, owners and gzip headers): running it again gives the same bytes, and
a test checks that the checked-in copy is what this script writes. No third-party binaries: the
layers hold a few small text files. Every secret in it is fake (random-looking strings made up
for this sample) and planted on purpose, with risky build history to match:

  layer 0  base files: /etc/passwd, /etc/group, a setuid script /usr/bin/pinger, an executable
           in /tmp, a world-writable /srv/uploads, a file owned by an unknown uid
  layer 1  ADD https://.../app.tar.gz /app/: /app/config.env (AWS key pair, a DB URL with a
           password), /app/deploy_key (an OpenSSH private key), /root/.docker/config.json
  layer 2  RUN curl ... | sh, apt-get install without pinning or cleanup, chmod 777, chmod 4755
  layer 3  RUN rm /app/deploy_key: a whiteout, so the key is deleted but still shipped
  config   ENV DB_PASSWORD=..., GITHUB_TOKEN in the environment, no USER, EXPOSE 22, no HEALTHCHECK

    python3 examples/data/make_sample_image.py [OUTPUT_DIR]   # default: beside this script
"""

import gzip
import hashlib
import io
import json
import pathlib
import shutil
import sys
import tarfile

MTIME = 1700000000  # 2023-11-14T22:13:20Z
CREATED = "2023-11-14T22:13:20Z"

# Fake credentials in the vendors' formats (made up for this sample; none was ever issued).
AWS_KEY_ID = "AKIA" + "QX7ZB4NDR2WLKP3M"
AWS_SECRET = "q9Zt/4vLmX" + "2pR8sWn+Kd7Hy3Bf" + "6Jc1Qe0Ta5Uv8X"
GITHUB_TOKEN = "ghp_" + "s4mPl3T0k3nN0tR3aL" + "q8Zx2Cv6Bn1Mk5Lj9Hg0"
DB_PASSWORD = "Sampl3-Pa55word!"
DOCKER_AUTH = "c2FtcGxlOnM0bXBsM1JlZ2lzdHJ5UGFzcw=="  # base64 of a fake user:password
SSH_KEY_BODY = "\n".join([
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
    "QyNTUxOQAAACBzYW1wbGUta2V5LW5vdC1yZWFsLWZvci1idWx3YXJrLWRlbW8AAAAJAAAA",
    "c2FtcGxlIGtleSBmb3IgdGhlIGJ1bHdhcmsgc2NhbiBkZW1vLCBub3QgYSByZWFsIGtleQ==",
])


def tar_layer(entries):
    """A gzip-compressed tar of `entries`: (path, mode, content or None for a dir, uid)."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path, mode, content, uid in entries:
            info = tarfile.TarInfo(path)
            info.mtime = MTIME
            info.mode = mode
            info.uid = info.gid = uid
            info.uname = info.gname = ""
            if content is None:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            else:
                data = content.encode()
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    uncompressed = raw.getvalue()
    compressed = io.BytesIO()
    with gzip.GzipFile(fileobj=compressed, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(uncompressed)
    return compressed.getvalue(), "sha256:" + hashlib.sha256(uncompressed).hexdigest()


def layers():
    base = [
        ("etc", 0o755, None, 0),
        ("etc/passwd", 0o644, "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n", 0),
        ("etc/group", 0o644, "root:x:0:\nnogroup:x:65534:\n", 0),
        ("etc/os-release", 0o644, 'NAME="Bulwark sample"\nID=bulwark-sample\nVERSION_ID="1"\n', 0),
        ("usr", 0o755, None, 0),
        ("usr/bin", 0o755, None, 0),
        ("usr/bin/pinger", 0o4755, "#!/bin/sh\necho pong\n", 0),
        ("tmp", 0o1777, None, 0),
        ("tmp/.x", 0o755, "#!/bin/sh\n# stand-in for a dropped binary\nsleep 1\n", 0),
        ("srv", 0o755, None, 0),
        ("srv/uploads", 0o777, None, 0),
        ("srv/uploads/readme.txt", 0o644, "uploads land here\n", 4242),
    ]
    app = [
        ("app", 0o755, None, 0),
        ("app/config.env", 0o644,
         f"AWS_ACCESS_KEY_ID={AWS_KEY_ID}\nAWS_SECRET_ACCESS_KEY={AWS_SECRET}\n"
         f"DATABASE_URL=postgres://app:{DB_PASSWORD}@db:5432/app\n", 0),
        ("app/deploy_key", 0o600,
         f"-----BEGIN OPENSSH PRIVATE KEY-----\n{SSH_KEY_BODY}\n-----END OPENSSH PRIVATE KEY-----\n", 0),
        ("app/server.js", 0o644, "require('http').createServer((q, s) => s.end('ok')).listen(8080);\n", 0),
        ("root", 0o700, None, 0),
        ("root/.docker", 0o700, None, 0),
        ("root/.docker/config.json", 0o600,
         json.dumps({"auths": {"registry.example.com": {"auth": DOCKER_AUTH}}}, indent=1) + "\n", 0),
    ]
    run = [
        ("usr/bin/pinger", 0o4755, "#!/bin/sh\necho pong v2\n", 0),
        ("var", 0o755, None, 0),
        ("var/lib", 0o755, None, 0),
        ("var/lib/apt", 0o755, None, 0),
        ("var/lib/apt/lists", 0o755, None, 0),
        ("var/lib/apt/lists/deb.example_dists_stable_InRelease", 0o644, "Origin: example\n", 0),
    ]
    cleanup = [("app", 0o755, None, 0), ("app/.wh.deploy_key", 0o644, "", 0)]
    return [base, app, run, cleanup]


HISTORY = [
    ("/bin/sh -c #(nop) ADD file:5f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8 in / ", False),
    ("/bin/sh -c #(nop) ADD https://downloads.example.com/app.tar.gz /app/ ", False),
    ("/bin/sh -c #(nop)  ENV DB_PASSWORD=" + DB_PASSWORD, True),
    ("/bin/sh -c curl -fsSL https://get.example.com/install.sh | sh && apt-get update && "
     "apt-get install -y curl && chmod 777 /srv/uploads && chmod 4755 /usr/bin/pinger", False),
    ("/bin/sh -c rm -f /app/deploy_key", False),
    ('/bin/sh -c #(nop)  EXPOSE 22/tcp 8080/tcp', True),
    ('/bin/sh -c #(nop)  CMD ["node" "/app/server.js"]', True),
]


def write_blob(root, data):
    digest = hashlib.sha256(data).hexdigest()
    (root / "blobs" / "sha256" / digest).write_bytes(data)
    return {"digest": "sha256:" + digest, "size": len(data)}


def canonical(document):
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def main():
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).parent / "sample-image"
    if out.exists():
        shutil.rmtree(out)
    (out / "blobs" / "sha256").mkdir(parents=True)
    (out / "oci-layout").write_text('{"imageLayoutVersion":"1.0.0"}')

    layer_descriptors, diff_ids = [], []
    for entries in layers():
        blob, diff_id = tar_layer(entries)
        layer_descriptors.append(
            {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", **write_blob(out, blob)})
        diff_ids.append(diff_id)

    config = {
        "created": CREATED,
        "architecture": "amd64",
        "os": "linux",
        "config": {
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    "DB_PASSWORD=" + DB_PASSWORD, "GITHUB_TOKEN=" + GITHUB_TOKEN],
            "ExposedPorts": {"22/tcp": {}, "8080/tcp": {}},
            "Cmd": ["node", "/app/server.js"],
            "WorkingDir": "/app",
            "Labels": {"org.opencontainers.image.title": "bulwark-sample"},
        },
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [dict({"created": CREATED, "created_by": created_by},
                         **({"empty_layer": True} if empty else {}))
                    for created_by, empty in HISTORY],
    }
    config_descriptor = {"mediaType": "application/vnd.oci.image.config.v1+json",
                         **write_blob(out, canonical(config))}
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": config_descriptor, "layers": layer_descriptors}
    manifest_descriptor = {"mediaType": "application/vnd.oci.image.manifest.v1+json",
                           **write_blob(out, canonical(manifest)),
                           "annotations": {"org.opencontainers.image.ref.name": "latest"}}
    index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
             "manifests": [manifest_descriptor]}
    (out / "index.json").write_bytes(canonical(index))


if __name__ == "__main__":
    main()
