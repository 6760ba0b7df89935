"""Evaluates PEP 508 markers with pypa/packaging, the reference for python_marker_test.

Usage: evaluate_markers.py MARKERS ENVIRONMENTS
MARKERS holds one marker per line; ENVIRONMENTS is a JSON list of environment dicts. Prints one
line per marker with one character per environment: T (true), F (false), E (packaging raises
while evaluating), or the single character I when the marker does not parse as the marker of a
requirement ("name ; MARKER", InvalidRequirement).
"""

import json
import sys

from packaging.requirements import InvalidRequirement, Requirement


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as markers_file:
        markers = markers_file.read().split("\n")[:-1]
    with open(sys.argv[2], encoding="utf-8") as environments_file:
        environments = json.load(environments_file)
    for text in markers:
        try:
            marker = Requirement(f"name ; {text}").marker
        except InvalidRequirement:
            print("I")
            continue
        results = []
        for environment in environments:
            try:
                results.append("T" if marker.evaluate(environment) else "F")
            except Exception:  # pylint: disable=broad-except
                results.append("E")
        print("".join(results))


if __name__ == "__main__":
    main()
