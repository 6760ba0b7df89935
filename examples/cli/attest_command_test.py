"""`bulwark attest sign` and `bulwark attest verify`: what Bulwark attests verifies with OpenSSL
over the DSSE pre-authentication encoding, and cosign's own keyless OCI attestation bundle
(stored as an OCI 1.1 referrer) verifies against Sigstore's production trusted root."""

import base64
import hashlib
import json
import os
import pathlib
import shutil
import subprocess

from bulwark_testing import runfile, shared_dir

BULWARK = str(runfile("examples/cli/bulwark"))
TMP = pathlib.Path(os.environ.get("TEST_TMPDIR", "/tmp"))
SIG = shared_dir() / "conformance" / "sig"
PRODUCTION_ROOT = SIG / "sigstore-python/sigstore/_store/https%3A%2F%2Ftuf-repo-cdn.sigstore.dev/trusted_root.json"


def bulwark(*args):
    return subprocess.run([BULWARK, *args], capture_output=True, stdin=subprocess.DEVNULL,
                          check=False)


def keypair(name):
    key, pub = TMP / f"{name}.pem", TMP / f"{name}.pub"
    subprocess.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out",
                    str(key)], check=True)
    subprocess.run(["openssl", "ec", "-in", str(key), "-pubout", "-out", str(pub)], check=True,
                   capture_output=True)
    return key, pub


def test_attest_sign_then_verify():
    layout = TMP / "attested.oci"
    shutil.rmtree(layout, ignore_errors=True)
    shutil.copytree(shared_dir() / "conformance/oci/trivy/pkg/fanal/test/testdata/test.oci", layout)
    key, pub = keypair("attest")
    predicate = TMP / "provenance.json"
    predicate.write_text(json.dumps({
        "builder": {"id": "https://example.com/builder@v1"},
        "buildType": "https://example.com/build/v1",
        "invocation": {"configSource": {"uri": "git+https://example.com/app@refs/tags/v1",
                                        "digest": {"sha1": "ab" * 20},
                                        "entryPoint": "release.yml"}}}))
    signed = bulwark("attest", "sign", str(layout), "--key", str(key), "--predicate",
                     str(predicate), "--type", "slsaprovenance", "--subject-name", "example.com/app")
    assert signed.returncode == 0, signed.stderr
    assert b"https://slsa.dev/provenance/v0.2" in signed.stdout

    # The stored layer: a DSSE envelope whose signature OpenSSL verifies over PAE(type, body).
    index = json.loads((layout / "index.json").read_bytes())
    (att,) = [m for m in index["manifests"] if m.get("annotations", {}).get(
        "org.opencontainers.image.ref.name", "").endswith(".att")]
    blob = lambda d: (layout / "blobs" / "sha256" / d.split(":")[1]).read_bytes()
    (layer,) = json.loads(blob(att["digest"]))["layers"]
    assert layer["mediaType"] == "application/vnd.dsse.envelope.v1+json"
    assert layer["annotations"]["predicateType"] == "https://slsa.dev/provenance/v0.2"
    envelope = json.loads(blob(layer["digest"]))
    body = base64.b64decode(envelope["payload"])
    payload_type = envelope["payloadType"].encode()
    pae = b"DSSEv1 %d %s %d %s" % (len(payload_type), payload_type, len(body), body)
    (TMP / "pae").write_bytes(pae)
    (TMP / "sig").write_bytes(base64.b64decode(envelope["signatures"][0]["sig"]))
    openssl = subprocess.run(["openssl", "dgst", "-sha256", "-verify", str(pub), "-signature",
                              str(TMP / "sig"), str(TMP / "pae")], capture_output=True)
    assert openssl.returncode == 0, openssl.stderr
    statement = json.loads(body)
    image_digest = att["annotations"]["org.opencontainers.image.ref.name"][len("sha256-"):-4]
    assert statement["subject"] == [{"name": "example.com/app",
                                     "digest": {"sha256": image_digest}}]

    verified = bulwark("attest", "verify", str(layout), "--key", str(pub), "--type",
                       "slsaprovenance", "--format", "json")
    assert verified.returncode == 0, verified.stderr
    report = json.loads(verified.stdout)
    assert report["verified"] is True
    (entry,) = report["attestations"]
    assert entry["slsa"]["builder_id"] == "https://example.com/builder@v1"
    assert entry["slsa"]["source_uri"] == "git+https://example.com/app@refs/tags/v1"
    assert entry["slsa"]["entry_point"] == "release.yml"

    wrong_type = bulwark("attest", "verify", str(layout), "--key", str(pub), "--type", "spdxjson")
    assert wrong_type.returncode == 2
    assert b"attestation: predicate type" in wrong_type.stderr
    _, other_pub = keypair("other")
    wrong_key = bulwark("attest", "verify", str(layout), "--key", str(other_pub))
    assert wrong_key.returncode == 2
    assert b"attestation: signature" in wrong_key.stderr


def test_attest_verify_keyless_bundle_referrer():
    bundle = (SIG / "cosign/pkg/cosign/testdata/oci-attestation.sigstore.json").read_bytes()
    subject = "sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4"
    layout = TMP / "referrer.oci"
    shutil.rmtree(layout, ignore_errors=True)
    (layout / "blobs" / "sha256").mkdir(parents=True)

    def put(data):
        digest = hashlib.sha256(data).hexdigest()
        (layout / "blobs" / "sha256" / digest).write_bytes(data)
        return {"size": len(data), "digest": "sha256:" + digest}

    bundle_type = "application/vnd.dev.sigstore.bundle.v0.3+json"
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "artifactType": bundle_type,
        "config": {"mediaType": "application/vnd.oci.empty.v1+json", **put(b"{}")},
        "layers": [{"mediaType": bundle_type, **put(bundle)}],
        "subject": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 1,
                    "digest": subject}}).encode()
    (layout / "oci-layout").write_text('{"imageLayoutVersion":"1.0.0"}')
    (layout / "index.json").write_text(json.dumps({"schemaVersion": 2, "manifests": [
        {"mediaType": "application/vnd.oci.image.manifest.v1+json", **put(manifest)}]}))
    args = ["attest", "verify", str(layout), "--ref", subject, "--trusted-root",
            str(PRODUCTION_ROOT), "--certificate-oidc-issuer", "https://github.com/login/oauth"]
    # The subject image itself is not in the layout; --ref names it by digest.
    ok = bulwark(*args, "--certificate-identity", "cody@soyland.com")
    assert ok.returncode == 0, ok.stderr
    assert b"verified https://cosign.sigstore.dev/attestation/v1" in ok.stdout
    regexp = bulwark(*args, "--certificate-identity-regexp", r".*@soyland\.com", "--type",
                     "custom")
    assert regexp.returncode == 0, regexp.stderr
    wrong = bulwark(*args, "--certificate-identity", "someone@example.com")
    assert wrong.returncode == 2
    assert b"attestation: bundle: identity:" in wrong.stderr
    other_image = bulwark("attest", "verify", str(layout), "--ref", "sha256:" + "1" * 64,
                          "--trusted-root", str(PRODUCTION_ROOT), "--certificate-identity",
                          "cody@soyland.com", "--certificate-oidc-issuer",
                          "https://github.com/login/oauth")
    assert other_image.returncode == 2
    assert b"no attestations found" in other_image.stderr
