"""`bulwark sbom` on the images of ../shared/realimages/build.sh against its ground truth, which
that script made without any scanner: dpkg-query's list (name, version, arch, source, source
version), the node_modules/<name>/package.json set, the dist-info/egg-info set, and the layer of
every file.

Skipped unless BULWARK_REALIMAGES_DIR names a built output dir:
    BULWARK_REALIMAGES_DIR=/tmp/realimages bazel test //tests/sbom:realimages_sbom_test
"""

import csv
import os
import pathlib

import pytest

from sbom_cli import dpkg_rows, sbom_json

IMAGES = [
    pytest.param("app/app-oci", [], "app", id="app"),
    pytest.param("buildah/buildah-app-oci", [], "buildah", id="buildah"),
    pytest.param("multiarch/debian-minbase-multi-oci", ["--platform", "linux/arm64/v8"],
                 "multiarch-arm64", id="multiarch-arm64"),
    pytest.param("big/big-oci-zstd", [], "big", id="big"),
]


def realimages_dir() -> pathlib.Path:
    configured = os.environ.get("BULWARK_REALIMAGES_DIR", "")
    if not configured or not (pathlib.Path(configured) / "groundtruth").is_dir():
        pytest.skip("set BULWARK_REALIMAGES_DIR to an output dir of ../shared/realimages/build.sh")
    return pathlib.Path(configured)


def table(path: pathlib.Path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def packages_of(document, cataloger):
    return [p for p in document.get("packages", []) if p["cataloger"] == cataloger]


@pytest.mark.parametrize("path,flags,truth", IMAGES)
def test_packages_equal_ground_truth(path, flags, truth):
    root = realimages_dir()
    document = sbom_json(root / path, *flags)
    groundtruth = root / "groundtruth"

    expected_dpkg = sorted("\t".join([r["package"], r["version"], r["arch"], r["source_package"],
                                      r["source_version"]])
                           for r in table(groundtruth / f"{truth}.dpkg.tsv"))
    assert dpkg_rows(document) == expected_dpkg

    expected_npm = {(r["name"], r["version"], r["package_json"])
                    for r in table(groundtruth / f"{truth}.npm.tsv")
                    if r["origin"] == "npm" and r["name"] and r["version"]}
    npm = packages_of(document, "npm-installed")
    assert {(p["name"], p["version"], p["locations"][0]["path"]) for p in npm} == expected_npm

    def dist_dir(location):
        return location.rsplit("/", 1)[0] if location.endswith(("/METADATA", "/PKG-INFO")) \
            else location
    expected_python = {(r["name"], r["version"], r["path"])
                       for r in table(groundtruth / f"{truth}.python.tsv")}
    python = packages_of(document, "python")
    assert {(p["name"], p["version"], dist_dir(p["locations"][0]["path"]))
            for p in python} == expected_python

    # Each declaring file's final version comes from the layer the ground truth says.
    layers = {r["path"]: int(r["from_layer"]) - 1 for r in table(groundtruth / f"{truth}.files.tsv")}
    for package in document["packages"]:
        for location in package["locations"]:
            assert location.get("layer", 0) == layers[location["path"]], location
        assert package.get("layer", 0) <= package["locations"][0].get("layer", 0)
    assert document["os"]["osvEcosystem"] == "Debian:12"
