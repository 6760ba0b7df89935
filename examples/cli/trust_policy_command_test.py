"""`bulwark trust-policy evaluate`: the admission decision for an image signed and attested with
OpenSSL-made keys, with the reason for each requirement."""

import base64
import datetime
import hashlib
import json
import os
import pathlib
import shutil
import subprocess

from bulwark_testing import runfile, shared_dir

BULWARK = str(runfile("examples/cli/bulwark"))
TMP = pathlib.Path(os.environ.get("TEST_TMPDIR", "/tmp"))


def bulwark(*args):
    return subprocess.run([BULWARK, *args], capture_output=True, stdin=subprocess.DEVNULL,
                          check=False)


def keypair(directory, name):
    key, pub = directory / f"{name}.pem", directory / f"{name}.pub"
    subprocess.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out",
                    str(key)], check=True)
    subprocess.run(["openssl", "ec", "-in", str(key), "-pubout", "-out", str(pub)], check=True,
                   capture_output=True)
    return key, pub


def test_evaluate_allow_and_deny_with_reasons():
    work = TMP / "policy"
    shutil.rmtree(work, ignore_errors=True)
    (work / "keys").mkdir(parents=True)
    layout = work / "app.oci"
    shutil.copytree(shared_dir() / "conformance/oci/trivy/pkg/fanal/test/testdata/test.oci", layout)
    release_key, _ = keypair(work / "keys", "release")
    builder_key, _ = keypair(work / "keys", "builder")
    policy = work / "policy.yaml"
    policy.write_text("""\
kind: TrustPolicy
scopes:
  - name: third-party
    match: ["docker.io/library/*"]
    skip: true
  - name: prod
    match: ["ghcr.io/example/**"]
    signers:
      - {name: release, keyFile: keys/release.pub}
      - {name: builder, keyFile: keys/builder.pub}
    attestations:
      - name: provenance
        predicateType: slsaprovenance
        signers: [builder]
        conditions:
          - {path: builder.id, equals: "https://example.com/builder@v1"}
""")
    evaluate = lambda image: bulwark("trust-policy", "evaluate", str(layout), "--policy",
                                     str(policy), "--image", image, "--format", "json")

    denied = evaluate("ghcr.io/example/app:v1")
    assert denied.returncode == 1, denied.stderr
    decision = json.loads(denied.stdout)
    assert decision["allowed"] is False and decision["scope"] == "prod"
    assert [r["satisfied"] for r in decision["requirements"]] == [False, False]
    assert "no signatures found" in decision["requirements"][0]["reason"]
    assert "no attestations found" in decision["requirements"][1]["reason"]

    assert bulwark("sign", str(layout), "--key", str(release_key)).returncode == 0
    predicate = work / "provenance.json"
    predicate.write_text(json.dumps({"builder": {"id": "https://example.com/builder@v1"},
                                     "buildType": "https://example.com/t"}))
    attested = bulwark("attest", "sign", str(layout), "--key", str(builder_key), "--predicate",
                       str(predicate), "--type", "slsaprovenance")
    assert attested.returncode == 0, attested.stderr
    allowed = bulwark("trust-policy", "evaluate", str(layout), "--policy", str(policy),
                      "--image", "ghcr.io/example/app:v1")
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert allowed.stdout.startswith(b"allow ghcr.io/example/app:v1 (scope prod)")
    assert b"ok   attestation provenance: https://slsa.dev/provenance/v0.2 signed by builder" \
        in allowed.stdout

    # The builder's attestation does not satisfy a policy that wants another builder id.
    policy.write_text(policy.read_text().replace("builder@v1", "builder@v2"))
    condition = evaluate("ghcr.io/example/app:v1")
    assert condition.returncode == 1
    (_, provenance) = json.loads(condition.stdout)["requirements"]
    assert "condition: builder.id is \"https://example.com/builder@v1\"" in provenance["reason"]

    skipped = evaluate("nginx:latest")
    assert skipped.returncode == 0
    assert json.loads(skipped.stdout)["skipped"] is True
    unmatched = evaluate("quay.io/other/app")
    assert unmatched.returncode == 1
    assert json.loads(unmatched.stdout)["scope"] == ""

    policy.write_text("scopes:\n  - name: a\n    match: [x]\n    bogus: 1\n")
    broken = evaluate("x")
    assert broken.returncode == 2
    assert b"policy.yaml:4:12: unknown member \"bogus\"" in broken.stderr


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def notation_jws(work, digest, size):
    """A Notary Project JWS envelope for the manifest `digest`, written to the notation
    specification and signed by OpenSSL (RSA-PSS SHA-256) with a leaf of a CA made here."""
    def openssl(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=work)
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
            "-subj", "/O=Example/CN=Example Notation CA", "-days", "2",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr",
            "-subj", "/O=Example/CN=release")
    (work / "leaf.ext").write_text("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                                   "extendedKeyUsage=codeSigning\n")
    openssl("x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "leaf.pem", "-days", "1", "-extfile", "leaf.ext")
    der = lambda name: subprocess.run(["openssl", "x509", "-in", name, "-outform", "DER"],
                                      check=True, capture_output=True, cwd=work).stdout
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    protected = b64url(json.dumps({
        "alg": "PS256", "crit": ["io.cncf.notary.signingScheme"],
        "cty": "application/vnd.cncf.notary.payload.v1+json",
        "io.cncf.notary.signingScheme": "notary.x509",
        "io.cncf.notary.signingTime": now}).encode())
    payload = b64url(json.dumps({"targetArtifact": {
        "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": digest,
        "size": size}}).encode())
    (work / "signing-input").write_text(f"{protected}.{payload}")
    signature = subprocess.run(
        ["openssl", "dgst", "-sha256", "-sign", "leaf.key", "-sigopt", "rsa_padding_mode:pss",
         "-sigopt", "rsa_pss_saltlen:32", "signing-input"],
        check=True, capture_output=True, cwd=work).stdout
    return json.dumps({"payload": payload, "protected": protected, "signature": b64url(signature),
                       "header": {"x5c": [base64.b64encode(der("leaf.pem")).decode(),
                                          base64.b64encode(der("ca.pem")).decode()]}}).encode()


def add_referrer(layout, subject, artifact_type, media_type, data):
    """Stores `data` as the layer of an OCI 1.1 referrer of the manifest `subject`."""
    def put(blob):
        digest = hashlib.sha256(blob).hexdigest()
        (layout / "blobs" / "sha256" / digest).write_bytes(blob)
        return {"size": len(blob), "digest": "sha256:" + digest}
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "artifactType": artifact_type,
        "config": {"mediaType": "application/vnd.oci.empty.v1+json", **put(b"{}")},
        "layers": [{"mediaType": media_type, **put(data)}],
        "subject": subject}).encode()
    index = json.loads((layout / "index.json").read_text())
    index["manifests"].append({"mediaType": "application/vnd.oci.image.manifest.v1+json",
                               "artifactType": artifact_type, **put(manifest)})
    (layout / "index.json").write_text(json.dumps(index))


def test_notation_signer_with_cosign_key_signer():
    work = TMP / "policy-notation"
    shutil.rmtree(work, ignore_errors=True)
    (work / "certs").mkdir(parents=True)
    layout = work / "app.oci"
    shutil.copytree(shared_dir() / "conformance/oci/trivy/pkg/fanal/test/testdata/test.oci", layout)
    image = json.loads((layout / "index.json").read_text())["manifests"][0]
    release_key, _ = keypair(work, "release")
    policy = work / "policy.yaml"
    policy.write_text("""\
scopes:
  - name: prod
    match: ["registry.example.com/**"]
    minSignatures: 2
    signers:
      - {name: release, keyFile: release.pub}
      - name: notary
        notation:
          certificates: [{type: ca, file: certs/ca.pem}]
          trustedIdentities: ["x509.subject: O=Example, CN=release"]
""")
    evaluate = lambda: bulwark("trust-policy", "evaluate", str(layout), "--policy", str(policy),
                               "--image", "registry.example.com/app:v1", "--format", "json")

    assert bulwark("sign", str(layout), "--key", str(release_key)).returncode == 0
    (work / "certs" / "ca.pem").write_bytes(b"")
    unreadable = evaluate()
    assert unreadable.returncode == 2
    assert b"policy.yaml:" in unreadable.stderr

    jws = notation_jws(work, image["digest"], image["size"])
    shutil.copy(work / "ca.pem", work / "certs" / "ca.pem")
    one = evaluate()
    assert one.returncode == 1, one.stderr
    assert "1 of 2 required signer(s) verified (release)" in \
        json.loads(one.stdout)["requirements"][0]["reason"]
    assert "notary: no notation signatures found" in \
        json.loads(one.stdout)["requirements"][0]["reason"]

    add_referrer(layout, {k: image[k] for k in ("mediaType", "size", "digest")},
                 "application/vnd.cncf.notary.signature", "application/jose+json", jws)
    both = evaluate()
    assert both.returncode == 0, both.stdout + both.stderr
    assert "2 of 2 required signer(s) verified (release, notary)" in \
        json.loads(both.stdout)["requirements"][0]["reason"]

    # A trusted CA, but another identity.
    policy.write_text(policy.read_text().replace("CN=release", "CN=someone-else"))
    other = evaluate()
    assert other.returncode == 1
    assert "notary: " in json.loads(other.stdout)["requirements"][0]["reason"]
    assert "notation: authenticity: signing certificate subject" in \
        json.loads(other.stdout)["requirements"][0]["reason"]
