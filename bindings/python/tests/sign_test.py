"""bulwark.sign against containers/image's cosign fixtures, Sigstore's bundles and DSSE vectors,
and OpenSSL-made keys."""

import json
import os
import pathlib
import shutil
import subprocess
import threading

import pytest

import bulwark
from bulwark_testing import shared_dir

TMP = pathlib.Path(os.environ.get("TEST_TMPDIR", "/tmp"))


def sig():
    return shared_dir() / "conformance" / "sig"


def test_verify_image_reports_each_signature():
    fixtures = sig() / "containers-image" / "signature" / "fixtures"
    key = (fixtures / "cosign.pub").read_text()
    result = bulwark.sign.verify_image(str(fixtures / "dir-img-cosign-mixed"), key)
    assert result["verified"]
    assert [s["verified"] for s in result["signatures"]] == [False, True]
    assert "cosign: signature" in result["signatures"][0]["reason"]
    other = bulwark.sign.verify_image(str(fixtures / "dir-img-cosign-valid"), key,
                                      docker_reference="testing/manifest:notlatest")
    assert not other["verified"]
    assert "docker reference" in other["signatures"][0]["reason"]
    with pytest.raises(bulwark.InvalidArgumentError):
        bulwark.sign.verify_image(str(fixtures / "dir-img-cosign-valid"), "not a key")


def test_sign_then_verify_in_threads():
    layout = TMP / "py.oci"
    shutil.rmtree(layout, ignore_errors=True)
    shutil.copytree(shared_dir() / "conformance/oci/trivy/pkg/fanal/test/testdata/test.oci", layout)
    key = subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519"], capture_output=True,
                         check=True).stdout.decode()
    pub = subprocess.run(["openssl", "pkey", "-pubout"], input=key.encode(), capture_output=True,
                         check=True).stdout.decode()
    tag = bulwark.sign.sign_image(str(layout), key, annotations={"env": "prod"})
    assert tag.startswith("sha256-") and tag.endswith(".sig")
    results = []
    threads = [threading.Thread(target=lambda: results.append(bulwark.sign.verify_image(
        str(layout), pub, annotations={"env": "prod"}))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r["verified"] for r in results] == [True] * 4


def test_verify_bundle_exposes_identity_and_provenance():
    root = sig() / "sigstore-python/sigstore/_store/https%3A%2F%2Ftuf-repo-cdn.sigstore.dev/trusted_root.json"
    bcr = sig() / "slsa-verifier/cli/slsa-verifier/testdata/bcr"
    result = bulwark.sign.verify_bundle(
        (bcr / "MODULE.bazel.intoto.jsonl").read_text(), str(root),
        artifact=(bcr / "MODULE.bazel").read_bytes(),
        identity=r"https://github.com/bazel-contrib/publish-to-bcr/\.github/workflows/.*",
        identity_regex=True, issuer="https://token.actions.githubusercontent.com")
    assert result["version"] == "0.3"
    assert result["statement"]["slsa"]["source_digest"] == {
        "gitCommit": "8f70009fde0c94ade6ce2a054b94718c819126ec"}
    with pytest.raises(bulwark.PermissionDeniedError, match="identity"):
        bulwark.sign.verify_bundle(
            (bcr / "MODULE-wrong-signer.bazel.intoto.jsonl").read_text(), str(root),
            identity=r"https://github.com/bazel-contrib/publish-to-bcr/\.github/workflows/.*",
            identity_regex=True)


def test_dsse_vectors():
    vectors = json.loads((sig() / "dsse/testvectors/vectors.json").read_text())
    vector = vectors["vectors"][0]
    raw = bytes.fromhex(vectors["keys"]["A"]["public"])
    # SubjectPublicKeyInfo DER for Ed25519 is a fixed 12-byte prefix and the raw key.
    der = bytes.fromhex("302a300506032b6570032100") + raw
    pem = subprocess.run(["openssl", "pkey", "-pubin", "-inform", "DER"], input=der,
                         capture_output=True, check=True).stdout.decode()
    payload = bulwark.sign.verify_dsse(json.dumps(vector["envelope"]), [pem])
    assert bulwark.sign.pae("application/vnd.in-toto+json", payload).hex() == vector["pae"]
    with pytest.raises(bulwark.PermissionDeniedError, match="threshold"):
        bulwark.sign.verify_dsse(json.dumps(vector["envelope"]), [pem], threshold=2)


def test_verify_image_keyless():
    fixtures = sig() / "containers-image" / "signature" / "fixtures"
    root = sig() / "sigstore-python/sigstore/_store/https%3A%2F%2Ftuf-repo-cdn.sigstore.dev/trusted_root.json"
    path = str(fixtures / "dir-img-cosign-fulcio-rekor-valid")
    result = bulwark.sign.verify_image(path, identity="mitr@redhat.com",
                                       issuer="https://github.com/login/oauth",
                                       trusted_root_path=str(root))
    assert result["verified"], result
    regexp = bulwark.sign.verify_image(
        path, identity_regexp=r".*@redhat\.com", issuer="https://github.com/login/oauth",
        ca_roots_pem=(fixtures / "fulcio_v1.crt.pem").read_text(),
        rekor_key_pem=(fixtures / "rekor.pub").read_text())
    assert regexp["verified"], regexp
    wrong = bulwark.sign.verify_image(path, identity="mitr@redhat.com",
                                      issuer="https://accounts.google.com",
                                      trusted_root_path=str(root))
    assert not wrong["verified"]
    assert "OIDC issuer" in wrong["signatures"][0]["reason"]
    with pytest.raises(bulwark.InvalidArgumentError):
        bulwark.sign.verify_image(path)


def test_attest_then_verify_attestations():
    layout = TMP / "py-att.oci"
    shutil.rmtree(layout, ignore_errors=True)
    shutil.copytree(shared_dir() / "conformance/oci/trivy/pkg/fanal/test/testdata/test.oci", layout)
    key = TMP / "att.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", str(key)], check=True)
    pub = subprocess.run(["openssl", "pkey", "-in", str(key), "-pubout"], check=True,
                         capture_output=True).stdout.decode()
    predicate = json.dumps({"buildDefinition": {"buildType": "https://example.com/t"},
                            "runDetails": {"builder": {"id": "https://example.com/b"}}})
    tag = bulwark.sign.attest_image(str(layout), key.read_text(), predicate,
                                    predicate_type="slsaprovenance1")
    assert tag.endswith(".att")
    result = bulwark.sign.verify_attestations(str(layout), pub, predicate_type="slsaprovenance1")
    assert result["verified"], result
    (entry,) = result["attestations"]
    assert entry["slsa"]["builder_id"] == "https://example.com/b"
    assert json.loads(entry["predicate_json"]) == json.loads(predicate)
    custom = bulwark.sign.verify_attestations(str(layout), pub, predicate_type="custom")
    assert not custom["verified"]
    assert "attestation: predicate type" in custom["attestations"][0]["reason"]


def test_trust_policy_and_notation():
    work = TMP / "py-policy"
    shutil.rmtree(work, ignore_errors=True)
    layout = work / "app.oci"
    shutil.copytree(shared_dir() / "conformance/oci/trivy/pkg/fanal/test/testdata/test.oci", layout)
    key = work / "k.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", str(key)], check=True)
    pub = subprocess.run(["openssl", "pkey", "-in", str(key), "-pubout"], check=True,
                         capture_output=True).stdout.decode()
    (work / "k.pub").write_text(pub)
    policy = work / "policy.yaml"
    policy.write_text("scopes:\n  - name: prod\n    match: ['ghcr.io/**']\n    signers:\n"
                      "      - {name: k, keyFile: k.pub}\n")
    denied = bulwark.sign.evaluate_trust_policy(str(policy), "ghcr.io/a/b:1", str(layout))
    assert not denied["allowed"]
    assert "no signatures found" in denied["requirements"][0]["reason"]
    bulwark.sign.sign_image(str(layout), key.read_text())
    allowed = bulwark.sign.evaluate_trust_policy(str(policy), "ghcr.io/a/b:1", str(layout))
    assert allowed["allowed"], allowed
    with pytest.raises(bulwark.InvalidArgumentError):
        policy.write_text("scopes: [{name: x, match: [a], typo: 1}]\n")
        bulwark.sign.evaluate_trust_policy(str(policy), "a", str(layout))


def test_verify_notation_referrer():
    import base64
    import hashlib
    work = TMP / "py-notation"
    shutil.rmtree(work, ignore_errors=True)
    layout = work / "layout"
    (layout / "blobs" / "sha256").mkdir(parents=True)
    jws = (sig() / "notation-go/internal/testdata/jws_signature.sig").read_bytes()
    subject = "sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0"

    def put(data):
        digest = hashlib.sha256(data).hexdigest()
        (layout / "blobs" / "sha256" / digest).write_bytes(data)
        return {"size": len(data), "digest": "sha256:" + digest}

    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "artifactType": "application/vnd.cncf.notary.signature",
        "config": {"mediaType": "application/vnd.oci.empty.v1+json", **put(b"{}")},
        "layers": [{"mediaType": "application/jose+json", **put(jws)}],
        "subject": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 481,
                    "digest": subject}}).encode()
    (layout / "oci-layout").write_text('{"imageLayoutVersion":"1.0.0"}')
    (layout / "index.json").write_text(json.dumps({"schemaVersion": 2, "manifests": [
        {"mediaType": "application/vnd.oci.image.manifest.v1+json", **put(manifest)}]}))
    store = work / "store" / "x509" / "ca" / "alpine"
    store.mkdir(parents=True)
    (store / "alpine.crt").write_bytes(base64.b64decode(json.loads(jws)["header"]["x5c"][0]))
    policy = work / "trustpolicy.json"
    policy.write_text(json.dumps({"version": "1.0", "trustPolicies": [
        {"name": "all", "registryScopes": ["*"], "signatureVerification": {"level": "strict"},
         "trustStores": ["ca:alpine"], "trustedIdentities": ["*"]}]}))
    result = bulwark.sign.verify_notation(str(layout), str(policy), str(work / "store"),
                                          "example.com/alpine:3", ref=subject)
    assert result["verified"], result
    assert result["signatures"][0]["target_digest"] == subject

    # The same trust store as a notation signer of a Bulwark trust policy.
    bulwark_policy = work / "policy.yaml"
    bulwark_policy.write_text(
        "scopes:\n  - name: all\n    match: ['**']\n    signers:\n      - name: alpine\n"
        "        notation: {trustStore: store, trustStores: ['ca:alpine'], "
        "trustedIdentities: ['x509.subject: O=Notary, CN=alpine']}\n")
    decision = bulwark.sign.evaluate_trust_policy(str(bulwark_policy), "example.com/alpine:3",
                                                  str(layout), ref=subject)
    assert decision["allowed"], decision
    assert "(alpine)" in decision["requirements"][0]["reason"]


def test_verify_gcb_provenance_needs_the_kms_key():
    gcb = sig() / "slsa-verifier/cli/slsa-verifier/testdata/gcb_container/v0.3"
    digest = (gcb / "gcloud-container-github.digest").read_text().strip()
    with pytest.raises(bulwark.Error, match="gcb: key: the Google Cloud KMS public key of "
                       "projects/verified-builder/locations/us-west2/"):
        bulwark.sign.verify_gcb_provenance((gcb / "gcloud-container-github.json").read_text(),
                                           digest)
    with pytest.raises(bulwark.PermissionDeniedError, match="gcb: keyid:"):
        bulwark.sign.verify_gcb_provenance(
            (gcb / "gcloud-container-invalid-keyid.json").read_text(), digest)
    # A key that is not Google's: the genuine signature does not verify with it.
    key = subprocess.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout"],
                         check=True, capture_output=True).stdout
    pub = subprocess.run(["openssl", "ec", "-pubout"], input=key, check=True,
                         capture_output=True).stdout.decode()
    with pytest.raises(bulwark.PermissionDeniedError, match="gcb: signature:"):
        bulwark.sign.verify_gcb_provenance((gcb / "gcloud-container-github.json").read_text(),
                                           digest, keys={"us-west2": pub})
