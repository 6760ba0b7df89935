"""`bulwark attest verify-gcb`: slsa-verifier's Google Cloud Build provenance cases. Google's KMS
public keys are not in the shared data, so the passing case must say that the key is missing,
and a key given with --gcb-key decides the signature."""

import os
import pathlib
import subprocess

from bulwark_testing import runfile, shared_dir

BULWARK = str(runfile("examples/cli/bulwark"))
TMP = pathlib.Path(os.environ.get("TEST_TMPDIR", "/tmp"))
GCB = shared_dir() / "conformance/sig/slsa-verifier/cli/slsa-verifier/testdata/gcb_container/v0.3"


def verify(name, *flags):
    digest = (GCB / "gcloud-container-github.digest").read_text().strip()
    return subprocess.run([BULWARK, "attest", "verify-gcb", str(GCB / name), "--digest", digest,
                           *flags], capture_output=True, stdin=subprocess.DEVNULL, check=False)


def test_expectations_cases_without_google_keys():
    missing = verify("gcloud-container-github.json")
    assert missing.returncode == 2
    assert b"gcb: key: the Google Cloud KMS public key of projects/verified-builder/locations/" \
        b"us-west2/keyRings/attestor/cryptoKeys/builtByGCB/cryptoKeyVersions/1 is not available" \
        in missing.stderr, missing.stderr
    keyid = verify("gcloud-container-invalid-keyid.json")
    assert keyid.returncode == 2
    assert b"gcb: keyid:" in keyid.stderr
    mismatch = verify("gcloud-container-mismatch-payload-digest.json")
    assert mismatch.returncode == 2
    assert b"gcb: subject:" in mismatch.stderr


def test_key_flag_decides_the_signature():
    key = TMP / "not-google.pem"
    subprocess.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out",
                    str(key)], check=True)
    pub = TMP / "not-google.pub"
    subprocess.run(["openssl", "ec", "-in", str(key), "-pubout", "-out", str(pub)], check=True,
                   capture_output=True)
    wrong = verify("gcloud-container-github.json", "--gcb-key", f"us-west2={pub}")
    assert wrong.returncode == 2
    assert b"gcb: signature:" in wrong.stderr, wrong.stderr
    # A key for another region does not stand in for us-west2's.
    region = verify("gcloud-container-github.json", "--gcb-key", f"europe-west1={pub}")
    assert b"gcb: key:" in region.stderr
    bad_flag = verify("gcloud-container-github.json", "--gcb-key", str(pub))
    assert b"REGION=PUBLIC.pem" in bad_flag.stderr
