// The one table that turns absl::Status codes into Python exceptions of the `bulwark` package:
// `bulwark.Error` is the base (attribute `code` holds the status code name, e.g. "NOT_FOUND"),
// and common codes get a subclass that also derives from the matching builtin exception.
//   RegisterStatusExceptions(module);              // once, from the module initializer
//   ThrowIfError(status);                          // raises e.g. bulwark.NotFoundError
//   core::Value value = ValueOrThrow(std::move(status_or_value));
// Thread safety: call with the GIL held; after registration the table is only read.
#ifndef BULWARK_BINDINGS_PYTHON_STATUS_EXCEPTIONS_H_
#define BULWARK_BINDINGS_PYTHON_STATUS_EXCEPTIONS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "pybind11/pybind11.h"

namespace bulwark::python {

// Creates bulwark.Error and its subclasses and adds them to `module`. Call once.
void RegisterStatusExceptions(pybind11::module_& module);

// Does nothing for an OK status; otherwise raises the exception registered for its code (or
// bulwark.Error) carrying the status message, by throwing pybind11::error_already_set.
void ThrowIfError(const absl::Status& status);

// The value of `result`, or raises its error as ThrowIfError does.
template <typename T>
T ValueOrThrow(absl::StatusOr<T> result) {
  ThrowIfError(result.status());
  return *std::move(result);
}

}  // namespace bulwark::python

#endif  // BULWARK_BINDINGS_PYTHON_STATUS_EXCEPTIONS_H_
