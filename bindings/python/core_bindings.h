// Python bindings of bulwark::core (module `bulwark.core`): digests, and JSON/YAML documents
// converted to plain Python objects.
//   py::module_ core = module.def_submodule("core");
//   DefineCoreBindings(core);
//   // Python: bulwark.core.digest(b"abc") == "sha256:ba7816bf..."
// Thread safety: every function converts its arguments with the GIL held, releases the GIL for
// the C++ work, and may run concurrently from several Python threads.
#ifndef BULWARK_BINDINGS_PYTHON_CORE_BINDINGS_H_
#define BULWARK_BINDINGS_PYTHON_CORE_BINDINGS_H_

#include "pybind11/pybind11.h"

namespace bulwark::python {

// Adds the classes and functions of bulwark::core to `core`.
void DefineCoreBindings(pybind11::module_& core);

}  // namespace bulwark::python

#endif  // BULWARK_BINDINGS_PYTHON_CORE_BINDINGS_H_
