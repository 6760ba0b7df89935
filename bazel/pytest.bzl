"""bulwark_py_test: runs pytest files under `bazel test` with Debian's /usr/bin/python3 and pytest.

Every Python test in the repo uses it:

    load("//bazel:pytest.bzl", "bulwark_py_test")
    bulwark_py_test(name = "usage_test", srcs = ["usage_test.py"], data = [":bulwark"],
                    deps = ["//tests/python:bulwark_testing"])

Tests find their runfiles, the source tree and ../shared through //tests/python:bulwark_testing.
"""

_RUNNER = "//bazel:pytest_main.py"

def bulwark_py_test(name, srcs, deps = [], data = [], **kwargs):
    """A py_test that runs the pytest files `srcs` and writes JUnit XML for summarize_tests.py.

    A plain py_test: the interpreter is //bazel/python's Debian python3 toolchain (registered in
    WORKSPACE), whose launcher stub starts with #!/usr/bin/python3.

    Args:
      name: target name.
      srcs: the pytest files; each is handed to pytest. Helpers imported from beside them (a
        module, a conftest.py) go in `data` or in a py_library in `deps`.
      deps: py_library targets the tests import.
      data: what the tests read at run time (binaries, sample data).
      **kwargs: passed to py_test (size, tags, ...).
    """
    native.py_test(
        name = name,
        srcs = srcs + [_RUNNER],
        main = _RUNNER,
        args = ["$(rootpath %s)" % src for src in srcs],
        deps = deps,
        data = data,
        python_version = "PY3",
        # Bazel's automatic __init__.py files would turn the test folders into packages and
        # change the module names pytest imports the tests under.
        legacy_create_init = False,
        **kwargs
    )
