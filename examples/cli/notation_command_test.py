"""`bulwark notation verify`: notation-go's own JWS and COSE signatures stored as OCI 1.1 referrers,
verified with a notation trust policy and trust store directory."""

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
NOTATION = shared_dir() / "conformance" / "sig" / "notation-go"
# What notation-go's internal/testdata envelopes sign.
SUBJECT = "sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0"


def bulwark(*args):
    return subprocess.run([BULWARK, *args], capture_output=True, stdin=subprocess.DEVNULL,
                          check=False)


def make_layout(work, envelopes):
    layout = work / "layout"
    (layout / "blobs" / "sha256").mkdir(parents=True)

    def put(data):
        digest = hashlib.sha256(data).hexdigest()
        (layout / "blobs" / "sha256" / digest).write_bytes(data)
        return {"size": len(data), "digest": "sha256:" + digest}

    manifests = []
    for media_type, data in envelopes:
        manifest = json.dumps({
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "artifactType": "application/vnd.cncf.notary.signature",
            "config": {"mediaType": "application/vnd.oci.empty.v1+json", **put(b"{}")},
            "layers": [{"mediaType": media_type, **put(data)}],
            "subject": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 481,
                        "digest": SUBJECT}}).encode()
        manifests.append({"mediaType": "application/vnd.oci.image.manifest.v1+json",
                          **put(manifest)})
    (layout / "oci-layout").write_text('{"imageLayoutVersion":"1.0.0"}')
    (layout / "index.json").write_text(json.dumps({"schemaVersion": 2, "manifests": manifests}))
    return layout


def write_policy(work, level, identities):
    policy = work / "trustpolicy.json"
    policy.write_text(json.dumps({"version": "1.0", "trustPolicies": [
        {"name": "alpine", "registryScopes": ["registry.example.com/alpine"],
         "signatureVerification": {"level": level},
         "trustStores": ["ca:alpine"], "trustedIdentities": identities}]}))
    return policy


def test_notation_verify_jws_and_cose_referrers():
    work = TMP / "notation"
    shutil.rmtree(work, ignore_errors=True)
    jws = (NOTATION / "internal/testdata/jws_signature.sig").read_bytes()
    cose = (NOTATION / "internal/testdata/cose_signature.sig").read_bytes()
    layout = make_layout(work, [("application/jose+json", jws), ("application/cose", cose)])
    # The trust store holds the signer's self-signed certificate, as notation-go's tests do.
    store = work / "truststore"
    (store / "x509" / "ca" / "alpine").mkdir(parents=True)
    (store / "x509" / "ca" / "alpine" / "alpine.crt").write_bytes(
        base64.b64decode(json.loads(jws)["header"]["x5c"][0]))
    subject = "x509.subject: C=US, ST=WA, L=Seattle, O=Notary, CN=alpine"
    args = ["notation", "verify", str(layout), "--trust-store", str(store), "--image",
            "registry.example.com/alpine:v1", "--ref", SUBJECT, "--trust-policy"]

    ok = bulwark(*args, str(write_policy(work, "strict", [subject])))
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.count(b": verified") == 2, ok.stdout

    other = bulwark(*args, str(write_policy(work, "strict", ["x509.subject: CN=someone"])))
    assert other.returncode == 2
    assert other.stderr.count(b"not a trusted identity") == 2, other.stderr
    audit = bulwark(*args, str(write_policy(work, "audit", ["x509.subject: CN=someone"])))
    assert audit.returncode == 0, audit.stderr
    assert b"logged: notation: authenticity" in audit.stdout

    unscoped = bulwark("notation", "verify", str(layout), "--trust-store", str(store), "--image",
                       "quay.io/other", "--ref", SUBJECT, "--trust-policy",
                       str(write_policy(work, "strict", [subject])))
    assert unscoped.returncode == 2
    assert b"no trust policy's registry scope covers quay.io/other" in unscoped.stderr
