#!/usr/bin/env bash
# Compares Bulwark's CEL with the fastest CEL engines on npm on the same expression and pod:
#   object.spec.containers.all(c, !has(c.securityContext) || c.securityContext.privileged != true)
# on a 10-container pod (every other container has securityContext.privileged: false).
#   bench/cel_npm.sh
# Installs @marcbachmann/cel-js and @bufbuild/cel into $CEL_NPM_DIR (default /tmp/cel-npm) with
# npm, times the compiled expression in node 20 (median of 15 rounds of 20,000 evaluations, wall
# and process CPU time), runs //policy/cel:cel_benchmark (-c opt) in the same script, and prints
# the ratios of wall times and of CPU times (the machine is shared: CPU time is less disturbed).
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

// Median wall and CPU nanoseconds per evaluation.
function median(fn) {
  const wall = []
  const cpu = []
  for (let r = 0; r < 15; r++) {
    const n = 20000
    const start = process.hrtime.bigint()
    const startCpu = process.cpuUsage()
    for (let i = 0; i < n; i++) if (fn() !== true) throw new Error('unexpected result')
    const usedCpu = process.cpuUsage(startCpu)
    wall.push(Number(process.hrtime.bigint() - start) / n)
    cpu.push(((usedCpu.user + usedCpu.system) * 1000) / n)
  }
  const mid = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  return `${mid(wall).toFixed(1)} ${mid(cpu).toFixed(1)}`
}

const marc = marcParse(expr)
const buf = bufPlan(celEnv(), bufParse(expr))
console.log(`marcbachmann_cel_js_ns ${median(() => marc({ object: pod }))}`)
console.log(`bufbuild_cel_ns ${median(() => buf({ object: pod }))}`)
JS
npm_out="$(cd "$dir" && node bench.mjs)"
bazel build -c opt //policy/cel:cel_benchmark >/dev/null 2>&1
bin="$(bazel info -c opt bazel-bin 2>/dev/null)/policy/cel/cel_benchmark"
medians="$("$bin" --benchmark_filter=BM_CelCompiledEvaluate --benchmark_repetitions=15 \
  --benchmark_report_aggregates_only=true --benchmark_format=csv 2>/dev/null |
  awk -F, '/_median/ {print $3, $4}')"
read -r ours ours_cpu <<<"$medians"
read -r marc marc_cpu < <(awk '/marcbachmann/ {print $2, $3}' <<<"$npm_out")
read -r buf buf_cpu < <(awk '/bufbuild/ {print $2, $3}' <<<"$npm_out")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
echo "bulwark (median per evaluation):  wall ${ours} ns, CPU ${ours_cpu} ns"
echo "@marcbachmann/cel-js:             wall ${marc} ns, CPU ${marc_cpu} ns -> bulwark is $(ratio "$marc" "$ours")x faster (wall), $(ratio "$marc_cpu" "$ours_cpu")x (CPU)"
echo "@bufbuild/cel:                    wall ${buf} ns, CPU ${buf_cpu} ns -> bulwark is $(ratio "$buf" "$ours")x faster (wall), $(ratio "$buf_cpu" "$ours_cpu")x (CPU)"
