#!/usr/bin/env bash
# Runs a fuzz target's replay driver over its corpus: `replay_test.sh FUZZER INPUT...`.
set -euo pipefail
fuzzer="$1"
shift
exec "$fuzzer" "$@"
