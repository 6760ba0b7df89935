"""Embedding example: read a Kubernetes manifest with Bulwark's Python bindings.

    bazel run //examples/python:parse_pod -- "$PWD/pod.yaml"

Prints each container's name and image with the line it is on, shows how a malformed document
is reported (line:column, as a ValueError subclass), and prints the manifest's SHA-256 digest.
Exit status: 0 ok, 2 unreadable or malformed manifest.
"""

import sys

import bulwark
from bulwark import core

DUPLICATE_KEYS = '{"a": 1,\n "a": 2}'


def describe(manifest: bytes) -> list[str]:
    """One line per container of the first document in `manifest`."""
    pod = core.parse_yaml(manifest, source_name="pod.yaml")[0]
    return [f"{c['name']}: {c['image']}" for c in pod["spec"]["containers"]]


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: parse_pod MANIFEST", file=sys.stderr)
        return 2
    try:
        with open(argv[1], "rb") as f:
            manifest = f.read()
        for line in describe(manifest):
            print(line)
    except (OSError, bulwark.Error) as error:
        print(f"parse_pod: {error}", file=sys.stderr)
        return 2

    try:
        core.parse_json(DUPLICATE_KEYS, source_name="dup.json")
    except bulwark.InvalidArgumentError as error:  # Also a ValueError.
        print(f"rejected: {error}")

    print(core.digest(manifest))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
