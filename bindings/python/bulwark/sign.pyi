from typing import Any

def verify_image(
    path: str,
    key_pem: str,
    *,
    ref: str = "",
    docker_reference: str | None = None,
    annotations: dict[str, str] = {},
) -> dict[str, Any]:
    """{verified, image_digest, signatures: [{source, verified, reason}]}."""

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
