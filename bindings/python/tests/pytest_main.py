"""Runs the pytest files named on the command line as one `bazel test` target.

usage (from bulwark_py_test in //bindings/python:pytest.bzl): pytest_main.py TEST_FILE...

Writes JUnit XML to $XML_OUTPUT_FILE when Bazel sets it, so bazel/summarize_tests.py counts
individual test cases, and exits with pytest's code; collecting no test at all is a failure.
"""

import os
import sys

import pytest


def main(test_files):
    # Keep __pycache__ folders and pytest's cache out of Bazel's runfiles tree.
    sys.dont_write_bytecode = True
    args = [*test_files, "-q", "-p", "no:cacheprovider",
            # JUnit class names become the test module names ("core_digest_test").
            f"--rootdir={os.path.dirname(os.path.abspath(test_files[0]))}"]
    xml_output = os.environ.get("XML_OUTPUT_FILE")
    if xml_output:
        args.append(f"--junitxml={xml_output}")
    exit_code = pytest.main(args)
    if exit_code == pytest.ExitCode.NO_TESTS_COLLECTED:
        print(f"pytest_main: no test collected from {' '.join(test_files)}", file=sys.stderr)
        return 1
    return int(exit_code)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
