#!/usr/bin/env bash
# Installs what is missing, then builds and runs every test (C++, Python, fuzz-corpus replays) and
# prints one closing line "N passed, N failed, N skipped" counted over individual test cases.
# Exits non-zero when anything fails to build or any test fails.
set -uo pipefail
cd "$(dirname "$0")/.."

bash bazel/setup.sh || exit 1

log=$(mktemp)
trap 'rm -f "$log"' EXIT
bazel test //... --test_summary=short "$@" 2>&1 | tee "$log"
bazel_status=${PIPESTATUS[0]}

/usr/bin/python3 bazel/summarize_tests.py "$log" "$(bazel info bazel-testlogs 2>/dev/null)"
summary_status=$?

if ((bazel_status != 0)); then exit "$bazel_status"; fi
exit "$summary_status"
