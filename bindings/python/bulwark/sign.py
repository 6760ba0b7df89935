"""Signatures and provenance (bulwark::sign): cosign image signatures, Sigstore bundles verified
offline, DSSE envelopes with in-toto statements and SLSA provenance.

    bulwark.sign.verify_image("app.oci", open("cosign.pub").read())["verified"]
    bulwark.sign.verify_image("app.oci", identity="me@example.com",
                              issuer="https://github.com/login/oauth",
                              trusted_root_path="trusted_root.json")
    bulwark.sign.verify_attestations("app.oci", open("cosign.pub").read(),
                                     predicate_type="slsaprovenance1")
    bulwark.sign.sign_image("app.oci", open("cosign.key").read(), docker_reference="reg/app")
    bulwark.sign.verify_bundle(open("a.sigstore.json").read(), "trusted_root.json",
                               artifact=data, identity="me@example.com",
                               issuer="https://github.com/login/oauth")
    bulwark.sign.evaluate_trust_policy("policy.yaml", "ghcr.io/example/app:v1", "app.oci")
    bulwark.sign.verify_gcb_provenance(open("gcb.json").read(), "sha256:...",
                                       keys={"us-west2": open("builtByGCB.pub").read()})

A failed check raises PermissionDeniedError naming the step ("signature:", "tlog:", ...);
verify_image instead reports each signature with its reason.
"""

from bulwark import _bulwark

attest_image = _bulwark.sign.attest_image
evaluate_trust_policy = _bulwark.sign.evaluate_trust_policy
pae = _bulwark.sign.pae
sign_image = _bulwark.sign.sign_image
verify_bundle = _bulwark.sign.verify_bundle
verify_dsse = _bulwark.sign.verify_dsse
verify_gcb_provenance = _bulwark.sign.verify_gcb_provenance
verify_attestations = _bulwark.sign.verify_attestations
verify_image = _bulwark.sign.verify_image
verify_notation = _bulwark.sign.verify_notation

__all__ = ["attest_image", "evaluate_trust_policy", "pae", "sign_image", "verify_attestations",
           "verify_bundle", "verify_dsse", "verify_gcb_provenance", "verify_image",
           "verify_notation"]
