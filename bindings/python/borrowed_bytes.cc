#include "bulwark/bindings/python/borrowed_bytes.h"

#include <string>

namespace bulwark::python {

namespace py = pybind11;

BorrowedBytes::BorrowedBytes(py::handle object, Accept accept) {
  if (PyUnicode_Check(object.ptr())) {
    if (accept != Accept::kTextOrBuffer) {
      throw py::type_error("expected a bytes-like object, got str (encode it first)");
    }
    Py_ssize_t size = 0;
    const char* utf8 = PyUnicode_AsUTF8AndSize(object.ptr(), &size);
    if (utf8 == nullptr) throw py::error_already_set();
    text_owner_ = py::reinterpret_borrow<py::object>(object);
    bytes_ = absl::string_view(utf8, static_cast<size_t>(size));
    return;
  }
  if (!PyObject_CheckBuffer(object.ptr())) {
    throw py::type_error(std::string(accept == Accept::kTextOrBuffer
                                         ? "expected str or a bytes-like object, got "
                                         : "expected a bytes-like object, got ") +
                         Py_TYPE(object.ptr())->tp_name);
  }
  // PyBUF_SIMPLE asks for one contiguous block of bytes; the export also keeps the object alive.
  if (PyObject_GetBuffer(object.ptr(), &buffer_, PyBUF_SIMPLE) != 0) {
    throw py::error_already_set();
  }
  holds_buffer_ = true;
  bytes_ =
      absl::string_view(static_cast<const char*>(buffer_.buf), static_cast<size_t>(buffer_.len));
}

BorrowedBytes::~BorrowedBytes() {
  if (holds_buffer_) PyBuffer_Release(&buffer_);
}

}  // namespace bulwark::python
