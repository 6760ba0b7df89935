#include "bulwark/bindings/python/status_exceptions.h"

#include <Python.h>

#include <array>
#include <string>

#include "absl/strings/str_cat.h"

namespace bulwark::python {
namespace {

namespace py = pybind11;

struct StatusException {
  absl::StatusCode code;
  const char* class_name;
  // A builtin exception the class also derives from, so that callers who know nothing about
  // Bulwark still catch the error where Python code would raise that builtin.
  PyObject* builtin;
  const char* doc;
};

// absl::StatusCode values run from 0 (kOk) to 16 (kUnauthenticated).
constexpr int kStatusCodeCount = 17;

// Exception classes by status code, filled once by RegisterStatusExceptions. The classes live as
// long as the process, like the exception objects of CPython's own extension modules, so these
// strong references are never released (releasing them at exit would race interpreter teardown).
std::array<PyObject*, kStatusCodeCount> exception_for_code{};

// `code` on the class is the default for instances created in Python; ThrowIfError sets it on
// each instance it raises.
PyObject* NewExceptionClass(const char* class_name, const char* doc, PyObject* bases,
                            absl::StatusCode code) {
  std::string qualified_name = absl::StrCat("bulwark.", class_name);
  py::dict attributes;
  attributes["code"] = absl::StatusCodeToString(code);
  PyObject* exception_class =
      PyErr_NewExceptionWithDoc(qualified_name.c_str(), doc, bases, attributes.ptr());
  if (exception_class == nullptr) throw py::error_already_set();
  return exception_class;
}

}  // namespace

void RegisterStatusExceptions(py::module_& module) {
  const StatusException kTable[] = {
      {absl::StatusCode::kInvalidArgument, "InvalidArgumentError", PyExc_ValueError,
       "Malformed input or a bad argument; the message says where (file:line:column)."},
      {absl::StatusCode::kNotFound, "NotFoundError", PyExc_FileNotFoundError,
       "A file, or an entry a lookup asked for, does not exist."},
      {absl::StatusCode::kPermissionDenied, "PermissionDeniedError", PyExc_PermissionError,
       "The operating system refused access to a file."},
      {absl::StatusCode::kUnimplemented, "UnimplementedError", PyExc_NotImplementedError,
       "Well-formed input that uses a feature Bulwark does not support."},
      {absl::StatusCode::kResourceExhausted, "ResourceExhaustedError", nullptr,
       "Input exceeded a safety limit; the message names the limit."},
      {absl::StatusCode::kDataLoss, "DataLossError", nullptr,
       "Stored data is corrupt or truncated (e.g. a digest mismatch)."},
  };

  PyObject* error = NewExceptionClass(
      "Error", "Base class of every Bulwark error; `code` holds the status code name.",
      PyExc_Exception, absl::StatusCode::kUnknown);
  module.add_object("Error", py::reinterpret_borrow<py::object>(error));
  exception_for_code.fill(error);

  for (const StatusException& entry : kTable) {
    py::tuple bases = entry.builtin == nullptr
                          ? py::make_tuple(py::handle(error))
                          : py::make_tuple(py::handle(error), py::handle(entry.builtin));
    PyObject* exception_class =
        NewExceptionClass(entry.class_name, entry.doc, bases.ptr(), entry.code);
    module.add_object(entry.class_name, py::reinterpret_borrow<py::object>(exception_class));
    exception_for_code[static_cast<int>(entry.code)] = exception_class;
  }
}

void ThrowIfError(const absl::Status& status) {
  if (status.ok()) return;
  // status.code() is always a canonical code (absl maps unknown raw codes to kUnknown).
  PyObject* exception_class = exception_for_code[static_cast<int>(status.code())];
  // Messages quote input (paths, document text), which need not be valid UTF-8.
  absl::string_view message = status.message();
  py::object text = py::reinterpret_steal<py::object>(
      PyUnicode_DecodeUTF8(message.data(), static_cast<Py_ssize_t>(message.size()), "replace"));
  if (!text) throw py::error_already_set();
  py::object exception = py::reinterpret_borrow<py::object>(exception_class)(text);
  exception.attr("code") = absl::StatusCodeToString(status.code());
  PyErr_SetObject(exception_class, exception.ptr());
  throw py::error_already_set();
}

}  // namespace bulwark::python
