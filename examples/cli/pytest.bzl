"""pytest_test: runs pytest files under `bazel test` with Debian's /usr/bin/python3."""

def pytest_test(name, srcs, data = [], **kwargs):
    """A test running pytest over `srcs`, with JUnit XML where Bazel asks for it.

    An sh_test around pytest_main.py rather than a py_test: Bazel 4.2.3's py_test launcher starts
    with "#!/usr/bin/env python", and Debian 12 has no `python` command (only python3), so a
    py_test cannot start until //bazel/python's py_runtime sets stub_shebang.

    Args:
      name: target name.
      srcs: the pytest files.
      data: what the tests read at run time (binaries, sample data).
      **kwargs: passed to sh_test (size, tags, ...).
    """
    native.sh_test(
        name = name,
        srcs = ["//examples/cli:pytest_test.sh"],
        args = ["$(rootpath %s)" % src for src in srcs],
        data = srcs + data + ["//examples/cli:test_support"],
        **kwargs
    )
