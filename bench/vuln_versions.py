"""Version comparison throughput of bulwark.vuln against the reference implementations, in one
run on the same vectors (issue 5): PEP 440 against pypa/packaging (parsing both sides, as
packaging users do), node-semver against npm's bundled semver (in node, JSON in one batch), and
dpkg against python3-apt and rpm against python3-rpm's labelCompare when they are installed. Bulwark is called
through compare_versions_many so that one Python call covers the whole batch.

What each side measures (per comparison, best of several runs, wall and CPU time):
- Bulwark: compare_versions_many(ecosystem, pairs) on a list of (a, b) str tuples: reading the
  Python strings, parsing both sides, comparing, and building the result list of ints.
- packaging: Version(a), Version(b) and their comparison, in a Python loop.
- apt_pkg: apt_pkg.version_compare(a, b) in a list comprehension (apt parses both strings in
  each call).
- rpm: rpm.labelCompare((e, v, r), (e, v, r)) in a list comprehension on pre-split tuples (rpm
  is spared the EVR split that Bulwark does from "0:v-1" strings).
- node-semver: semver.compare(a, b) in a JavaScript loop in node (it constructs both SemVer
  objects in each call); CPU time from process.cpuUsage().

    bazel run -c opt //bench:vuln_versions -- /work/shared/conformance/versions
"""

import json
import pathlib
import shutil
import subprocess
import sys
import time

from bulwark import vuln

NODE_SEMVER = "/usr/lib/node_modules/npm/node_modules/semver"


def pairs_of(path):
    pairs = []
    for line in pathlib.Path(path).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            fields = line.split("\t")
            pairs.append((fields[0], fields[2]))
    return pairs


def best_rate(function, count, repeat=5):
    """(comparisons per wall second, comparisons per CPU second), each the best of `repeat`."""
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return count / best_wall, count / max(best_cpu, 1e-9)


def main():
    versions = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/conformance/versions")
    rows = []

    pep440 = pairs_of(versions / "pep440/pep440_compare.tsv")
    ours = best_rate(lambda: vuln.compare_versions_many("PyPI", pep440), len(pep440))
    try:
        from packaging.version import Version

        def reference():
            for a, b in pep440:
                x, y = Version(a), Version(b)
                (x > y) - (x < y)

        rows.append(("PEP 440", ours, best_rate(reference, len(pep440), 3), "packaging", 20))
    except ImportError:
        rows.append(("PEP 440", ours, None, "packaging (not installed)", 20))

    semver = [p for p in pairs_of(versions / "semver/semver_compare.tsv")
              if not any(c in p[0] + p[1] for c in "v= ")] * 200
    ours = best_rate(lambda: vuln.compare_versions_many("npm", semver), len(semver))
    reference = None
    if shutil.which("node") and pathlib.Path(NODE_SEMVER).is_dir():
        script = (f"const s=require({json.dumps(NODE_SEMVER)});"
                  "const p=JSON.parse(require('fs').readFileSync(0));let wall=1e9,cpu=1e9;"
                  "for(let r=0;r<5;r++){const t=process.hrtime.bigint(),c=process.cpuUsage();"
                  "for(const [a,b] of p)s.compare(a,b);"
                  "const u=process.cpuUsage(c);cpu=Math.min(cpu,(u.user+u.system)/1e6);"
                  "wall=Math.min(wall,Number(process.hrtime.bigint()-t)/1e9);}"
                  "console.log(p.length/wall, p.length/cpu);")
        reference = tuple(map(float, subprocess.run(
            ["node", "-e", script], input=json.dumps(semver), capture_output=True, text=True,
            check=True).stdout.split()))
    rows.append(("node-semver", ours, reference, "npm semver 7 (node)", 3))

    dpkg = pairs_of(versions / "dpkg/dpkg_compare.tsv") * 500
    ours = best_rate(lambda: vuln.compare_versions_many("Debian", dpkg), len(dpkg))
    try:
        import apt_pkg
        apt_pkg.init_system()
        rows.append(("dpkg", ours, best_rate(
            lambda: [apt_pkg.version_compare(a, b) for a, b in dpkg], len(dpkg)), "apt_pkg", 1))
    except ImportError:
        rows.append(("dpkg", ours, None, "apt_pkg (python3-apt not installed)", 1))

    # rpm: EVRs of the rpmvercmp vectors (epoch 0, release "1"), labelCompare on (e, v, r).
    rpm_pairs = [(f"0:{a}-1", f"0:{b}-1") for a, b in pairs_of(versions / "rpm/rpmvercmp.tsv")
                 if all(c.isalnum() or c in "._+~^" for c in a + b)] * 500
    ours = best_rate(lambda: vuln.compare_versions_many("Red Hat", rpm_pairs), len(rpm_pairs))
    try:
        import rpm
        labels = [(("0", a[2:-2], "1"), ("0", b[2:-2], "1")) for a, b in rpm_pairs]
        rows.append(("rpm", ours, best_rate(
            lambda: [rpm.labelCompare(a, b) for a, b in labels], len(labels)),
            "rpm.labelCompare", 1))
    except ImportError:
        rows.append(("rpm", ours, None, "rpm.labelCompare (python3-rpm not installed)", 1))

    print("| scheme | Bulwark wall (cmp/s) | Bulwark CPU (cmp/s) | reference | reference wall | "
          "reference CPU | ratio wall | ratio CPU | required |")
    print("|---|---|---|---|---|---|---|---|---|")
    for scheme, ours, theirs, name, required in rows:
        cells = [scheme, f"{ours[0]:,.0f}", f"{ours[1]:,.0f}", name]
        if theirs:
            cells += [f"{theirs[0]:,.0f}", f"{theirs[1]:,.0f}", f"{ours[0] / theirs[0]:.2f}x",
                      f"{ours[1] / theirs[1]:.2f}x"]
        else:
            cells += ["—"] * 4
        print("| " + " | ".join(cells + [f">= {required}x"]) + " |")


if __name__ == "__main__":
    main()
