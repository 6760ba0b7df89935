"""Entry point of the pytest_test targets in //examples/...: runs pytest on the files named on the
command line, writes JUnit XML where Bazel asks for it, and fails when nothing was collected.

    pytest_main.py examples/cli/digest_command_test.py
"""

import os
import sys

import pytest

# pytest's exit status when it collected no tests: a test target that tests nothing is broken.
_NO_TESTS_COLLECTED = 5


def main() -> int:
    # The cache plugin would write .pytest_cache into the read-only runfiles tree.
    args = sys.argv[1:] + ["-q", "-p", "no:cacheprovider"]
    xml_output = os.environ.get("XML_OUTPUT_FILE")
    if xml_output:
        args.append(f"--junitxml={xml_output}")
    status = int(pytest.main(args))
    if status == _NO_TESTS_COLLECTED:
        print("pytest_main: no tests were collected", file=sys.stderr)
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
