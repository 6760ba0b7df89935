// Converts a core::Value to plain Python objects: null -> None, bool, int (int64 and uint64),
// double -> float, string -> str, bytes -> bytes, list -> list, map -> dict in document order.
//   absl::StatusOr<core::Value> value = ...;  // computed without the GIL
//   return ValueToPython(ValueOrThrow(std::move(value)));
// Thread safety: call with the GIL held; `value` is only read.
#ifndef BULWARK_BINDINGS_PYTHON_VALUE_TO_PYTHON_H_
#define BULWARK_BINDINGS_PYTHON_VALUE_TO_PYTHON_H_

#include "bulwark/core/value.h"
#include "pybind11/pybind11.h"

namespace bulwark::python {

// Raises UnicodeDecodeError (by throwing pybind11::error_already_set) for a string or map key
// that is not valid UTF-8.
pybind11::object ValueToPython(const core::Value& value);

}  // namespace bulwark::python

#endif  // BULWARK_BINDINGS_PYTHON_VALUE_TO_PYTHON_H_
