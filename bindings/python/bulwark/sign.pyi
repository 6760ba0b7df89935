from typing import Any

def verify_image(
    path: str,
    key_pem: str | None = None,
    *,
    ref: str = "",
    docker_reference: str | None = None,
    annotations: dict[str, str] = {},
    identity: str = "",
    identity_regexp: str = "",
    issuer: str = "",
    issuer_regexp: str = "",
    trusted_root_path: str | None = None,
    ca_roots_pem: str | None = None,
    ca_intermediates_pem: str | None = None,
    rekor_key_pem: str | None = None,
) -> dict[str, Any]:
    """{verified, image_digest, signatures: [{source, verified, reason}]}."""

def verify_attestations(
    layout: str,
    key_pem: str | None = None,
    *,
    ref: str = "",
    predicate_type: str = "",
    identity: str = "",
    identity_regexp: str = "",
    issuer: str = "",
    issuer_regexp: str = "",
    trusted_root_path: str | None = None,
    ca_roots_pem: str | None = None,
    ca_intermediates_pem: str | None = None,
    rekor_key_pem: str | None = None,
) -> dict[str, Any]:
    """{verified, image_digest, attestations: [{source, verified, reason, predicate_type,
    predicate_json, slsa}]}."""

def attest_image(
    layout: str,
    private_key_pem: str,
    predicate_json: str,
    *,
    predicate_type: str = "custom",
    subject_name: str = "",
    ref: str = "",
) -> str:
    """Attests the layout's image as cosign attest does; returns the .att tag."""

def sign_image(
    layout: str,
    private_key_pem: str,
    *,
    ref: str = "",
    docker_reference: str = "",
    annotations: dict[str, str] = {},
) -> str:
    """Signs the layout's image as cosign does; returns the signature tag."""

def verify_bundle(
    bundle_json: str,
    trusted_root_path: str,
    *,
    artifact: bytes | None = None,
    digest: str | None = None,
    identity: str = "",
    identity_regex: bool = False,
    issuer: str = "",
    issuer_regex: bool = False,
    key_pem: str | None = None,
) -> dict[str, Any]:
    """{version, verified_times, identities, issuer, source_repository_uri, build_signer_uri,
    statement}."""

def verify_dsse(envelope_json: str, public_keys_pem: list[str], *, threshold: int = 1) -> bytes:
    """The payload of a DSSE envelope that enough trusted keys signed."""

def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE pre-authentication encoding."""

def verify_gcb_provenance(
    provenance_json: str, digest: str, *, keys: dict[str, str] = {}, builder_id: str = ""
) -> list[dict[str, Any]]:
    """[{key_id, region, builder_id, build_type, source_uri, source_digest, entry_point}]."""

def evaluate_trust_policy(
    policy_path: str, image: str, layout: str, *, ref: str = ""
) -> dict[str, Any]:
    """{allowed, image, scope, skipped, requirements: [{requirement, satisfied, reason}]}."""

def verify_notation(
    layout: str, trust_policy_path: str, trust_store: str, image: str, *, ref: str = ""
) -> dict[str, Any]:
    """{verified, trust_policy, signatures: [{source, verified, reason, target_digest, logged}]}."""
