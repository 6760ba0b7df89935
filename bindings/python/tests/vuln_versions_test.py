"""bulwark.vuln.compare_versions against the reference implementations installed here, on real
version strings: dpkg --compare-versions on the versions of the installed Debian packages,
rpm's own vercmp on RPM EVRs, pypa/packaging on PEP 440 versions, and npm's bundled node-semver."""

import functools
import json
import pathlib
import random
import shutil
import subprocess

import pytest

import bulwark
from bulwark import vuln
from bulwark_testing import shared_dir


def sample_pairs(versions, count, seed=5):
    rng = random.Random(seed)
    versions = sorted(set(versions))
    return [tuple(rng.sample(versions, 2)) for _ in range(count)]


def installed_debian_versions():
    if shutil.which("dpkg-query") is None:
        pytest.skip("dpkg-query is not installed")
    output = subprocess.run(["dpkg-query", "--show", "--showformat=${Version}\n"],
                            capture_output=True, text=True, check=True).stdout
    return [line for line in output.splitlines() if line]


def test_dpkg_order_matches_dpkg_compare_versions():
    pairs = sample_pairs(installed_debian_versions(), 150)
    # Close pairs test more than random ones: the same upstream with other revisions.
    pairs += [("1.2.3-1", "1.2.3-1+deb12u1"), ("2:1.0~rc1-1", "2:1.0-1"), ("1.0+dfsg-1", "1.0-1")]
    ours = vuln.compare_versions_many("Debian:12", pairs)
    for (a, b), order in zip(pairs, ours):
        result = subprocess.run(["dpkg", "--compare-versions", a, "lt", b], check=False)
        equal = subprocess.run(["dpkg", "--compare-versions", a, "eq", b], check=False)
        expected = -1 if result.returncode == 0 else 0 if equal.returncode == 0 else 1
        assert order == expected, (a, b)


def rpm_vercmp(pairs):
    if shutil.which("rpm") is None:
        pytest.skip("rpm is not installed")
    lua = "".join(f"print(rpm.vercmp('{a}', '{b}')); print('\\n');" for a, b in pairs)
    output = subprocess.run(["rpm", "--eval", f"%{{lua: {lua}}}"], capture_output=True, text=True,
                            check=True).stdout
    return [int(line) for line in output.split() if line]


def almalinux_versions():
    versions = set()
    directory = shared_dir() / "conformance/osv/almalinux/advisories/almalinux9"
    for path in sorted(directory.glob("*.json"))[:300]:
        record = json.loads(path.read_text(encoding="utf-8"))
        for affected in record.get("affected", []):
            for version_range in affected.get("ranges", []):
                for event in version_range.get("events", []):
                    versions.update(v for k, v in event.items() if k == "fixed")
    return versions


def test_rpm_order_matches_rpm_vercmp_on_almalinux_fixed_versions():
    pairs = sample_pairs(almalinux_versions(), 300)
    pairs += [("1.0~rc1-1", "1.0-1"), ("1.0^git1-1", "1.0-1"), ("1:1.0-1", "2.0-1")]
    assert vuln.compare_versions_many("AlmaLinux:9", pairs) == rpm_vercmp(pairs)


def test_pep440_order_matches_packaging_on_pypi_advisory_versions():
    packaging_version = pytest.importorskip("packaging.version")
    versions = set()
    for path in sorted((shared_dir() / "conformance/osv/pypi/vulns").glob("*/*.yaml"))[:400]:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            for key in ("fixed: ", "introduced: ", "- "):
                if line.startswith(key):
                    candidate = line[len(key):].strip("'\"")
                    try:
                        packaging_version.Version(candidate)
                    except packaging_version.InvalidVersion:
                        continue
                    versions.add(candidate)
    pairs = sample_pairs(versions, 3000)
    expected = []
    for a, b in pairs:
        va, vb = packaging_version.Version(a), packaging_version.Version(b)
        expected.append((va > vb) - (va < vb))
    assert vuln.compare_versions_many("PyPI", pairs) == expected


NODE_SEMVER = pathlib.Path("/usr/lib/node_modules/npm/node_modules/semver")


def test_npm_order_matches_node_semver_on_go_vulndb_versions():
    if shutil.which("node") is None or not NODE_SEMVER.is_dir():
        pytest.skip("node and npm's bundled semver are not installed")
    versions = set()
    for path in sorted((shared_dir() / "conformance/osv/go/osv").glob("*.json"))[:400]:
        record = json.loads(path.read_text(encoding="utf-8"))
        for affected in record.get("affected", []):
            for version_range in affected.get("ranges", []):
                for event in version_range.get("events", []):
                    versions.update(v for v in event.values() if v != "0")
    pairs = sample_pairs(versions, 2000)
    script = (f"const semver = require({json.dumps(str(NODE_SEMVER))});"
              "const pairs = JSON.parse(require('fs').readFileSync(0));"
              "console.log(JSON.stringify(pairs.map(([a, b]) => semver.compare(a, b))));")
    expected = json.loads(subprocess.run(["node", "-e", script], input=json.dumps(pairs),
                                         capture_output=True, text=True, check=True).stdout)
    assert vuln.compare_versions_many("npm", pairs) == expected
    assert vuln.compare_versions_many("Go", pairs) == expected


def test_invalid_versions_raise_value_error_naming_the_problem():
    with pytest.raises(ValueError, match=r'PyPI version "french toast": not a PEP 440'):
        vuln.compare_versions("PyPI", "french toast", "1.0")
    with pytest.raises(bulwark.InvalidArgumentError, match="unknown ecosystem"):
        vuln.compare_versions("Conan", "1", "2")
    with pytest.raises(bulwark.InvalidArgumentError, match=r"pair 1: npm version \"x\""):
        vuln.compare_versions_many("npm", [("1.0.0", "1.0.1"), ("x", "1.0.0")])


def test_sorting_with_cmp_to_key_follows_the_ecosystem():
    versions = ["1.0", "1.0.post1", "1.0rc1", "1.0.dev0", "0.9"]
    key = functools.cmp_to_key(functools.partial(vuln.compare_versions, "PyPI"))
    assert sorted(versions, key=key) == ["0.9", "1.0.dev0", "1.0rc1", "1.0", "1.0.post1"]


def test_batch_accepts_lists_and_rejects_non_strings():
    assert vuln.compare_versions_many("npm", [["1.0.0", "2.0.0"], ("2.0.0", "1.0.0")]) == [-1, 1]
    assert vuln.compare_versions_many("npm", iter([])) == []
    with pytest.raises(TypeError):
        vuln.compare_versions_many("npm", [("1.0.0", 1)])
    with pytest.raises(TypeError):
        vuln.compare_versions_many("npm", [("1.0.0",)])
