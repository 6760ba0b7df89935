// The bytes of a Python argument (a str as UTF-8, or any object with the buffer protocol:
// bytes, bytearray, memoryview, mmap), borrowed without copying so that C++ can read them after
// the GIL is released.
//   BorrowedBytes data(py_object, BorrowedBytes::Accept::kTextOrBuffer);  // GIL held
//   { py::gil_scoped_release nogil; digest = DigestBytes(algorithm, data.bytes()); }
// Thread safety: construct and destroy with the GIL held; bytes() may be read without it. The
// borrowed object stays alive and cannot be resized meanwhile; the caller must not write to a
// mutable buffer (bytearray) during the call, as with hashlib.
#ifndef BULWARK_BINDINGS_PYTHON_BORROWED_BYTES_H_
#define BULWARK_BINDINGS_PYTHON_BORROWED_BYTES_H_

#include <Python.h>

#include "absl/strings/string_view.h"
#include "pybind11/pybind11.h"

namespace bulwark::python {

class BorrowedBytes {
 public:
  enum class Accept {
    kBuffer,        // bytes-like objects only; a str raises TypeError
    kTextOrBuffer,  // also a str, read as UTF-8 (a str holding lone surrogates raises)
  };

  // Raises TypeError (by throwing pybind11::error_already_set) for other objects, and
  // BufferError for buffers that are not one contiguous block.
  BorrowedBytes(pybind11::handle object, Accept accept);
  ~BorrowedBytes();
  BorrowedBytes(const BorrowedBytes&) = delete;
  BorrowedBytes& operator=(const BorrowedBytes&) = delete;

  absl::string_view bytes() const { return bytes_; }

 private:
  // Keeps a str alive: its UTF-8 form is cached inside the str object.
  pybind11::object text_owner_;
  Py_buffer buffer_{};
  bool holds_buffer_ = false;
  absl::string_view bytes_;
};

}  // namespace bulwark::python

#endif  // BULWARK_BINDINGS_PYTHON_BORROWED_BYTES_H_
