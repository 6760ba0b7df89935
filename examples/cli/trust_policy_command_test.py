"""`bulwark trust-policy evaluate`: the admission decision for an image signed and attested with
OpenSSL-made keys, with the reason for each requirement."""

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
