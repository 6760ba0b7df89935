"""The package dependency graph (Package.dependsOn) against the package managers' own view:

- dpkg: this machine's status database; each Pre-Depends/Depends group as dpkg-query prints it
  must link to an installed package that is named by, or provides, one of its alternatives;
- apk: the real apk databases of ../shared/conformance/pkgdb; each D: entry links to the package
  named by it or providing it (p:);
- npm: the package-lock.json of ../shared/realimages' app image equals `npm ls --all
  --package-lock-only` (npm's own resolution of the lock), edge for edge; installed
  node_modules/**/package.json trees (one built here with nesting, scopes, optional and peer
  dependencies; the app and big images' trees) equal `npm ls --all` on the installed tree;
- Python: the requirements of this machine's .dist-info and .egg-info distributions
  (Requires-Dist, egg-info requires.txt) equal importlib.metadata's requires with packaging's
  markers evaluated for this machine's Python (extra ""), resolved among the distributions of
  the same directory, in an image built with umoci; markers against a venv's python3.X
  directory and an arm64 image;
- Ruby: gemspecs of this machine's gem homes equal RubyGems' own runtime_dependencies
  (Gem::Specification.load); a Gemfile.lock equals Bundler::LockfileParser's specs;
- pnpm-lock.yaml (v5, v6, v9) and composer.lock: no pnpm or composer here, so the expected
  edges are written in the test from the lock files' documented formats;
- CycloneDX `dependencies` and SPDX DEPENDS_ON carry the new links.
"""

import json
import os
import pathlib
import re
import shutil
import subprocess
import textwrap
from importlib import metadata

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from bulwark_testing import shared_dir
from sbom_cli import BULWARK, sbom_json

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


def edge_set(document, cataloger) -> set:
    """{("name@version", "dependency@version")} of one cataloger's packages."""
    return {(f"{p['name']}@{p['version']}", f"{d['name']}@{d['version']}")
            for p, deps in edges_of(document, cataloger).values() for d in deps}


def npm_ls_installed(project: pathlib.Path) -> set:
    """The edges `npm ls --all` reads from the installed tree under `project`, without the
    project itself."""
    result = subprocess.run(["npm", "ls", "--all", "--json", "--offline"], cwd=project,
                            capture_output=True, text=True, check=False)
    expected = set()
    npm_ls_edges(json.loads(result.stdout), "", expected)
    return {(a, b) for a, b in expected if a}


def write_json(path: pathlib.Path, data: dict):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))


@pytest.mark.skipif(shutil.which("npm") is None, reason="no npm")
def test_npm_installed_graph_equals_npm_ls(tmp_path):
    project = tmp_path / "proj"
    modules = project / "node_modules"
    write_json(project / "package.json", {"name": "proj", "version": "1.0.0", "dependencies": {
        "a": "^1.0.0", "b": "^1.0.0", "@s/e": "^1.0.0"}})
    write_json(modules / "a/package.json",
               {"name": "a", "version": "1.0.0", "dependencies": {"c": "^1.0.0"}})
    write_json(modules / "a/node_modules/c/package.json",
               {"name": "c", "version": "1.0.0", "dependencies": {"d": "^1.0.0"}})
    write_json(modules / "b/package.json",
               {"name": "b", "version": "1.0.0", "dependencies": {"c": "^2.0.0"}})
    write_json(modules / "c/package.json", {"name": "c", "version": "2.0.0"})
    write_json(modules / "d/package.json", {"name": "d", "version": "1.0.0",
                                            "optionalDependencies": {"absent": "^1.0.0"}})
    write_json(modules / "@s/e/package.json", {
        "name": "@s/e", "version": "1.0.0", "peerDependencies": {"a": "^1.0.0"},
        "devDependencies": {"b": "^1.0.0"}})
    expected = npm_ls_installed(project)
    assert edge_set(sbom_json(project), "npm-installed") == expected
    assert expected == {("a@1.0.0", "c@1.0.0"), ("c@1.0.0", "d@1.0.0"), ("b@1.0.0", "c@2.0.0"),
                        ("@s/e@1.0.0", "a@1.0.0")}


@pytest.mark.skipif(shutil.which("npm") is None, reason="no npm")
@pytest.mark.parametrize("image,project", [("app", "app"), ("big", "opt/node-tools")])
def test_realimages_installed_graph_equals_npm_ls(tmp_path, image, project):
    unpacked = realimages_dir() / f"work/unpack-{image}/rootfs" / project
    if not (unpacked / "node_modules").is_dir():
        pytest.skip(f"no unpacked {image} image")
    # Only the installed tree (the app's directory also holds a private key nobody may read).
    directory = tmp_path / "project"
    shutil.copytree(unpacked / "node_modules", directory / "node_modules", symlinks=True)
    shutil.copy(unpacked / "package.json", directory / "package.json")
    expected = npm_ls_installed(directory)
    assert edge_set(sbom_json(directory), "npm-installed") == expected
    assert len(expected) > 20


PYTHON_SITE = pathlib.Path("/usr/lib/python3/dist-packages")


def importlib_requires(site: pathlib.Path, environment=None, egg_info=False) -> set:
    """Edges from each distribution of `site` (.dist-info; with `egg_info`, .egg-info too) to
    those of its requirements that are installed there and whose marker holds in `environment`
    (packaging's default environment, this machine's, updated with it), as importlib.metadata
    and packaging read them."""
    dists = [d for d in metadata.distributions(path=[str(site)])
             if egg_info or d._path.name.endswith(".dist-info")]  # pylint: disable=protected-access
    installed = {canonicalize_name(d.metadata["Name"]): d for d in dists}
    edges = set()
    for dist in dists:
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker is not None and not requirement.marker.evaluate(environment):
                continue
            target = installed.get(canonicalize_name(requirement.name))
            if target is not None and target is not dist:
                edges.add((f"{dist.metadata['Name']}@{dist.version}",
                           f"{target.metadata['Name']}@{target.version}"))
    return edges


def umoci(*args):
    subprocess.run(["umoci", *args], check=True, capture_output=True)


def umoci_image(tmp_path, fill, *config) -> pathlib.Path:
    """A one-layer OCI layout whose rootfs `fill(rootfs)` writes; `config` are umoci config
    flags (e.g. --architecture=arm64)."""
    layout, bundle = tmp_path / "layout", tmp_path / "bundle"
    umoci("init", "--layout", str(layout))
    umoci("new", "--image", f"{layout}:t")
    if config:
        umoci("config", "--image", f"{layout}:t", *config)
    umoci("unpack", "--rootless", "--image", f"{layout}:t", str(bundle))
    fill(bundle / "rootfs")
    umoci("repack", "--image", f"{layout}:t", str(bundle))
    return layout


@pytest.mark.skipif(not PYTHON_SITE.is_dir() or shutil.which("umoci") is None or
                    not pathlib.Path("/var/lib/dpkg/status").exists(),
                    reason="no Debian Python or umoci here")
def test_python_requirements_equal_importlib_metadata_with_markers(tmp_path):
    """Debian's dist-packages has no version in its path: the markers read the python3
    package's version from the dpkg database, and platform_machine the image's architecture
    (umoci's default, this machine's)."""
    def fill(rootfs):
        site = rootfs / "usr/lib/python3/dist-packages"
        for pattern in ["*.dist-info/METADATA", "*.egg-info/PKG-INFO", "*.egg-info/requires.txt"]:
            for source in PYTHON_SITE.glob(pattern):
                target = site / source.parent.name / source.name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(source, target)
        for source in PYTHON_SITE.glob("*.egg-info"):
            if source.is_file():
                shutil.copy(source, site / source.name)
        (rootfs / "var/lib/dpkg").mkdir(parents=True)
        shutil.copy("/var/lib/dpkg/status", rootfs / "var/lib/dpkg/status")

    layout = umoci_image(tmp_path, fill)
    expected = importlib_requires(tmp_path / "bundle/rootfs/usr/lib/python3/dist-packages",
                                  egg_info=True)
    assert edge_set(sbom_json(layout), "python") == expected
    # Some requirements are excluded by a marker other than extra on this machine.
    excluded = [text for dist in metadata.distributions(path=[str(PYTHON_SITE)])
                for text in dist.requires or []
                if Requirement(text).marker is not None and "extra" not in text and
                not Requirement(text).marker.evaluate()]
    assert excluded


@pytest.mark.skipif(shutil.which("umoci") is None, reason="no umoci here")
def test_python_markers_follow_the_site_directory_and_architecture(tmp_path):
    """A venv's lib/python3.8 says python_version 3.8, /usr/lib/python3.12 says 3.12; the
    arm64 image says aarch64."""
    def dist(site, name, version, *requires):
        target = site / f"{name}-{version}.dist-info/METADATA"
        target.parent.mkdir(parents=True)
        target.write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n" +
                          "".join(f"Requires-Dist: {r}\n" for r in requires))

    requires = ["old-backport ; python_version < '3.9'", "new-only ; python_version >= '3.9'",
                "arm-accel ; platform_machine == 'aarch64'",
                "x86-accel; platform_machine=='x86_64'",
                "win-only ; sys_platform == 'win32' or os_name == 'nt'",
                "socks ; extra == 'socks'", "not-socks ; extra != 'socks'",
                "linux-cpython ; platform_system == 'Linux' and implementation_name == 'cpython'"]
    names = [r.split(";")[0].strip() for r in requires]
    sites = {"3.8": "opt/venv/lib/python3.8/site-packages",
             "3.12": "usr/lib/python3.12/site-packages"}

    def fill(rootfs):
        for site in sites.values():
            dist(rootfs / site, "app", "1.0", *requires)
            for name in names:
                dist(rootfs / site, name, "1.0")
            # An egg-info directory: requires.txt sections instead of Requires-Dist.
            egg = rootfs / site / "eggapp-2.0-py3.egg-info"
            egg.mkdir()
            (egg / "PKG-INFO").write_text("Metadata-Version: 1.2\nName: eggapp\nVersion: 2.0\n")
            (egg / "requires.txt").write_text(
                "linux-cpython\n\n[:python_version < \"3.9\"]\nold-backport\n\n"
                "[:platform_machine == \"x86_64\"]\nx86-accel\n\n[socks]\nsocks\n\n"
                "[socks:platform_machine == \"aarch64\"]\narm-accel\n")

    layout = umoci_image(tmp_path, fill, "--architecture=arm64")
    document = sbom_json(layout)
    got = {site: set() for site in sites.values()}
    for package, deps in edges_of(document, "python").values():
        site = str(pathlib.PurePosixPath(package["locations"][0]["path"]).parent.parent)
        got[site.lstrip("/")] |= {(f"{package['name']}@{package['version']}",
                                   f"{d['name']}@{d['version']}") for d in deps}
    for python, site in sites.items():
        environment = dict(default_environment(), python_version=python,
                           platform_machine="aarch64", extra="")
        expected = importlib_requires(tmp_path / "bundle/rootfs" / site, environment,
                                      egg_info=True)
        assert got[site] == expected
        assert {b for a, b in expected if a == "app@1.0"} == {
            "old-backport@1.0" if python == "3.8" else "new-only@1.0", "arm-accel@1.0",
            "not-socks@1.0", "linux-cpython@1.0"}
        assert {b for a, b in expected if a == "eggapp@2.0"} == (
            {"linux-cpython@1.0", "old-backport@1.0"} if python == "3.8"
            else {"linux-cpython@1.0"})


@pytest.mark.skipif(not PYTHON_SITE.is_dir(), reason="no Debian Python here")
def test_python_requires_dist_equal_importlib_metadata(tmp_path):
    site = tmp_path / "rootfs/usr/lib/python3/dist-packages"
    for metadata_file in PYTHON_SITE.glob("*.dist-info/METADATA"):
        target = site / metadata_file.parent.name / "METADATA"
        target.parent.mkdir(parents=True)
        shutil.copy(metadata_file, target)
    # The python3 package alone tells the interpreter's version (and adds no dpkg links).
    (tmp_path / "rootfs/var/lib/dpkg").mkdir(parents=True)
    (tmp_path / "rootfs/var/lib/dpkg/status").write_text(subprocess.run(
        ["dpkg-query", "-s", "python3"], capture_output=True, text=True, check=True).stdout)
    expected = importlib_requires(site)
    document = sbom_json(tmp_path / "rootfs")
    assert edge_set(document, "python") == expected
    assert len(expected) >= 3
    # The same links in CycloneDX and SPDX.
    cyclonedx = json.loads(subprocess.run(
        [str(BULWARK), "sbom", str(tmp_path / "rootfs"), "--format", "cyclonedx"],
        capture_output=True, text=True, check=True).stdout)
    depends = {d["ref"]: set(d.get("dependsOn", [])) for d in cyclonedx["dependencies"]}
    purl = {f"{p['name']}@{p['version']}": p["purl"] for p in document["packages"]}
    for a, b in expected:
        assert purl[b] in depends[purl[a]]
    spdx = json.loads(subprocess.run(
        [str(BULWARK), "sbom", str(tmp_path / "rootfs"), "--format", "spdx"],
        capture_output=True, text=True, check=True).stdout)
    assert sum(r["relationshipType"] == "DEPENDS_ON" for r in spdx["relationships"]) == \
        len(expected)


def test_python_requirements_resolve_in_their_own_directory(tmp_path):
    def dist(site, name, version, *requires):
        target = tmp_path / site / f"{name}-{version}.dist-info/METADATA"
        target.parent.mkdir(parents=True)
        target.write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n" +
                          "".join(f"Requires-Dist: {r}\n" for r in requires))
    dist("venv/site-packages", "App", "1.0", "Zope.Interface (>=5)", "requests[socks]>=2",
         "pysocks ; extra == 'socks'", "colorama; sys_platform == \"win32\"")
    dist("venv/site-packages", "zope_interface", "6.0")
    dist("venv/site-packages", "PySocks", "1.7")
    dist("usr/lib/python3/dist-packages", "requests", "2.28")
    dist("usr/lib/python3/dist-packages", "colorama", "0.4")
    dist("venv/site-packages", "colorama", "0.4.6")
    # requests is in another directory; pysocks only for an extra; colorama only on Windows.
    assert edge_set(sbom_json(tmp_path), "python") == {("App@1.0", "zope_interface@6.0")}


RUBY_GEM_HOMES = [pathlib.Path("/usr/lib/ruby/gems/3.1.0"),
                  pathlib.Path("/usr/share/rubygems-integration/all")]


def ruby(script: str, *args, cwd=None) -> list:
    return subprocess.run(["ruby", "-e", script, *map(str, args)], capture_output=True,
                          text=True, check=True, cwd=cwd).stdout.splitlines()


@pytest.mark.skipif(shutil.which("ruby") is None, reason="no ruby")
def test_gemspec_dependencies_equal_rubygems(tmp_path):
    expected = set()
    for number, home in enumerate(h for h in RUBY_GEM_HOMES if h.is_dir()):
        specifications = tmp_path / f"rootfs/home{number}/specifications"
        specifications.mkdir(parents=True)
        for gemspec in home.glob("specifications/*.gemspec"):
            shutil.copy(gemspec, specifications)
        rows = [line.split("\t") for line in ruby(
            'ARGV.each { |f| s = Gem::Specification.load(f); '
            'puts [s.name, s.version, s.runtime_dependencies.map(&:name).join(",")].join("\t") }',
            *sorted(specifications.glob("*.gemspec")))]
        version = {name: v for name, v, _ in rows}
        expected |= {(f"{name}@{v}", f"{d}@{version[d]}") for name, v, deps in rows
                     for d in filter(None, deps.split(",")) if d in version and d != name}
    assert edge_set(sbom_json(tmp_path / "rootfs"), "ruby") == expected
    assert len(expected) >= 3


GEMFILE_LOCK = """\
GEM
  remote: https://rubygems.org/
  specs:
    actionpack (7.0.4)
      actionview (= 7.0.4)
      activesupport (= 7.0.4)
      rack (~> 2.0, >= 2.2.0)
    actionview (7.0.4)
      activesupport (= 7.0.4)
    activesupport (7.0.4)
      concurrent-ruby (~> 1.0, >= 1.0.2)
      tzinfo (~> 2.0)
    concurrent-ruby (1.1.10)
    rack (2.2.4)
    tzinfo (2.0.5)
      concurrent-ruby (~> 1.0)

PLATFORMS
  x86_64-linux

DEPENDENCIES
  actionpack (~> 7.0)

BUNDLED WITH
   2.3.7
"""


@pytest.mark.skipif(shutil.which("ruby") is None, reason="no ruby")
def test_gemfile_lock_equals_bundler(tmp_path):
    lock = tmp_path / "srv/Gemfile.lock"
    lock.parent.mkdir(parents=True)
    lock.write_text(GEMFILE_LOCK)
    # Bundler looks for the Gemfile of the lock (it reads nothing from it here).
    (tmp_path / "srv/Gemfile").write_text('source "https://rubygems.org"\n')
    rows = [line.split("\t") for line in ruby(
        'require "bundler"; Bundler::LockfileParser.new(File.read(ARGV[0])).specs.each { |s| '
        'puts [s.name, s.version, s.dependencies.map(&:name).join(",")].join("\t") }', lock,
        cwd=lock.parent)]
    version = {name: v for name, v, _ in rows}
    expected = {(f"{name}@{v}", f"{d}@{version[d]}") for name, v, deps in rows
                for d in filter(None, deps.split(","))}
    assert edge_set(sbom_json(tmp_path), "ruby") == expected
    assert len(expected) == 7


PNPM_LOCKS = {
    "v5": """\
        lockfileVersion: 5.4
        specifiers:
          a: ^1.0.0
        dependencies:
          a: 1.0.0_react@18.2.0
        packages:
          /a/1.0.0_react@18.2.0:
            resolution: {integrity: sha512-x}
            dependencies:
              '@s/b': 2.0.0
              alias: /c/3.0.0
              react: 18.2.0
              local: link:../local
          /@s/b/2.0.0:
            resolution: {integrity: sha512-x}
            optionalDependencies:
              c: 3.0.0
          /c/3.0.0:
            resolution: {integrity: sha512-x}
          /react/18.2.0:
            resolution: {integrity: sha512-x}
        """,
    "v6": """\
        lockfileVersion: '6.0'
        dependencies:
          a:
            specifier: ^1.0.0
            version: 1.0.0(react@18.2.0)
        packages:
          /a@1.0.0(react@18.2.0):
            resolution: {integrity: sha512-x}
            dependencies:
              '@s/b': 2.0.0
              alias: /c@3.0.0
              react: 18.2.0
              local: link:../local
          /@s/b@2.0.0:
            resolution: {integrity: sha512-x}
            optionalDependencies:
              c: 3.0.0
          /c@3.0.0:
            resolution: {integrity: sha512-x}
          /react@18.2.0:
            resolution: {integrity: sha512-x}
        """,
    "v9": """\
        lockfileVersion: '9.0'
        importers:
          .:
            dependencies:
              a:
                specifier: ^1.0.0
                version: 1.0.0(react@18.2.0)
        packages:
          a@1.0.0:
            resolution: {integrity: sha512-x}
          '@s/b@2.0.0':
            resolution: {integrity: sha512-x}
          c@3.0.0:
            resolution: {integrity: sha512-x}
          react@18.2.0:
            resolution: {integrity: sha512-x}
        snapshots:
          a@1.0.0(react@18.2.0):
            dependencies:
              '@s/b': 2.0.0
              alias: c@3.0.0
              react: 18.2.0
              local: link:../local
          '@s/b@2.0.0':
            optionalDependencies:
              c: 3.0.0
          c@3.0.0: {}
          react@18.2.0: {}
        """,
}


@pytest.mark.parametrize("version", sorted(PNPM_LOCKS))
def test_pnpm_lock_graph(tmp_path, version):
    (tmp_path / "pnpm-lock.yaml").write_text(textwrap.dedent(PNPM_LOCKS[version]))
    assert edge_set(sbom_json(tmp_path), "javascript-lock") == {
        ("a@1.0.0", "@s/b@2.0.0"), ("a@1.0.0", "c@3.0.0"), ("a@1.0.0", "react@18.2.0"),
        ("@s/b@2.0.0", "c@3.0.0")}


def test_composer_require_links(tmp_path):
    write_json(tmp_path / "composer.lock", {
        "packages": [
            {"name": "monolog/monolog", "version": "3.5.0",
             "require": {"php": ">=8.1", "psr/log": "^2.0 || ^3.0"},
             "require-dev": {"phpunit/phpunit": "^10"}},
            {"name": "psr/log", "version": "3.0.0", "require": {"php": ">=8.0.0"}}],
        "packages-dev": [
            {"name": "phpunit/phpunit", "version": "10.5.0",
             "require": {"ext-json": "*", "psr/log": "^3"}}]})
    write_json(tmp_path / "vendor/composer/installed.json", {"packages": [
        {"name": "a/b", "version": "1.0.0", "require": {"c/d": "^1"}},
        {"name": "c/d", "version": "1.2.0"}]})
    assert edge_set(sbom_json(tmp_path), "composer") == {
        ("monolog/monolog@3.5.0", "psr/log@3.0.0"), ("phpunit/phpunit@10.5.0", "psr/log@3.0.0"),
        ("a/b@1.0.0", "c/d@1.2.0")}
