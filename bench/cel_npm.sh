#!/usr/bin/env bash
# Compares Bulwark's CEL with the fastest CEL engines on npm on the same expression and pod:
#   object.spec.containers.all(c, !has(c.securityContext) || c.securityContext.privileged != true)
# on a 10-container pod (every other container has securityContext.privileged: false).
#   bench/cel_npm.sh
# Installs @marcbachmann/cel-js and @bufbuild/cel into $CEL_NPM_DIR (default /tmp/cel-npm) with
# npm, times the compiled expression in node 20 (median of 15 rounds of 20,000 evaluations),
# runs //policy/cel:cel_benchmark (-c opt) in the same script, and prints the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${CEL_NPM_DIR:-/tmp/cel-npm}"
mkdir -p "$dir"
if [[ ! -d "$dir/node_modules/@marcbachmann/cel-js" || ! -d "$dir/node_modules/@bufbuild/cel" ]]; then
  (cd "$dir" && npm init -y >/dev/null && npm install --no-audit --no-fund @marcbachmann/cel-js @bufbuild/cel >/dev/null)
fi
cat > "$dir/bench.mjs" <<'JS'
import { parse as marcParse } from '@marcbachmann/cel-js'
import { celEnv, parse as bufParse, plan as bufPlan } from '@bufbuild/cel'

const expr = 'object.spec.containers.all(c, !has(c.securityContext) || c.securityContext.privileged != true)'
const containers = []
for (let i = 0; i < 10; i++) {
  const c = { name: `c${i}`, image: `registry.example/app:${i}` }
  if (i % 2 === 0) c.securityContext = { privileged: false, runAsNonRoot: true }
  containers.push(c)
}
const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers } }

function median(fn) {
  const rounds = []
  for (let r = 0; r < 15; r++) {
    const n = 20000
    const start = process.hrtime.bigint()
    for (let i = 0; i < n; i++) if (fn() !== true) throw new Error('unexpected result')
    rounds.push(Number(process.hrtime.bigint() - start) / n)
  }
  rounds.sort((a, b) => a - b)
  return rounds[Math.floor(rounds.length / 2)]
}

const marc = marcParse(expr)
const buf = bufPlan(celEnv(), bufParse(expr))
console.log(`marcbachmann_cel_js_ns ${median(() => marc({ object: pod })).toFixed(1)}`)
console.log(`bufbuild_cel_ns ${median(() => buf({ object: pod })).toFixed(1)}`)
JS
npm_out="$(cd "$dir" && node bench.mjs)"
bazel build -c opt //policy/cel:cel_benchmark >/dev/null 2>&1
bin="$(bazel info -c opt bazel-bin 2>/dev/null)/policy/cel/cel_benchmark"
ours="$("$bin" --benchmark_filter=BM_CelCompiledEvaluate --benchmark_repetitions=15 \
  --benchmark_report_aggregates_only=true --benchmark_format=csv 2>/dev/null |
  awk -F, '/_median/ {print $3}')"
marc="$(awk '/marcbachmann/ {print $2}' <<<"$npm_out")"
buf="$(awk '/bufbuild/ {print $2}' <<<"$npm_out")"
echo "bulwark (median real time per evaluation): ${ours} ns"
echo "@marcbachmann/cel-js:                      ${marc} ns  -> bulwark is $(awk -v a="$marc" -v b="$ours" 'BEGIN{printf "%.2f", a/b}')x faster"
echo "@bufbuild/cel:                             ${buf} ns  -> bulwark is $(awk -v a="$buf" -v b="$ours" 'BEGIN{printf "%.2f", a/b}')x faster"
