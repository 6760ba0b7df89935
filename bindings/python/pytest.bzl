"""bulwark_py_test: runs pytest files under `bazel test` with Debian's python3 and pytest."""

_RUNNER = "//bindings/python:tests/pytest_main.py"

def bulwark_py_test(name, srcs, deps = [], data = [], **kwargs):
    """A py_test that runs the pytest files `srcs` and writes JUnit XML for summarize_tests.py.

    Each file in `srcs` is handed to pytest; a conftest.py or helper module beside them goes in
    `data`.
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
