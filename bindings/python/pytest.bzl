"""bulwark_py_test: runs pytest files under `bazel test` with Debian's python3 and pytest."""

_RUNNER = "//bindings/python:tests/pytest_main.py"
_LAUNCHER = "//bindings/python:tests/debian_python3.sh"

def bulwark_py_test(name, srcs, deps = [], data = [], size = None, **kwargs):
    """Test `name` runs the pytest files `srcs` and writes JUnit XML for summarize_tests.py.

    Each file in `srcs` is handed to pytest; a conftest.py or helper module beside them goes in
    `data`. The tests run in a py_binary `name + "_pytest"` that an sh_test starts with
    /usr/bin/python3: Bazel 4.2.3 begins a Python launcher with "#!/usr/bin/env python", which
    the test PATH does not have, unless the py_runtime in //bazel/python sets stub_shebang.
    """
    native.py_binary(
        name = name + "_pytest",
        testonly = True,
        srcs = srcs + [_RUNNER],
        main = _RUNNER,
        deps = deps,
        data = data,
        python_version = "PY3",
        # Bazel's automatic __init__.py files would turn the test folders into packages and
        # change the module names pytest imports the tests under.
        legacy_create_init = False,
    )
    native.sh_test(
        name = name,
        size = size,
        srcs = [_LAUNCHER],
        args = ["$(rootpath :%s_pytest)" % name] + ["$(rootpath %s)" % src for src in srcs],
        data = [":%s_pytest" % name] + srcs,
        **kwargs
    )
