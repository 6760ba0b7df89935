"""Version comparison throughput of bulwark.vuln against the reference implementations, in one
run on the same vectors (issue 5): PEP 440 against pypa/packaging (parsing both sides, as
packaging users do), node-semver against npm's bundled semver (in node, JSON in one batch), and
dpkg against python3-apt and rpm against python3-rpm's labelCompare when they are installed. Bulwark is called
through compare_versions_many so that one Python call covers the whole batch.

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
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return count / best


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
                  "const p=JSON.parse(require('fs').readFileSync(0));let best=1e9;"
                  "for(let r=0;r<5;r++){const t=process.hrtime.bigint();"
                  "for(const [a,b] of p)s.compare(a,b);"
                  "best=Math.min(best,Number(process.hrtime.bigint()-t)/1e9);}"
                  "console.log(p.length/best);")
        reference = float(subprocess.run(["node", "-e", script], input=json.dumps(semver),
                                         capture_output=True, text=True, check=True).stdout)
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

    print("| scheme | Bulwark (comparisons/s) | reference | reference (comparisons/s) | ratio | "
          "required |")
    print("|---|---|---|---|---|---|")
    for scheme, ours, theirs, name, required in rows:
        ratio = f"{ours / theirs:.1f}x" if ours and theirs else "—"
        print(f"| {scheme} | {f'{ours:,.0f}' if ours else '—'} | {name} | "
              f"{f'{theirs:,.0f}' if theirs else '—'} | {ratio} | >= {required}x |")


if __name__ == "__main__":
    main()
