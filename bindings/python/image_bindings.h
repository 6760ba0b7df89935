// Python bindings of bulwark::image (module `bulwark.image`): open() and the read-only Image it
// returns, whose manifest, config, layers and history are small read-only classes, and whose
// merged filesystem (files(), lookup(), deleted_files()) is built on first use.
//   py::module_ image = module.def_submodule("image");
//   DefineImageBindings(image);
//   // Python: bulwark.image.open("app.tar").lookup("etc/passwd").mode == 0o644
// Thread safety: open() and the first filesystem query release the GIL for the C++ work (the
// walk per layer); an Image may be shared by several Python threads.
#ifndef BULWARK_BINDINGS_PYTHON_IMAGE_BINDINGS_H_
#define BULWARK_BINDINGS_PYTHON_IMAGE_BINDINGS_H_

#include "pybind11/pybind11.h"

namespace bulwark::python {

// Adds the classes and functions of bulwark::image to `image`.
void DefineImageBindings(pybind11::module_& image);

}  // namespace bulwark::python

#endif  // BULWARK_BINDINGS_PYTHON_IMAGE_BINDINGS_H_
