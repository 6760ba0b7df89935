"""Validation of SARIF documents against the OASIS SARIF 2.1.0 JSON schema kept in
../shared/conformance/schemas (an upstream copy nobody here wrote).

    assert sarif_schema_errors(json.loads(output)) == []
"""

import json

import jsonschema

from bulwark_testing import shared_dir


def sarif_schema_errors(document) -> list:
    """Every schema violation in `document`, as "<json path>: <message>" strings.

    Skips (or fails under CI) the calling test when ../shared is missing.
    """
    schema_path = shared_dir() / "conformance/schemas/sarif-2.1.0.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    # The validator for the draft the schema declares in "$schema" (draft-04 for SARIF 2.1.0),
    # with its format checks ("uri", ...) switched on.
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    return [f"/{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator.iter_errors(document)]
