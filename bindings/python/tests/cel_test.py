"""bulwark.cel: compile once, evaluate with keyword bindings; errors as bulwark exceptions; the
GIL is released while an evaluation runs."""

import datetime
import sys
import threading
import time

import pytest

import bulwark
from bulwark import cel

POD = {
    "spec": {
        "containers": [
            {"name": "app", "securityContext": {"privileged": False}},
            {"name": "sidecar"},
        ]
    }
}


def test_compile_and_evaluate_with_bindings():
    program = cel.compile(
        "object.spec.containers.all(c, !has(c.securityContext) || "
        "c.securityContext.privileged != true)",
        variables=["object"],
    )
    assert program.source.startswith("object.spec")
    assert program.evaluate(object=POD) is True
    POD_PRIVILEGED = {"spec": {"containers": [{"securityContext": {"privileged": True}}]}}
    assert program.evaluate(object=POD_PRIVILEGED) is False


def test_result_kinds_become_python_values():
    assert cel.compile("[1, 2u, 2.5, 'x', b'y', null]").evaluate() == [1, 2, 2.5, "x", b"y", None]
    assert cel.compile("{'a': [x, x * 2]}", variables=["x"]).evaluate(x=21) == {"a": [21, 42]}
    assert cel.compile("timestamp('2024-01-02T03:04:05.5Z')").evaluate() == datetime.datetime(
        2024, 1, 2, 3, 4, 5, 500000, tzinfo=datetime.timezone.utc)
    assert cel.compile("duration('90s')").evaluate() == datetime.timedelta(seconds=90)
    assert cel.compile("type(1)").evaluate() == "int"


def test_compile_error_is_invalid_argument_with_position():
    with pytest.raises(bulwark.InvalidArgumentError) as error:
        cel.compile("object.spec.replicas <=", variables=["object"])
    assert "<input>:1:24" in str(error.value)
    with pytest.raises(ValueError, match="undeclared reference to 'missing'"):
        cel.compile("missing + 1")


def test_runtime_errors_and_limits_raise():
    with pytest.raises(bulwark.InvalidArgumentError, match="no such key"):
        cel.compile("object.spec.nothing", variables=["object"]).evaluate(object=POD)
    with pytest.raises(bulwark.InvalidArgumentError, match="overflow"):
        cel.compile("9223372036854775807 + x", variables=["x"]).evaluate(x=1)
    bomb = "[1,2,3,4,5,6,7,8,9,10].map(a, [1,2,3,4,5,6,7,8,9,10].map(b, " \
           "[1,2,3,4,5,6,7,8,9,10].map(c, [1,2,3,4,5,6,7,8,9,10].map(d, " \
           "[1,2,3,4,5,6,7,8,9,10].map(e, [1,2,3,4,5,6,7,8,9,10].map(f, a))))))"
    with pytest.raises(bulwark.ResourceExhaustedError):
        cel.compile(bomb).evaluate()


def test_evaluate_releases_the_gil():
    """A counting thread can only run while the evaluating thread has released the GIL, because
    the switch interval is raised so high that the interpreter never forces a switch."""
    program = cel.compile("items.filter(i, i % 3 == 0).map(i, i * 2).size()", variables=["items"])
    items = list(range(150_000))
    count = [0]
    stop = threading.Event()

    def counting():
        while not stop.is_set():
            count[0] += 1
            time.sleep(0.0005)

    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    thread = threading.Thread(target=counting, daemon=True)
    thread.start()
    try:
        moved = 0
        for _ in range(10):
            before = count[0]
            assert program.evaluate(items=items) == 50_000
            moved = count[0] - before
            if moved:
                break
    finally:
        stop.set()
        thread.join()
        sys.setswitchinterval(old_interval)
    assert moved > 0
