#!/bin/sh
# Starts a py_binary's launcher ($1) with Debian's python3; see bulwark_py_test in pytest.bzl.
exec /usr/bin/python3 "$@"
