"""Runs the pytest files named on the command line as one `bazel test` target.

usage (from bulwark_py_test in //bazel:pytest.bzl): pytest_main.py TEST_FILE...

TEST_FILE paths are relative to the runfiles root of the main repository, which is the working
directory Bazel starts tests in. Writes JUnit XML to $XML_OUTPUT_FILE when Bazel sets it, so
bazel/summarize_tests.py counts individual test cases, and exits with pytest's status; collecting
no test at all is a failure.
"""

import sys

# Before anything is imported from the runfiles tree, which is Bazel's, not a place for
# __pycache__ folders (pytest's assertion rewriting honours this flag too).
sys.dont_write_bytecode = True

import os  # noqa: E402

import pytest  # noqa: E402


def main(test_files):
    if not test_files:
        print("pytest_main: no test file given", file=sys.stderr)
        return 1
    args = [*test_files, "-q",
            # The cache plugin would write .pytest_cache into the read-only runfiles tree.
            "-p", "no:cacheprovider",
            # Test IDs and JUnit class names are paths from the repository root
            # ("examples.cli.digest_command_test"), and no conftest.py above it is read.
            f"--rootdir={os.getcwd()}"]
    xml_output = os.environ.get("XML_OUTPUT_FILE")
    if xml_output:
        args.append(f"--junitxml={xml_output}")
    exit_code = pytest.main(args)
    if exit_code == pytest.ExitCode.NO_TESTS_COLLECTED:
        # A test target that tests nothing is broken.
        print(f"pytest_main: no test collected from {' '.join(test_files)}", file=sys.stderr)
        return 1
    return int(exit_code)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
