"""bulwark.runtime metadata providers written in Python that answer in protobuf's wire form:
serialized bulwark.runtime.v1.Container bytes (encoded here by `protoc --encode`, not by
Bulwark), a message object of the class protoc generates for protobuf's Python package, and
anything else with SerializeToString(). Malformed or mistyped answers are counted failures
reported as RuntimeWarning, never a crash."""

import importlib.util
import re
import shutil
import subprocess
import warnings

import pytest

from bulwark import runtime
from bulwark_testing import runfile

DOCKER_ID = "4f0c5dd16e5bb3f2e0c1d3ddd8c0b6f5a43bcb7b0d0d5f8b8e1a2c3d4e5f6a7b"
EVENT_PROTO = "runtime/event.proto"

RULES = """
- rule: Shell in production pod
  desc: t
  condition: evt.type = execve and k8s.ns.name = prod and k8s.pod.label[app] = web
  output: "%proc.name in %k8s.ns.name/%k8s.pod.name (%container.image.repository, %container.name)"
  priority: WARNING
"""
EXPECTED_OUTPUT = "sh in prod/web-0 (registry.example/shop/web, web)"

CONTAINER_TEXT = """
name: "web"
image_repository: "registry.example/shop/web"
k8s_namespace: "prod"
k8s_pod_name: "web-0"
k8s_pod_labels { key: "app" value: "web" }
"""


def protoc():
    path = shutil.which("protoc")
    if path is None:
        pytest.skip("protoc (Debian's protobuf-compiler) is not installed")
    return path


def proto_root():
    """The directory holding runtime/event.proto in the runfiles."""
    return runfile(EVENT_PROTO).parents[1]


@pytest.fixture(scope="module")
def container_bytes():
    """CONTAINER_TEXT in protobuf's wire form, as protoc encodes it."""
    result = subprocess.run(
        [protoc(), f"-I{proto_root()}", "--encode=bulwark.runtime.v1.Container", EVENT_PROTO],
        input=CONTAINER_TEXT.encode(), capture_output=True, check=True)
    assert result.stdout
    return result.stdout


@pytest.fixture(scope="module")
def event_pb2(tmp_path_factory):
    """The module protoc generates from event.proto for protobuf's Python package."""
    try:
        import google.protobuf  # noqa: F401
    except ImportError:
        pytest.skip("protobuf's Python package (Debian's python3-protobuf) is not installed")
    out = tmp_path_factory.mktemp("generated")
    subprocess.run([protoc(), f"-I{proto_root()}", f"--python_out={out}", EVENT_PROTO],
                   check=True)
    spec = importlib.util.spec_from_file_location("generated_event_pb2",
                                                  out / "runtime" / "event_pb2.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Answers:
    """A provider answering every lookup with `answer`."""

    def __init__(self, answer):
        self.answer = answer
        self.asked = []

    def lookup(self, container_id):
        self.asked.append(container_id)
        return self.answer


def exec_in(container_id, pid):
    return {"type": "EVENT_TYPE_EXECVE", "pid": pid,
            "process": {"pid": pid, "name": "sh", "cgroups": ["0::/docker/" + container_id]}}


def alerts_with(provider):
    """The alerts of one exec in DOCKER_ID, and the engine's failure count."""
    engine = runtime.Engine(runtime.rules_from_string(RULES), metadata_provider=provider)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # A provider failure would raise here.
        alerts = engine.process([exec_in(DOCKER_ID, 77)])
    return alerts, engine.metadata_failures


def test_serialized_bytes_fill_the_alert(container_bytes):
    provider = Answers(container_bytes)
    alerts, failures = alerts_with(provider)
    assert [a["output"] for a in alerts] == [EXPECTED_OUTPUT]
    assert alerts[0]["container"]["id"] == DOCKER_ID[:12]
    assert alerts[0]["container"]["k8sPodLabels"] == {"app": "web"}
    assert failures == 0
    assert provider.asked == [DOCKER_ID[:12]]


def test_any_object_with_serialize_to_string(container_bytes):
    class Message:  # No DESCRIPTOR: only its wire form is checked.
        def SerializeToString(self):
            return container_bytes

    alerts, failures = alerts_with(Answers(Message()))
    assert [a["output"] for a in alerts] == [EXPECTED_OUTPUT]
    assert failures == 0


def test_message_of_the_generated_class(event_pb2, container_bytes):
    message = event_pb2.Container(
        name="web", image_repository="registry.example/shop/web", k8s_namespace="prod",
        k8s_pod_name="web-0", k8s_pod_labels={"app": "web"}, privileged=True)
    alerts, failures = alerts_with(Answers(message))
    assert [a["output"] for a in alerts] == [EXPECTED_OUTPUT]
    assert alerts[0]["container"]["privileged"] is True
    assert failures == 0
    # The package's own encoding and protoc's decode to the same container.
    parsed = event_pb2.Container()
    parsed.ParseFromString(container_bytes)
    message.privileged = False
    assert parsed == message


def test_unknown_wire_fields_are_ignored_as_protobuf_does(container_bytes):
    # Field 99 (a string): what a provider built against a newer event.proto could send.
    tag = 99 << 3 | 2
    newer = container_bytes + bytes([tag & 0x7F | 0x80, tag >> 7, 3]) + b"new"
    alerts, failures = alerts_with(Answers(newer))
    assert [a["output"] for a in alerts] == [EXPECTED_OUTPUT]
    assert failures == 0


@pytest.mark.parametrize("answer, message", [
    (b"\x0a\x05web", "bytes: not a serialized bulwark.runtime.v1.Container (malformed protobuf "
                     "wire data, 5 bytes)"),                      # Length beyond the end.
    (b"\xff" * 11, "bytes: not a serialized bulwark.runtime.v1.Container"),
    (b"\x0b", "bytes: not a serialized bulwark.runtime.v1.Container"),  # A group that never ends.
    (b"\x22\x02\xc3\x28", "bytes: not a serialized bulwark.runtime.v1.Container"),  # Bad UTF-8.
], ids=["truncated", "bad-varint", "open-group", "invalid-utf8"])
def test_malformed_bytes_are_a_counted_failure(answer, message):
    engine = runtime.Engine(runtime.rules_from_string(RULES), metadata_provider=Answers(answer))
    with pytest.warns(RuntimeWarning, match=re.escape(f"lookup('{DOCKER_ID[:12]}'): {message}")):
        assert engine.process([exec_in(DOCKER_ID, 5)]) == []
    assert engine.metadata_failures == 1


def test_messages_that_are_not_a_container_are_failures(event_pb2):
    class TextSerializer:
        def SerializeToString(self):
            return "name: web"

    class Raising:
        def SerializeToString(self):
            raise RuntimeError("cannot encode")

    cases = [
        (event_pb2.Event(pid=1), "returned a bulwark.runtime.v1.Event message; expected "
                                 "bulwark.runtime.v1.Container"),
        (TextSerializer(), "SerializeToString\\(\\) of the returned TextSerializer gave str, "
                           "not bytes"),
        (Raising(), "RuntimeError: cannot encode"),
        (bytearray(b"\x22\x03web"), "returned bytearray; expected a dict or JSON text"),
    ]
    for answer, message in cases:
        engine = runtime.Engine(runtime.rules_from_string(RULES),
                                metadata_provider=Answers(answer))
        with pytest.warns(RuntimeWarning, match=message):
            assert engine.process([exec_in(DOCKER_ID, 5)]) == []
        assert engine.metadata_failures == 1
