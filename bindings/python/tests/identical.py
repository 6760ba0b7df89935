"""Strict comparison of parsed documents: same types (True is not 1, 1.0 is not 1), same values,
and dict keys in the same order."""

import math


def first_difference(actual, expected, path="$"):
    """A description of the first place where `actual` differs from `expected`, or None."""
    if type(actual) is not type(expected):
        return (f"{path}: {actual!r} ({type(actual).__name__}) != "
                f"{expected!r} ({type(expected).__name__})")
    if isinstance(expected, dict):
        if list(actual) != list(expected):
            return f"{path}: keys {list(actual)} != {list(expected)}"
        for key, value in expected.items():
            difference = first_difference(actual[key], value, f"{path}.{key}")
            if difference:
                return difference
        return None
    if isinstance(expected, list):
        if len(actual) != len(expected):
            return f"{path}: {len(actual)} elements != {len(expected)}"
        for index, (actual_item, expected_item) in enumerate(zip(actual, expected)):
            difference = first_difference(actual_item, expected_item, f"{path}[{index}]")
            if difference:
                return difference
        return None
    if isinstance(expected, float) and math.isnan(expected) and math.isnan(actual):
        return None
    return None if actual == expected else f"{path}: {actual!r} != {expected!r}"


def assert_identical(actual, expected):
    difference = first_difference(actual, expected)
    assert difference is None, difference
