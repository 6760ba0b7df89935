"""Rewrites the generated part of docs/performance.md from Google Benchmark JSON results.

usage: update_performance.py RESULTS_DIR docs/performance.md

Everything between the markers "<!-- generated:begin -->" and "<!-- generated:end -->" is
replaced; the hand-written text around them is kept. RATIOS lists each figure an issue asks
for: our benchmark, its baseline from the same process, and the requirement if there is one.
"""

import datetime
import glob
import json
import os
import platform
import sys

BEGIN = "<!-- generated:begin -->"
END = "<!-- generated:end -->"

# (what, our benchmark, baseline benchmark, minimum ratio of our throughput to the baseline's)
RATIOS = [
    ("SHA-256 of a 256 MiB file: core::DigestFile vs `openssl dgst -sha256`",
     "BM_DigestFile/sha256/min_time:2.000/real_time",
     "BM_OpensslDgst/sha256/min_time:2.000/real_time", 0.9),
    ("SHA-512 of a 256 MiB file: core::DigestFile vs `openssl dgst -sha512`",
     "BM_DigestFile/sha512/min_time:2.000/real_time",
     "BM_OpensslDgst/sha512/min_time:2.000/real_time", 0.9),
    ("JSON -> core::Value (8,000-pod PodList, 8 MiB) vs simdjson DOM parse alone",
     "BM_ParseJsonToValue", "BM_SimdjsonDomOnly", None),
    ("YAML -> core::Value (800-pod PodList) vs yaml-cpp YAML::Load alone",
     "BM_ParseYamlToValue", "BM_YamlCppLoadOnly", None),
    ("Layer walk + verify (256 MiB gzip layer, no visitors) vs `gzip -dc` (issue: <= 1.2x time)",
     "BM_WalkLayer/gzip/min_time:5.000/real_time",
     "BM_Decompress/gzip_dc/min_time:5.000/real_time", 0.83),
    ("Layer walk + verify (256 MiB zstd layer, no visitors) vs `zstd -dc` (issue: <= 1.2x time)",
     "BM_WalkLayer/zstd/min_time:5.000/real_time",
     "BM_Decompress/zstd_dc/min_time:5.000/real_time", 0.83),
]


def load(results_dir):
    benchmarks = {}
    context = {}
    for path in sorted(glob.glob(os.path.join(results_dir, "*.json"))):
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        context = data.get("context", context)
        binary = os.path.basename(path)[:-len(".json")]
        for b in data["benchmarks"]:
            benchmarks[b["name"]] = dict(b, binary=binary)
    return benchmarks, context


def throughput(b):
    return b.get("bytes_per_second", 0.0)


def fmt_rate(bytes_per_second):
    return f"{bytes_per_second / 1e6:,.1f} MB/s" if bytes_per_second else "-"


def render(benchmarks, context):
    lines = [BEGIN, ""]
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    cpu = context.get("num_cpus", "?")
    mhz = context.get("mhz_per_cpu", "?")
    lines.append(f"Measured {now} on {platform.machine()}, {cpu} CPUs at {mhz} MHz "
                 f"(`bench/run`, `-c opt`). Ratios are our throughput over the baseline's, "
                 "both from the same run.")
    lines += ["", "| figure | ours | baseline | ratio | required |", "|---|---|---|---|---|"]
    for what, ours, base, required in RATIOS:
        if ours not in benchmarks or base not in benchmarks:
            continue
        a, b = throughput(benchmarks[ours]), throughput(benchmarks[base])
        ratio = a / b if b else 0.0
        need = f">= {required}" if required is not None else "report"
        verdict = "" if required is None else (" (met)" if ratio >= required else " (NOT MET)")
        lines.append(f"| {what} | {fmt_rate(a)} | {fmt_rate(b)} | {ratio:.2f}x | {need}{verdict} |")
    lines += ["", "All benchmarks of the run:", "",
              "| binary | benchmark | real time | throughput |", "|---|---|---|---|"]
    for name, b in benchmarks.items():
        lines.append(f"| {b['binary']} | `{name}` | {b['real_time']:,.2f} {b['time_unit']} | "
                     f"{fmt_rate(throughput(b))} |")
    lines += ["", END]
    return "\n".join(lines)


def main():
    results_dir, doc_path = sys.argv[1], sys.argv[2]
    benchmarks, context = load(results_dir)
    generated = render(benchmarks, context)
    with open(doc_path, encoding="utf-8") as f:
        doc = f.read()
    if BEGIN not in doc or END not in doc:
        sys.exit(f"{doc_path}: markers {BEGIN} / {END} not found")
    head, rest = doc.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    with open(doc_path, "w", encoding="utf-8") as f:
        f.write(head + generated + tail)


if __name__ == "__main__":
    main()
