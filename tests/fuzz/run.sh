#!/usr/bin/env bash
# Builds the fuzz targets with --config=fuzz (clang-14, libFuzzer, ASan+UBSan) and runs each for
# SECONDS (default 300), starting from its checked-in corpus; new inputs go to a scratch corpus.
#   tests/fuzz/run.sh [SECONDS] [TARGET...]      e.g. tests/fuzz/run.sh 60 json_value_fuzzer
# A crash stops that target and leaves crash-* files in the scratch directory: add the input to
# tests/fuzz/corpus/<name>/ once fixed, so the replay test keeps it fixed.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-300}"
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=($(cd tests/fuzz && ls *_fuzzer.cc | sed 's/\.cc$//'))
fi
output_base="${BULWARK_FUZZ_OUTPUT_BASE:-$HOME/.cache/bazel-fuzz}"
bazel --output_base="$output_base" build --config=fuzz "${targets[@]/#///tests/fuzz:}"
bin="$(bazel --output_base="$output_base" info --config=fuzz bazel-bin)/tests/fuzz"
scratch="${BULWARK_FUZZ_SCRATCH:-/tmp/bulwark-fuzz}"
failed=0
for target in "${targets[@]}"; do
  name="${target%_fuzzer}"
  mkdir -p "$scratch/$name/corpus" "$scratch/$name/artifacts"
  echo "== $target for ${seconds}s (log: $scratch/$name/log)"
  if ! "$bin/$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
      -print_final_stats=1 -artifact_prefix="$scratch/$name/artifacts/" \
      "$scratch/$name/corpus" "tests/fuzz/corpus/$name" >"$scratch/$name/log" 2>&1; then
    echo "$target FAILED: see $scratch/$name/log and $scratch/$name/artifacts/"
    failed=1
  fi
  grep -E "^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)" "$scratch/$name/log"
done
exit "$failed"
