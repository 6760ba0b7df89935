"""`bulwark sign`, `bulwark verify` and `bulwark sigstore verify-bundle` against data and tools
nobody here wrote: containers/image's cosign fixtures, Sigstore's bundles and trust roots, and
`openssl dgst -verify` for the signatures Bulwark makes."""

import base64
import hashlib
import json
import os
import pathlib
import shutil
import subprocess

import pytest

from bulwark_testing import runfile, shared_dir

BULWARK = str(runfile("examples/cli/bulwark"))
TMP = pathlib.Path(os.environ.get("TEST_TMPDIR", "/tmp"))


def bulwark(*args):
    return subprocess.run([BULWARK, *args], capture_output=True, stdin=subprocess.DEVNULL,
                          check=False)


def sig_dir():
    return shared_dir() / "conformance" / "sig"


def test_verify_containers_image_fixtures():
    fixtures = sig_dir() / "containers-image" / "signature" / "fixtures"
    ok = bulwark("verify", str(fixtures / "dir-img-cosign-mixed"), "--key",
                 str(fixtures / "cosign.pub"))
    assert ok.returncode == 0, ok.stderr
    assert b"verified" in ok.stdout
    wrong_key = bulwark("verify", str(fixtures / "dir-img-cosign-valid"), "--key",
                        str(fixtures / "cosign2.pub"))
    assert wrong_key.returncode == 2
    assert b"cosign: signature: signature verification failed" in wrong_key.stderr
    modified = bulwark("verify", str(fixtures / "dir-img-cosign-modified-manifest"), "--key",
                       str(fixtures / "cosign.pub"))
    assert modified.returncode == 2
    assert b"cosign: manifest digest" in modified.stderr


def test_sign_writes_what_openssl_and_verify_accept():
    layout = TMP / "signed.oci"
    shutil.rmtree(layout, ignore_errors=True)
    shutil.copytree(shared_dir() / "conformance/oci/trivy/pkg/fanal/test/testdata/test.oci", layout)
    key = TMP / "key.pem"
    pub = TMP / "key.pub"
    subprocess.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out",
                    str(key)], check=True)
    subprocess.run(["openssl", "ec", "-in", str(key), "-pubout", "-out", str(pub)], check=True,
                   capture_output=True)
    signed = bulwark("sign", str(layout), "--key", str(key), "--docker-reference",
                     "example.com/app", "--annotations", "team=blue")
    assert signed.returncode == 0, signed.stderr

    index = json.loads((layout / "index.json").read_bytes())
    (image,) = [m for m in index["manifests"]
                if not m.get("annotations", {}).get("org.opencontainers.image.ref.name",
                                                    "").endswith(".sig")]
    tag = image["digest"].replace(":", "-") + ".sig"
    (sig_entry,) = [m for m in index["manifests"]
                    if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == tag]
    blob = lambda d: (layout / "blobs" / "sha256" / d.split(":")[1]).read_bytes()
    manifest_bytes = blob(sig_entry["digest"])
    assert "sha256:" + hashlib.sha256(manifest_bytes).hexdigest() == sig_entry["digest"]
    manifest = json.loads(manifest_bytes)
    (layer,) = manifest["layers"]
    assert layer["mediaType"] == "application/vnd.dev.cosign.simplesigning.v1+json"
    payload = blob(layer["digest"])
    assert json.loads(payload) == {
        "critical": {"identity": {"docker-reference": "example.com/app"},
                     "image": {"docker-manifest-digest": image["digest"]},
                     "type": "cosign container image signature"},
        "optional": {"team": "blue"}}
    config = json.loads(blob(manifest["config"]["digest"]))
    assert config["rootfs"] == {"type": "layers", "diff_ids": [layer["digest"]]}

    # OpenSSL verifies the signature over the payload with the public key.
    (TMP / "payload").write_bytes(payload)
    (TMP / "sig").write_bytes(
        base64.b64decode(layer["annotations"]["dev.cosignproject.cosign/signature"]))
    openssl = subprocess.run(["openssl", "dgst", "-sha256", "-verify", str(pub), "-signature",
                              str(TMP / "sig"), str(TMP / "payload")], capture_output=True)
    assert openssl.returncode == 0, openssl.stderr

    verified = bulwark("verify", str(layout), "--key", str(pub), "--annotations", "team=blue")
    assert verified.returncode == 0, verified.stderr
    assert tag.encode() in verified.stdout
    other = bulwark("verify", str(layout), "--key", str(pub), "--annotations", "team=red")
    assert other.returncode == 2
    assert b"cosign: annotation" in other.stderr


def test_sigstore_verify_bundle_protocol(monkeypatch):
    assets = sig_dir() / "sigstore-python" / "test" / "assets"
    root = sig_dir() / "sigstore-python/sigstore/_store/https%3A%2F%2Ftuf-repo-cdn.sigstore.dev/trusted_root.json"
    identity = ("https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml"
                "@refs/tags/v0.1.2")
    issuer = "https://token.actions.githubusercontent.com"
    bundle = str(assets / "bundle_v3_github.whl.sigstore")
    artifact = assets / "bundle_v3_github.whl"
    args = ["sigstore", "verify-bundle", "--bundle", bundle, "--certificate-identity", identity,
            "--certificate-oidc-issuer", issuer]
    ok = bulwark(*args, "--trusted-root", str(root), str(artifact))
    assert ok.returncode == 0, ok.stderr
    digest = "sha256:" + hashlib.sha256(artifact.read_bytes()).hexdigest()
    env = dict(os.environ, BULWARK_TRUSTED_ROOT=str(root))
    by_digest = subprocess.run([BULWARK, *args, digest], capture_output=True, env=env)
    assert by_digest.returncode == 0, by_digest.stderr
    wrong_issuer = bulwark("sigstore", "verify-bundle", "--bundle", bundle,
                           "--certificate-identity", identity, "--certificate-oidc-issuer",
                           "https://accounts.google.com", "--trusted-root", str(root),
                           str(artifact))
    assert wrong_issuer.returncode != 0
    assert b"identity: OIDC issuer" in wrong_issuer.stderr
    tampered = bulwark(*args, "--trusted-root", str(root), "sha256:" + "0" * 64)
    assert tampered.returncode != 0
    assert b"artifact" in tampered.stderr or b"signature" in tampered.stderr
    no_root = subprocess.run([BULWARK, *args, "--staging", str(artifact)], capture_output=True,
                             env={k: v for k, v in os.environ.items()
                                  if not k.startswith("BULWARK_TRUSTED_ROOT")})
    assert no_root.returncode != 0
    assert b"BULWARK_TRUSTED_ROOT_STAGING" in no_root.stderr


def test_verify_keyless_with_trusted_root_or_own_pki():
    fixtures = sig_dir() / "containers-image" / "signature" / "fixtures"
    root = sig_dir() / "sigstore-python/sigstore/_store/https%3A%2F%2Ftuf-repo-cdn.sigstore.dev/trusted_root.json"
    fulcio = str(fixtures / "dir-img-cosign-fulcio-rekor-valid")
    identity = ["--certificate-identity", "mitr@redhat.com",
                "--certificate-oidc-issuer", "https://github.com/login/oauth"]
    # Sigstore's production trusted root holds the Fulcio CA and Rekor key of this 2022 fixture.
    ok = bulwark("verify", fulcio, *identity, "--trusted-root", str(root))
    assert ok.returncode == 0, ok.stderr
    env = dict(os.environ, BULWARK_TRUSTED_ROOT=str(root))
    from_env = subprocess.run([BULWARK, "verify", fulcio, *identity], capture_output=True,
                              env=env, stdin=subprocess.DEVNULL)
    assert from_env.returncode == 0, from_env.stderr
    explicit = bulwark("verify", fulcio, *identity, "--ca-roots",
                       str(fixtures / "fulcio_v1.crt.pem"), "--rekor-key",
                       str(fixtures / "rekor.pub"))
    assert explicit.returncode == 0, explicit.stderr
    regexp = bulwark("verify", fulcio, "--certificate-identity-regexp", r"mitr@redhat\.(com|org)",
                     "--certificate-oidc-issuer-regexp", r"https://github\.com/.*",
                     "--trusted-root", str(root))
    assert regexp.returncode == 0, regexp.stderr
    wrong_identity = bulwark("verify", fulcio, "--certificate-identity", "someone@example.com",
                             "--certificate-oidc-issuer", "https://github.com/login/oauth",
                             "--trusted-root", str(root))
    assert wrong_identity.returncode == 2
    assert b"cosign: certificate: no subject alternative name matches" in wrong_identity.stderr
    wrong_issuer = bulwark("verify", fulcio, "--certificate-identity", "mitr@redhat.com",
                           "--certificate-oidc-issuer", "https://accounts.google.com",
                           "--trusted-root", str(root))
    assert wrong_issuer.returncode == 2
    assert b"OIDC issuer \"https://github.com/login/oauth\" does not match" in wrong_issuer.stderr
    # The staging root does not hold production's CA.
    staging = sig_dir() / "sigstore-python/sigstore/_store/https%3A%2F%2Ftuf-repo-cdn.sigstage.dev/trusted_root.json"
    other_root = bulwark("verify", fulcio, *identity, "--trusted-root", str(staging))
    assert other_root.returncode == 2
    pki = bulwark("verify", str(fixtures / "dir-img-cosign-pki-valid"), "--certificate-identity",
                  "qiwan@redhat.com", "--ca-roots", str(fixtures / "pki_root_crts.pem"),
                  "--ca-intermediates", str(fixtures / "pki_intermediate_crts.pem"))
    assert pki.returncode == 0, pki.stderr
    no_signer = bulwark("verify", fulcio)
    assert no_signer.returncode == 2
    assert b"give --key, or --certificate-identity" in no_signer.stderr


def test_sign_with_cosign_encrypted_key():
    layout = TMP / "encrypted-key.oci"
    shutil.rmtree(layout, ignore_errors=True)
    shutil.copytree(shared_dir() / "conformance/oci/trivy/pkg/fanal/test/testdata/test.oci", layout)
    key = str(sig_dir() / "cosign" / "keys" / "pemsigstorekey.pem")  # password "hello"
    run = lambda password: subprocess.run([BULWARK, "sign", str(layout), "--key", key],
                                          capture_output=True, stdin=subprocess.DEVNULL,
                                          env=dict(os.environ, BULWARK_KEY_PASSWORD=password))
    wrong = run("nope")
    assert wrong.returncode == 2
    assert b"wrong password" in wrong.stderr
    signed = run("hello")
    assert signed.returncode == 0, signed.stderr
    assert b".sig" in signed.stdout
