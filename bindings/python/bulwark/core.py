"""Digests and JSON/YAML documents (bulwark::core).

    bulwark.core.digest(b"abc", "sha256")     # 'sha256:ba7816bf...'
    bulwark.core.parse_digest(manifest_digest).algorithm  # 'sha256', or InvalidArgumentError
    bulwark.core.parse_json('{"a": [1, 2.5, null]}')  # {'a': [1, 2.5, None]}
"""

from bulwark import _bulwark

Digest = _bulwark.core.Digest
digest = _bulwark.core.digest
digest_file = _bulwark.core.digest_file
parse_digest = _bulwark.core.parse_digest
parse_json = _bulwark.core.parse_json
parse_json_file = _bulwark.core.parse_json_file
parse_yaml = _bulwark.core.parse_yaml
parse_yaml_file = _bulwark.core.parse_yaml_file

__all__ = [
    "Digest",
    "digest",
    "digest_file",
    "parse_digest",
    "parse_json",
    "parse_json_file",
    "parse_yaml",
    "parse_yaml_file",
]
