"""bulwark.core.parse_yaml against PyYAML's safe_load_all over every YAML file of the Pod
Security Admission fixtures in ../shared/conformance/psa (about 3,000 Kubernetes manifests).

PyYAML implements YAML 1.1 and Bulwark the YAML 1.2 core schema. They read plain scalars such as
yes/no/on/off, 0777, 1:20, 2001-12-14 and 1e3 differently (core_document_test.py pins Bulwark's
reading); Kubernetes manifests quote such values, so any difference here is a real mismatch.
"""

import os

import yaml

import bulwark
from bulwark import core
from bulwark_testing import shared_dir
from identical import first_difference


def yaml_files(directory):
    for root, subdirectories, files in os.walk(directory):
        subdirectories.sort()
        for name in sorted(files):
            if name.endswith((".yaml", ".yml")):
                yield os.path.join(root, name)


def test_parse_yaml_equals_pyyaml_safe_load_all(record_property):
    psa_dir = shared_dir() / "conformance" / "psa"
    compared, mismatches = 0, []
    for path in yaml_files(psa_dir):
        name = os.path.relpath(path, psa_dir)
        with open(path, "rb") as file:
            data = file.read()
        expected = list(yaml.safe_load_all(data))
        compared += 1
        try:
            actual = core.parse_yaml(data, source_name=name)
        except bulwark.Error as error:
            mismatches.append(f"{name}: {error}")
            continue
        difference = first_difference(actual, expected)
        if difference:
            mismatches.append(f"{name}: {difference}")
    print(f"YAML cross-check: {compared} files compared, {len(mismatches)} differ")
    record_property("files_compared", compared)
    assert compared > 0
    assert not mismatches, "\n".join(mismatches[:20])
