"""Validation of Bulwark's CycloneDX and SPDX output against the official JSON schemas kept in
../shared/conformance/schemas (upstream copies nobody here wrote).

    assert schema_errors(json.loads(output), "bom-1.6.schema.json") == []
"""

import json

import jsonschema

from bulwark_testing import shared_dir

# The schemas a CycloneDX BOM schema refers to by relative name.
_REFERENCED = ["spdx.schema.json", "jsf-0.82.schema.json"]


def _load(name):
    return json.loads((shared_dir() / "conformance/schemas" / name).read_text(encoding="utf-8"))


def schema_errors(document, schema_name: str) -> list:
    """Every violation of schema `schema_name` in `document`, as "<json path>: <message>".

    Skips (or fails under CI) the calling test when ../shared is missing.
    """
    schema = _load(schema_name)
    # Debian 12's python3-jsonschema (4.10) resolves references through a RefResolver store.
    store = {}
    for name in _REFERENCED:
        referenced = _load(name)
        store[referenced["$id"]] = referenced
    resolver = jsonschema.RefResolver.from_schema(schema, store=store)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, resolver=resolver,
                                format_checker=validator_class.FORMAT_CHECKER)
    return [f"/{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator.iter_errors(document)]
