"""bulwark.core JSON and YAML parsing: the Python objects built from core::Value, and errors."""

import math

import pytest

import bulwark
from bulwark import core
from identical import assert_identical


def test_json_values_become_python_values():
    text = ('[null, true, false, 0, -9223372036854775808, 9223372036854775807, '
            '18446744073709551615, 1.5, -0.0, 1e300, 2.0, "s\\u00e9\\n", [], {}]')
    assert_identical(core.parse_json(text), [
        None, True, False, 0, -9223372036854775808, 9223372036854775807,
        18446744073709551615, 1.5, -0.0, 1e300, 2.0, "s\u00e9\n", [], {}])
    assert math.copysign(1.0, core.parse_json("[-0.0]")[0]) == -1.0


def test_json_object_keeps_document_order():
    assert list(core.parse_json('{"b": 1, "a": {"z": 2, "y": 3}, "c": 4}')) == ["b", "a", "c"]
    assert list(core.parse_json('{"b": 1, "a": {"z": 2, "y": 3}}')["a"]) == ["z", "y"]


def test_json_integer_beyond_uint64_becomes_float():
    assert_identical(core.parse_json("[18446744073709551616, -9223372036854775809]"),
                     [18446744073709551616.0, -9223372036854775809.0])


def test_json_top_level_integer_beyond_uint64_becomes_float():
    assert_identical(core.parse_json("18446744073709551616"), 18446744073709551616.0)


def test_json_accepts_str_bytes_and_buffers():
    text = '{"k\u00e9y": [1, "v\u00e4lue"]}'
    expected = {"k\u00e9y": [1, "v\u00e4lue"]}
    for argument in (text, text.encode(), bytearray(text.encode()), memoryview(text.encode())):
        assert_identical(core.parse_json(argument), expected)
    with pytest.raises(TypeError, match="got int"):
        core.parse_json(42)


def test_malformed_json_is_invalid_argument_with_line_and_column():
    with pytest.raises(bulwark.InvalidArgumentError) as raised:
        core.parse_json('{\n  "a": [1,\n  }', source_name="pod.json")
    assert isinstance(raised.value, ValueError)
    assert raised.value.code == "INVALID_ARGUMENT"
    assert str(raised.value).startswith("pod.json:3:3: invalid JSON: ")


def test_duplicate_json_key_is_invalid_argument_at_the_duplicate():
    with pytest.raises(bulwark.InvalidArgumentError,
                       match=r'^<json>:2:7: invalid JSON: duplicate key "a"$'):
        core.parse_json('{"a": 1,\n "a": 2}')


@pytest.mark.parametrize("text", [b'"\xff"', '"\\ud800"', "[1, 2] 3", "", "[01]", "NaN"])
def test_json_outside_rfc8259_is_invalid_argument(text):
    with pytest.raises(bulwark.InvalidArgumentError, match=r"^<json>:\d+:\d+: invalid JSON"):
        core.parse_json(text)


def test_str_with_lone_surrogate_cannot_be_read_as_utf8():
    with pytest.raises(UnicodeEncodeError):
        core.parse_json('"\ud800"')


def nested_json_lists(depth):
    return "[" * depth + "]" * depth


def test_json_depth_limit_is_resource_exhausted():
    assert core.parse_json(nested_json_lists(10), max_depth=10) is not None
    with pytest.raises(bulwark.ResourceExhaustedError, match=r"max_depth \(9\)") as raised:
        core.parse_json(nested_json_lists(10), max_depth=9)
    assert raised.value.code == "RESOURCE_EXHAUSTED"


def test_json_default_depth_limit_is_512():
    assert core.parse_json(nested_json_lists(512)) is not None
    with pytest.raises(bulwark.ResourceExhaustedError, match=r"max_depth \(512\)"):
        core.parse_json(nested_json_lists(513))


def test_max_depth_is_keyword_only_and_checked():
    with pytest.raises(TypeError):
        core.parse_json("[]", 5)
    with pytest.raises(bulwark.InvalidArgumentError, match="max_depth"):
        core.parse_json("[]", max_depth=-1)
    with pytest.raises(bulwark.InvalidArgumentError, match="max_depth"):
        core.parse_yaml("[]", max_depth=1 << 32)


def test_json_file(tmp_path):
    path = tmp_path / "config.json"
    path.write_text('{"layers": [1, 2]}')
    assert_identical(core.parse_json_file(path), {"layers": [1, 2]})
    assert_identical(core.parse_json_file(str(path)), {"layers": [1, 2]})
    path.write_text('{"layers": [1, 2}')
    with pytest.raises(bulwark.InvalidArgumentError, match=f"^{path}:1:"):
        core.parse_json_file(path)
    with pytest.raises(bulwark.ResourceExhaustedError, match="max_depth"):
        core.parse_json_file(path, max_depth=0)


def test_missing_json_file_is_file_not_found(tmp_path):
    with pytest.raises(bulwark.NotFoundError) as raised:
        core.parse_json_file(tmp_path / "absent.json")
    assert isinstance(raised.value, FileNotFoundError)
    assert "absent.json" in str(raised.value)


def test_yaml_stream_becomes_list_of_documents():
    text = "a: 1\nb: [x, 2.5, null]\n---\n- true\n--- text\n"
    assert_identical(core.parse_yaml(text), [{"a": 1, "b": ["x", 2.5, None]}, [True], "text"])
    assert core.parse_yaml("") == []


def test_yaml_plain_scalars_follow_the_yaml_1_2_core_schema():
    # PyYAML (YAML 1.1) reads these as True, 8, 80 and a datetime.date; YAML 1.2 does not.
    text = ("yes: yes\noctal: 0o17\nhex: 0x1F\nleading_zero: 010\nsexagesimal: 1:20\n"
            "date: 2001-12-14\ninf: -.inf\nexponent: 1e3\nquoted: 'true'\n")
    assert_identical(core.parse_yaml(text), [{
        "yes": "yes", "octal": 15, "hex": 31, "leading_zero": 10, "sexagesimal": "1:20",
        "date": "2001-12-14", "inf": -math.inf, "exponent": 1000.0, "quoted": "true"}])


def test_yaml_binary_tag_becomes_bytes_and_merge_keys_apply():
    text = "base: &base {k: 1, j: 0}\nderived:\n  <<: *base\n  j: 2\ndata: !!binary aGVsbG8=\n"
    assert_identical(core.parse_yaml(text), [{
        "base": {"k": 1, "j": 0}, "derived": {"j": 2, "k": 1}, "data": b"hello"}])


def test_malformed_yaml_is_invalid_argument_with_line_and_column():
    with pytest.raises(bulwark.InvalidArgumentError,
                       match=r"^deploy.yaml:2:1: invalid YAML: ") as raised:
        core.parse_yaml("a: [1, 2\n", source_name="deploy.yaml")
    assert isinstance(raised.value, ValueError)
    with pytest.raises(bulwark.InvalidArgumentError, match='duplicate key "a"'):
        core.parse_yaml("a: 1\na: 2\n")
    with pytest.raises(bulwark.InvalidArgumentError, match="UTF-8"):
        core.parse_yaml(b"a: \xff\n")


def test_yaml_depth_limit_is_resource_exhausted():
    with pytest.raises(bulwark.ResourceExhaustedError, match=r"max_depth \(4\)"):
        core.parse_yaml("[[[[[1]]]]]", max_depth=4)


def test_yaml_file(tmp_path):
    path = tmp_path / "pod.yaml"
    path.write_text("kind: Pod\n---\nkind: Service\n")
    assert core.parse_yaml_file(path) == [{"kind": "Pod"}, {"kind": "Service"}]
    with pytest.raises(FileNotFoundError):
        core.parse_yaml_file(tmp_path / "absent.yaml")
