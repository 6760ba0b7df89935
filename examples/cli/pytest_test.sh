#!/usr/bin/env bash
# Runs the pytest files named as arguments (paths relative to the runfiles root) with Debian's
# /usr/bin/python3, which has pytest, jsonschema and PyYAML. See pytest.bzl for why this is not a
# py_test.
set -euo pipefail
runfiles="${TEST_SRCDIR}/bulwark"
# Tests import their helpers as examples.cli.<module> from the runfiles tree.
export PYTHONPATH="${runfiles}${PYTHONPATH:+:${PYTHONPATH}}"
# -B: the runfiles tree is Bazel's, not a place for .pyc files.
exec /usr/bin/python3 -B "${runfiles}/examples/cli/pytest_main.py" "$@"
