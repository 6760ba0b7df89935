"""The package dependency graph (Package.dependsOn) against the package managers' own view:

- dpkg: this machine's status database; each Pre-Depends/Depends group as dpkg-query prints it
  must link to an installed package that is named by, or provides, one of its alternatives;
- apk: the real apk databases of ../shared/conformance/pkgdb; each D: entry links to the package
  named by it or providing it (p:);
- npm: the package-lock.json of ../shared/realimages' app image equals `npm ls --all
  --package-lock-only` (npm's own resolution of the lock), edge for edge.
"""

import json
import os
import pathlib
import re
import shutil
import subprocess

import pytest

from bulwark_testing import shared_dir
from sbom_cli import sbom_json

APK_FIXTURES = ["syft/syft/pkg/cataloger/alpine/testdata/multiple-1/lib/apk/db/installed",
                "syft/syft/pkg/cataloger/alpine/testdata/multiple-2/lib/apk/db/installed",
                "trivy/pkg/fanal/analyzer/pkg/apk/testdata/apk"]


def edges_of(document, cataloger) -> dict:
    """{index: (package, [dependency packages])} for one cataloger."""
    packages = document["packages"]
    return {i: (p, [packages[j] for j in p.get("dependsOn", [])])
            for i, p in enumerate(packages) if p["cataloger"] == cataloger}


def names(field: str) -> list:
    """dpkg relation field -> list of alternative-name lists (versions, arch quals dropped)."""
    groups = []
    for group in filter(None, (g.strip() for g in field.split(","))):
        groups.append([re.split(r"[\s(:\[<]", alt.strip(), maxsplit=1)[0]
                       for alt in group.split("|")])
    return groups


@pytest.mark.skipif(not pathlib.Path("/var/lib/dpkg/status").exists(), reason="no dpkg here")
def test_dpkg_graph_follows_dpkg_query_relations(tmp_path):
    root = tmp_path / "rootfs"
    (root / "var/lib/dpkg").mkdir(parents=True)
    shutil.copy("/var/lib/dpkg/status", root / "var/lib/dpkg/status")
    rows = subprocess.run(
        ["dpkg-query", "--admindir=/var/lib/dpkg", "-W", "-f",
         "${db:Status-Abbrev}\t${Package}\t${Provides}\t${Pre-Depends}\t${Depends}\n"],
        capture_output=True, text=True, check=True).stdout.splitlines()
    installed, provided_by, requirements = set(), {}, {}
    for row in rows:
        status, package, provides, pre_depends, depends = row.split("\t")
        if status.strip() == "un":
            continue
        installed.add(package)
        for (name, *_) in names(provides):
            provided_by.setdefault(name, set()).add(package)
        requirements[package] = names(pre_depends) + names(depends)
    ours = {p["name"]: {d["name"] for d in deps}
            for p, deps in edges_of(sbom_json(root), "dpkg").values()}
    assert set(ours) == installed
    linked = 0
    for package, groups in requirements.items():
        expected_any = []
        for alternatives in groups:
            for name in alternatives:
                # A real package of that name, or else any package providing it.
                choices = {name} & installed or provided_by.get(name, set())
                if choices:
                    expected_any.append(choices - {package})
                    break
        for choices in expected_any:
            if choices:
                assert ours[package] & choices, (package, choices)
        assert len(ours[package]) <= len(expected_any), package
        linked += len(ours[package])
    assert linked > len(installed)


@pytest.mark.parametrize("fixture", APK_FIXTURES)
def test_apk_graph_follows_d_and_p_fields(tmp_path, fixture):
    text = (shared_dir() / "conformance/pkgdb" / fixture).read_text()
    root = tmp_path / "rootfs"
    (root / "lib/apk/db").mkdir(parents=True)
    (root / "lib/apk/db/installed").write_text(text)
    stanzas = []
    for block in filter(str.strip, text.split("\n\n")):
        fields = {}
        for line in block.splitlines():
            if len(line) > 2 and line[1] == ":":
                fields.setdefault(line[0], []).append(line[2:])
        if "P" in fields and "V" in fields:  # apk skips the others, so does the cataloger.
            stanzas.append(fields)
    by_name = {}
    for s in stanzas:
        by_name.setdefault(s["P"][0], s["P"][0])
    for s in stanzas:
        for token in " ".join(s.get("p", [])).split():
            by_name.setdefault(re.split(r"[<>=~]", token)[0], s["P"][0])
    expected = {}
    for s in stanzas:
        deps = set()
        for token in " ".join(s.get("D", [])).split():
            if token.startswith("!"):
                continue
            target = by_name.get(re.split(r"[<>=~]", token)[0])
            if target is not None and target != s["P"][0]:
                deps.add(target)
        expected[s["P"][0]] = deps
    ours = {p["name"]: {d["name"] for d in deps}
            for p, deps in edges_of(sbom_json(root), "apk").values()}
    assert ours == expected
    assert sum(map(len, expected.values())) >= 4


def realimages_dir() -> pathlib.Path:
    value = os.environ.get("BULWARK_REALIMAGES_DIR")
    if not value:
        pytest.skip("set BULWARK_REALIMAGES_DIR to an output dir of ../shared/realimages/build.sh")
    return pathlib.Path(value)


def npm_ls_edges(tree: dict, parent: str, out: set):
    for name, node in tree.get("dependencies", {}).items():
        if "version" in node:
            out.add((parent, f"{name}@{node['version']}"))
            npm_ls_edges(node, f"{name}@{node['version']}", out)


@pytest.mark.skipif(shutil.which("npm") is None, reason="no npm")
def test_npm_lock_graph_equals_npm_ls(tmp_path):
    rootfs = realimages_dir() / "work/unpack-app/rootfs"
    if not (rootfs / "app/package-lock.json").exists():
        pytest.skip("no unpacked app image")
    project = tmp_path / "app"
    project.mkdir()
    for name in ["package.json", "package-lock.json"]:
        shutil.copy(rootfs / "app" / name, project / name)
    tree = json.loads(subprocess.run(
        ["npm", "ls", "--all", "--json", "--package-lock-only", "--offline"], cwd=project,
        capture_output=True, text=True).stdout)
    expected = set()
    npm_ls_edges(tree, "", expected)
    expected = {(a, b) for a, b in expected if a}  # The project itself is not a package.
    document = sbom_json(project)
    ours = {(f"{p['name']}@{p['version']}", f"{d['name']}@{d['version']}")
            for p, deps in edges_of(document, "javascript-lock").values() for d in deps}
    assert ours == expected
    assert len(expected) > 20
