#!/usr/bin/env bash
# Installs what is missing, then builds and runs every test: all targets in the default
# configuration (C++, Python, fuzz-corpus replays), then the C++ tests again under AddressSanitizer
# (Python-loaded extensions are left out: the interpreter is not instrumented), and the CEL and
# runtime concurrency tests under ThreadSanitizer (docs/cel.md and docs/runtime.md say why only
# those). Prints one closing line "N passed, N failed, N skipped" counted over individual test
# cases of all runs.
# Exits non-zero when anything fails to build or any test fails.
#   bazel/test.sh [EXTRA BAZEL FLAGS...]
set -uo pipefail
cd "$(dirname "$0")/.."

bash bazel/setup.sh || exit 1

logs=()
trap 'rm -f "${logs[@]}"' EXIT
status=0
summary_args=()

# run_tests CONFIG_FLAGS... -- TARGETS...: one `bazel test` run, logged for the summary.
run_tests() {
  local flags=() targets=()
  while (($#)) && [[ $1 != "--" ]]; do flags+=("$1"); shift; done
  shift
  targets=("$@")
  local log
  log=$(mktemp)
  logs+=("$log")
  bazel test "${flags[@]}" --test_summary=short -- "${targets[@]}" 2>&1 | tee "$log"
  local run_status=${PIPESTATUS[0]}
  if ((run_status != 0)); then status=$run_status; fi
  summary_args+=("$log" "$(bazel info "${flags[@]}" bazel-testlogs 2>/dev/null)")
}

run_tests "$@" -- //...
run_tests --config=asan "$@" -- //... -//bindings/python/... -//examples/python/...
run_tests --config=tsan "$@" -- //policy/cel:concurrency_test //runtime:concurrency_test

/usr/bin/python3 bazel/summarize_tests.py "${summary_args[@]}" || { ((status)) || status=1; }
exit "$status"
