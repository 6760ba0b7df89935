"""bulwark.core.parse_json against Python's json module over every *.json file in
../shared/conformance (about 11,700 documents written by other projects).

Expected values come from json.loads with one documented Bulwark rule applied: an integer that
fits neither int64 nor uint64 becomes the nearest float (core/document.h), where Python keeps an
exact int. Files Python rejects must be rejected by Bulwark too (InvalidArgumentError); files
with duplicate keys, which Python accepts (last one wins) and Bulwark rejects, are counted apart.
"""

import dataclasses
import json
import os

import pytest

import bulwark
from bulwark import core
from bulwark_testing import shared_dir
from identical import first_difference

INT64_MIN = -(1 << 63)
UINT64_MAX = (1 << 64) - 1


class DuplicateKey(Exception):
    pass


@dataclasses.dataclass
class CrossCheck:
    compared: int = 0
    big_integers_as_float: int = 0
    mismatches: list = dataclasses.field(default_factory=list)
    # (path, why Python rejected it, what Bulwark did)
    python_rejects: list = dataclasses.field(default_factory=list)
    duplicate_keys: list = dataclasses.field(default_factory=list)


def json_files(conformance_dir):
    for directory, subdirectories, files in os.walk(conformance_dir):
        subdirectories.sort()
        for name in sorted(files):
            if name.endswith(".json"):
                yield os.path.join(directory, name)


def reject_duplicate_keys(pairs):
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise DuplicateKey(keys)
    return dict(pairs)


def bulwark_outcome(data, source_name):
    try:
        core.parse_json(data, source_name=source_name)
    except bulwark.Error as error:
        return error
    return None


@pytest.fixture(scope="module")
def cross_check():
    conformance_dir = shared_dir() / "conformance"
    result = CrossCheck()

    def parse_int(digits):
        value = int(digits)
        if INT64_MIN <= value <= UINT64_MAX:
            return value
        result.big_integers_as_float += 1
        return float(digits)

    for path in json_files(conformance_dir):
        name = os.path.relpath(path, conformance_dir)
        with open(path, "rb") as file:
            data = file.read()
        try:
            expected = json.loads(data, parse_int=parse_int,
                                  object_pairs_hook=reject_duplicate_keys)
        except DuplicateKey:
            result.duplicate_keys.append((name, bulwark_outcome(data, name)))
            continue
        except ValueError as error:  # JSONDecodeError and UnicodeDecodeError
            result.python_rejects.append((name, error, bulwark_outcome(data, name)))
            continue
        result.compared += 1
        try:
            actual = core.parse_json(data, source_name=name)
        except bulwark.Error as error:
            result.mismatches.append(f"{name}: {error}")
            continue
        difference = first_difference(actual, expected)
        if difference:
            result.mismatches.append(f"{name}: {difference}")
    print(f"JSON cross-check: {result.compared} files compared, {len(result.mismatches)} differ, "
          f"{len(result.python_rejects)} rejected by Python's json, "
          f"{len(result.duplicate_keys)} with duplicate keys, "
          f"{result.big_integers_as_float} integers beyond 64 bits read as float")
    return result


def test_parse_json_equals_python_json(cross_check, record_property):
    record_property("files_compared", cross_check.compared)
    record_property("big_integers_as_float", cross_check.big_integers_as_float)
    assert cross_check.compared > 0
    assert not cross_check.mismatches, "\n".join(cross_check.mismatches[:20])


def test_json_python_rejects_is_rejected_as_invalid_argument(cross_check, record_property):
    record_property("files_rejected_by_python", len(cross_check.python_rejects))
    accepted = [f"{name} (Python: {why})" for name, why, outcome in cross_check.python_rejects
                if not isinstance(outcome, bulwark.InvalidArgumentError)]
    assert not accepted, "\n".join(accepted)


def test_json_duplicate_keys_are_rejected(cross_check, record_property):
    record_property("files_with_duplicate_keys", len(cross_check.duplicate_keys))
    accepted = [name for name, outcome in cross_check.duplicate_keys
                if not (isinstance(outcome, bulwark.InvalidArgumentError) and
                        "duplicate key" in str(outcome))]
    assert not accepted, "\n".join(accepted)
