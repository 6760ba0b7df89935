"""The status -> exception table: class hierarchy, `code`, and the facade's re-exports."""

import pickle

import pytest

import bulwark
from bulwark import core

# (class, status code it stands for, builtin it must also be)
TABLE = [
    (bulwark.InvalidArgumentError, "INVALID_ARGUMENT", ValueError),
    (bulwark.NotFoundError, "NOT_FOUND", FileNotFoundError),
    (bulwark.PermissionDeniedError, "PERMISSION_DENIED", PermissionError),
    (bulwark.UnimplementedError, "UNIMPLEMENTED", NotImplementedError),
    (bulwark.ResourceExhaustedError, "RESOURCE_EXHAUSTED", None),
    (bulwark.DataLossError, "DATA_LOSS", None),
]


@pytest.mark.parametrize("exception_class, code, builtin", TABLE,
                         ids=[code for _, code, _ in TABLE])
def test_exception_classes_derive_from_error_and_builtin(exception_class, code, builtin):
    assert issubclass(exception_class, bulwark.Error)
    assert issubclass(exception_class, Exception)
    if builtin is not None:
        assert issubclass(exception_class, builtin)
    assert exception_class.__module__ == "bulwark"
    assert exception_class.__doc__
    assert exception_class("made in Python").code == code


def test_error_is_an_exception_and_not_a_builtin_category():
    assert issubclass(bulwark.Error, Exception)
    assert bulwark.Error("made in Python").code == "UNKNOWN"
    for builtin in (ValueError, OSError, NotImplementedError):
        assert not issubclass(bulwark.Error, builtin)


def test_raised_errors_carry_code_and_message():
    with pytest.raises(bulwark.Error) as raised:
        core.parse_json("[", source_name="x.json")
    assert type(raised.value) is bulwark.InvalidArgumentError
    assert raised.value.code == "INVALID_ARGUMENT"
    assert str(raised.value).startswith("x.json:")
    assert raised.value.args == (str(raised.value),)


def test_codes_outside_the_table_raise_error_itself():
    # Reading /proc/self/mem at offset 0 (never mapped) fails with EIO, which core reports as
    # UNKNOWN, a code without a subclass of its own.
    with pytest.raises(bulwark.Error) as raised:
        core.digest_file("/proc/self/mem")
    assert type(raised.value) is bulwark.Error
    assert raised.value.code == "UNKNOWN"
    assert "/proc/self/mem" in str(raised.value)


def test_exceptions_pickle_through_the_public_names():
    with pytest.raises(bulwark.Error) as raised:
        core.parse_digest("blake3:00")
    restored = pickle.loads(pickle.dumps(raised.value))
    assert type(restored) is bulwark.UnimplementedError
    assert str(restored) == str(raised.value)
    assert restored.code == "UNIMPLEMENTED"


def test_modules_export_exactly_their_all():
    for module in (bulwark, core):
        public = {name for name in vars(module) if not name.startswith("_")}
        if module is bulwark:
            public.add("__version__")
        assert public == set(module.__all__), module.__name__
