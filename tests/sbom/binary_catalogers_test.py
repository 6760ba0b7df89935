"""The rpm, Go, Java and Rust catalogers in the one walk of `bulwark sbom`, on a 3-layer OCI
image this test builds with umoci from real tool output, each compared with a tool nobody here
wrote:

- layer 0: the three rpm databases of ../shared/conformance/pkgdb/rpm (SQLite, NDB, Berkeley DB)
  = `rpm --dbpath ... -qa` (Debian's rpm 4.18; NDB: go-rpmdb's expected list);
- layer 1: Debian's umoci and skopeo and the npm package's buf = `go version -m`; jars of
  /usr/share/java and a war nesting two of them = their pom.properties read with Python's
  zipfile; a Cargo.lock made by `cargo generate-lockfile` = the lock read with Python's tomllib,
  dependency edges included; a cargo-auditable executable (objcopy adds the .dep-v0 section);
- layer 2: deletes skopeo, which is reported removed there.
"""

import io
import json
import os
import pathlib
import re
import shutil
import subprocess
import tomllib
import urllib.parse
import zipfile
import zlib

import pytest

from bulwark_testing import runfile, shared_dir
from sbom_cli import sbom_json
from sbom_schemas import schema_errors

BULWARK = runfile("examples/cli/bulwark")
RPM_DIR = "conformance/pkgdb/rpm/go-rpmdb"
BUF_DIR = pathlib.Path("/var/cache/bulwark/testdata/npm/bufbuild-buf-linux-x64-1.75.0/package/bin")
CARGO = shutil.which("cargo") or "/root/.cargo/bin/cargo"
JARS = ["commons-io-2.11.0.jar", "commons-lang3-3.12.0.jar", "commons-codec-1.15.jar",
        "commons-cli-1.5.0.jar", "auto-value-1.8.2.jar"]


def need(program: str) -> str:
    path = shutil.which(program) or (program if os.access(program, os.X_OK) else None)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{program} is not installed")
        pytest.skip(f"{program} is not installed (bazel/setup.sh installs it)")
    return path


def run(*args, **kwargs) -> str:
    return subprocess.run(list(map(str, args)), check=True, capture_output=True, text=True,
                          **kwargs).stdout


# ---- oracles ------------------------------------------------------------------------------------

def rpm_query(db: pathlib.Path, name: str, backend: str, scratch: pathlib.Path) -> set:
    """`rpm -qa` rows (name, version-release, arch, epoch, sourcerpm, license, vendor)."""
    scratch.mkdir(parents=True)
    shutil.copy(db, scratch / name)
    out = run("rpm", "--dbpath", scratch, "--define", f"_db_backend {backend}", "-qa", "--qf",
              "%{NAME}\\t%{VERSION}-%{RELEASE}\\t%{ARCH}\\t%{EPOCH}\\t%{SOURCERPM}\\t%{LICENSE}\\t"
              "%{VENDOR}\\n")
    return {tuple("" if f == "(none)" else f for f in line.split("\t"))
            for line in out.splitlines()}


def ndb_expected() -> set:
    rows = set()
    for line in (shared_dir() / RPM_DIR / "sle15-bci.Packages.db.expected.tsv").read_text().splitlines():
        if line.startswith("#") or not line:
            continue
        epoch, name, version, release, arch, srpm, _, license_, vendor = line.split("\t")[:9]
        rows.add((name, f"{version}-{release}", arch, epoch, srpm, license_, vendor))
    return rows


def go_version_m(path: pathlib.Path) -> dict:
    """What `go version -m` prints, as the packages the Go cataloger must give."""
    lines = run("go", "version", "-m", path).splitlines()
    toolchain = lines[0].split(": ", 1)[1].strip()
    packages = {("stdlib", toolchain.split()[0].removeprefix("go"))}
    main, deps, sums = None, [], {}
    for line in lines[1:]:
        fields = line.strip("\t").split("\t")
        if fields[0] == "mod":
            main = (fields[1], "" if fields[2] == "(devel)" else fields[2])
            packages.add(main)
        elif fields[0] == "dep":
            deps.append((fields[1], fields[2]))
            sums[deps[-1]] = fields[3] if len(fields) > 3 else ""
        elif fields[0] == "=>":
            old = deps.pop()
            new = (fields[1], fields[2]) if len(fields) > 2 and fields[2] else old
            deps.append(new)
            sums[new] = fields[3] if len(fields) > 3 else ""
    packages.update(deps)
    return {"packages": packages, "main": main, "deps": set(deps), "sums": sums}


def pom_properties(data: bytes, depth: int = 0) -> set:
    """group:artifact@version of every META-INF/maven/**/pom.properties, nested archives too."""
    found = set()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("META-INF/maven/") and name.endswith("/pom.properties"):
                props = dict(line.split("=", 1) for line in
                             archive.read(name).decode("latin-1").splitlines()
                             if "=" in line and not line.startswith("#"))
                found.add((f"{props['groupId'].strip()}:{props['artifactId'].strip()}",
                           props["version"].strip()))
            elif name.endswith(".jar") and depth < 3:
                found |= pom_properties(archive.read(name), depth + 1)
    return found


def make_cargo_workspace(root: pathlib.Path) -> pathlib.Path:
    """app -> liba, libb; liba -> libb; `cargo generate-lockfile --offline` writes the lock."""
    for name, deps in [("libb", []), ("liba", ["libb"]), ("app", ["liba", "libb"])]:
        run(CARGO, "new", "--vcs", "none", "--lib", name, cwd=root)
        manifest = root / name / "Cargo.toml"
        text = manifest.read_text().replace("[dependencies]\n", "")
        text += "\n[dependencies]\n" + "".join(f'{d} = {{ path = "../{d}" }}\n' for d in deps)
        manifest.write_text(text)
    run(CARGO, "generate-lockfile", "--offline", cwd=root / "app")
    return root / "app" / "Cargo.lock"


def cargo_auditable_binary(lock: dict, out: pathlib.Path):
    """/bin/true with a .dep-v0 section holding `lock`'s packages in cargo-auditable's format."""
    packages = lock["package"]
    index = {p["name"]: i for i, p in enumerate(packages)}
    audit = {"packages": [
        {"name": p["name"], "version": p["version"], "source": "local",
         "dependencies": [index[d.split()[0]] for d in p.get("dependencies", [])],
         **({"root": True} if p["name"] == "app" else {})} for p in packages]}
    payload = out.with_suffix(".dep")
    payload.write_bytes(zlib.compress(json.dumps(audit).encode()))
    run("objcopy", "--add-section", f".dep-v0={payload}", "/bin/true", out)
    out.chmod(0o755)
    payload.unlink()


# ---- the image ----------------------------------------------------------------------------------

def umoci(*args):
    run("umoci", *args)


@pytest.fixture(scope="module")
def image(tmp_path_factory):
    for program in ["umoci", "rpm", "go", "objcopy"]:
        need(program)
    need(CARGO)
    tmp = tmp_path_factory.mktemp("image")
    rpm = shared_dir() / RPM_DIR
    layout, bundle = tmp / "layout", tmp / "bundle"
    umoci("init", "--layout", layout)
    umoci("new", "--image", f"{layout}:t")
    lock_path = make_cargo_workspace(tmp)
    facts = {"lock": tomllib.loads(lock_path.read_text())}

    def layer0(root):
        (root / "etc").mkdir()
        (root / "etc/os-release").write_text('ID=mariner\nVERSION_ID="2.0"\n')
        for source, target in [("cbl-mariner-2.0.rpmdb.sqlite", "var/lib/rpm/rpmdb.sqlite"),
                               ("sle15-bci.Packages.db", "usr/lib/sysimage/rpm/Packages.db"),
                               ("libuuid.Packages.bdb", "srv/el8/var/lib/rpm/Packages")]:
            (root / target).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(rpm / source, root / target)

    def layer1(root):
        bin_dir = root / "usr/local/bin"
        bin_dir.mkdir(parents=True)
        (root / "usr/bin").mkdir()
        for tool in ["/usr/bin/umoci", "/usr/bin/skopeo"]:
            shutil.copy(tool, root / tool.lstrip("/"))
        if (BUF_DIR / "buf").exists():
            shutil.copy(BUF_DIR / "buf", bin_dir / "buf")
        # The same executable without an execute bit is not sniffed.
        (root / "usr/share/doc").mkdir(parents=True, exist_ok=True)
        shutil.copy("/usr/bin/umoci", root / "usr/share/doc/umoci.bin")
        (root / "usr/share/doc/umoci.bin").chmod(0o644)
        lib = root / "opt/app/lib"
        lib.mkdir(parents=True)
        for jar in JARS:
            shutil.copy(f"/usr/share/java/{jar}", lib / jar)
        with zipfile.ZipFile(root / "opt/app/app.war", "w") as war:
            for jar in JARS[:2]:
                war.write(f"/usr/share/java/{jar}", f"WEB-INF/lib/{jar}")
        (root / "srv/rust").mkdir(parents=True)
        shutil.copy(lock_path, root / "srv/rust/Cargo.lock")
        cargo_auditable_binary(facts["lock"], bin_dir / "rust-app")

    def layer2(root):
        (root / "usr/bin/skopeo").unlink()

    for make in [layer0, layer1, layer2]:
        shutil.rmtree(bundle, ignore_errors=True)
        umoci("unpack", "--rootless", "--image", f"{layout}:t", bundle)
        make(bundle / "rootfs")
        umoci("repack", "--image", f"{layout}:t", bundle)
    facts["layout"] = layout
    facts["json"] = sbom_json(layout, "--files")
    return facts


def packages(document, cataloger, location_prefix=""):
    return [p for p in document["packages"] if p["cataloger"] == cataloger and
            p["locations"][0]["path"].startswith(location_prefix)]


@pytest.mark.parametrize("target,source,backend", [
    ("/var/lib/rpm/rpmdb.sqlite", "cbl-mariner-2.0.rpmdb.sqlite", "sqlite"),
    ("/usr/lib/sysimage/rpm/Packages.db", "sle15-bci.Packages.db", None),
    ("/srv/el8/var/lib/rpm/Packages", "libuuid.Packages.bdb", "bdb_ro"),
])
def test_rpm_databases_equal_rpm_qa(image, tmp_path, target, source, backend):
    ours = packages(image["json"], "rpm", target)
    rows = set()
    for p in ours:
        props = {x["name"]: x["value"] for x in p.get("properties", [])}
        rows.add((p["name"], p["version"], p.get("arch", ""), props.get("rpm:epoch", ""),
                  props.get("rpm:sourcerpm", ""), ",".join(p.get("licenses", [])),
                  props.get("rpm:vendor", "")))
        assert p.get("layer", 0) == 0 and p["locations"][0]["path"] == target
        epoch = f"&epoch={props['rpm:epoch']}" if "rpm:epoch" in props else ""
        arch = f"arch={p['arch']}&" if p.get("arch") else ""
        name = urllib.parse.quote(p["name"], safe=".-_~")
        assert p["purl"] == (f"pkg:rpm/mariner/{name}@{p['version']}?{arch}"
                             f"distro=mariner-2.0{epoch}"), p["purl"]
    expected = (ndb_expected() if backend is None else
                rpm_query(shared_dir() / RPM_DIR / source, target.rsplit("/", 1)[1], backend,
                          tmp_path / "db"))
    assert rows == expected
    assert len(ours) == len(expected)


def test_rpm_files_and_dependencies(image, tmp_path):
    """Files as rpm lists them; dependencies as rpm resolves curl's requirements (-qR, then
    --whatprovides), rpmlib() features and file paths aside."""
    curl = [p for p in packages(image["json"], "rpm", "/var/lib/rpm/rpmdb.sqlite")
            if p["name"] == "curl"]
    assert len(curl) == 1
    db = tmp_path / "db"
    db.mkdir()
    shutil.copy(shared_dir() / RPM_DIR / "cbl-mariner-2.0.rpmdb.sqlite", db / "rpmdb.sqlite")
    rpm = ["rpm", "--dbpath", db, "--define", "_db_backend sqlite"]
    assert sorted(curl[0]["files"]) == sorted(run(*rpm, "-ql", "curl").splitlines())
    expected = set()
    for requirement in run(*rpm, "-qR", "curl").splitlines():
        name = requirement.split(" ")[0]
        if name.startswith("/") or name.startswith("rpmlib("):
            continue
        providers = subprocess.run(list(map(str, [*rpm, "-q", "--qf", "%{NAME}\\n",
                                                  "--whatprovides", name])),
                                   capture_output=True, text=True).stdout.split()
        if providers and providers[0] != "curl":
            expected.add(providers[0])
    names = {image["json"]["packages"][i]["name"] for i in curl[0].get("dependsOn", [])}
    assert names == expected and len(expected) >= 4


@pytest.mark.parametrize("path", ["/usr/bin/umoci", "/usr/local/bin/buf"])
def test_go_binaries_equal_go_version_m(image, path):
    if path.endswith("buf") and not (BUF_DIR / "buf").exists():
        if os.environ.get("CI"):
            pytest.fail("bazel/setup.sh fetches @bufbuild/buf-linux-x64")
        pytest.skip("no buf in /var/cache/bulwark/testdata")
    ours = packages(image["json"], "go-binary", path)
    expected = go_version_m(pathlib.Path(path if "umoci" in path else BUF_DIR / "buf"))
    assert {(p["name"], p.get("version", "")) for p in ours} == expected["packages"]
    for p in ours:
        assert p["layer"] == 1
        props = {x["name"]: x["value"] for x in p.get("properties", [])}
        key = (p["name"], p.get("version", ""))
        if key in expected["sums"]:
            assert props.get("go:sum", "") == expected["sums"][key], key
        assert p["purl"].startswith("pkg:golang/")
    if expected["main"] is not None:
        main = next(p for p in ours if (p["name"], p.get("version", "")) == expected["main"])
        doc = image["json"]["packages"]
        linked = {(doc[i]["name"], doc[i].get("version", "")) for i in main["dependsOn"]}
        assert linked == expected["packages"] - {expected["main"]}
        assert len(expected["deps"]) > 50


def test_gopath_build_gives_stdlib_with_its_path(image):
    stdlib = packages(image["json"], "go-binary", "/usr/bin/umoci")
    path = [l for l in run("go", "version", "-m", "/usr/bin/umoci").splitlines()
            if l.startswith("\tpath\t")][0].split("\t")[2]
    assert [{x["name"]: x["value"] for x in p["properties"]}.get("go:path") for p in stdlib] == [path]


def test_removed_go_binary_and_unsniffed_files(image):
    removed = [p for p in image["json"].get("removedPackages", [])
               if p["locations"][0]["path"] == "/usr/bin/skopeo"]
    expected = go_version_m(pathlib.Path("/usr/bin/skopeo"))["packages"]
    assert {(p["name"], p.get("version", "")) for p in removed} == expected
    assert all(p["layer"] == 1 and p["removedLayer"] == 2 for p in removed)
    assert not [p for p in image["json"]["packages"]
                if p["locations"][0]["path"] == "/usr/share/doc/umoci.bin"]


def test_java_archives_equal_their_pom_properties(image):
    for jar in JARS:
        data = pathlib.Path(f"/usr/share/java/{jar}").read_bytes()
        ours = packages(image["json"], "java-archive", f"/opt/app/lib/{jar}")
        expected = pom_properties(data)
        assert expected, jar
        assert {(p["name"], p["version"]) for p in ours} == expected, jar
        for p in ours:
            group, artifact = p["name"].split(":")
            assert p["purl"] == f"pkg:maven/{group}/{artifact}@{p['version']}"
    war = packages(image["json"], "java-archive", "/opt/app/app.war")
    expected = set()
    for jar in JARS[:2]:
        expected |= pom_properties(pathlib.Path(f"/usr/share/java/{jar}").read_bytes())
    assert {(p["name"], p["version"]) for p in war} == expected
    archives = {x["value"] for p in war for x in p["properties"] if x["name"] == "java:archive"}
    assert archives == {f"/opt/app/app.war!/WEB-INF/lib/{jar}" for jar in JARS[:2]}


def lock_edges(lock: dict) -> set:
    return {(p["name"], d.split()[0]) for p in lock["package"] for d in p.get("dependencies", [])}


@pytest.mark.parametrize("path,cataloger", [("/srv/rust/Cargo.lock", "cargo-lock"),
                                            ("/usr/local/bin/rust-app", "cargo-auditable")])
def test_rust_packages_and_graph(image, path, cataloger):
    ours = packages(image["json"], cataloger, path)
    lock = image["lock"]
    assert {(p["name"], p["version"]) for p in ours} == {
        (p["name"], p["version"]) for p in lock["package"]}
    doc = image["json"]["packages"]
    edges = {(p["name"], doc[i]["name"]) for p in ours for i in p.get("dependsOn", [])}
    assert edges == lock_edges(lock) and len(edges) == 3
    assert all(p["purl"] == f"pkg:cargo/{p['name']}@{p['version']}" for p in ours)


def test_graph_in_cyclonedx_and_spdx(image):
    """The package graph in both formats, whose output (with rpm, Go, Java and Rust packages)
    is valid against the official schemas."""
    for fmt, schema in [("cyclonedx", "bom-1.5.schema.json"), ("spdx", "spdx-2.3.schema.json")]:
        document = json.loads(run(BULWARK, "sbom", image["layout"], "--format", fmt))
        assert schema_errors(document, schema) == [], fmt
    cdx = json.loads(run(BULWARK, "sbom", image["layout"], "--format", "cyclonedx-1.6"))
    assert schema_errors(cdx, "bom-1.6.schema.json") == []
    by_ref = {d["ref"]: set(d["dependsOn"]) for d in cdx["dependencies"]}
    app = [c["bom-ref"] for c in cdx["components"] if c.get("purl") == "pkg:cargo/app@0.1.0"]
    assert len(app) == 2  # Cargo.lock and the executable.
    for ref in app:
        assert {re.sub(r"^package-\d+:", "", r) for r in by_ref[ref]} == {
            "pkg:cargo/liba@0.1.0", "pkg:cargo/libb@0.1.0"}
    spdx = json.loads(run(BULWARK, "sbom", image["layout"], "--format", "spdx"))
    names = {p["SPDXID"]: p["name"] for p in spdx["packages"]}
    depends = {(names[r["spdxElementId"]], names[r["relatedSpdxElement"]])
               for r in spdx["relationships"] if r["relationshipType"] == "DEPENDS_ON"}
    assert lock_edges(image["lock"]) <= depends
