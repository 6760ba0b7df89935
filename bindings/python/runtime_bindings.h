// Python bindings of bulwark::runtime (module `bulwark.runtime`): RuleSet (Falco rule files) and
// Engine, whose process() takes events as JSON texts of bulwark.runtime.v1.Event and returns
// alerts as JSON texts of bulwark.runtime.v1.Alert (the Python facade converts dicts).
//   py::module_ runtime = module.def_submodule("runtime");
//   DefineRuntimeBindings(runtime);
// Thread safety: loading and process() release the GIL; a RuleSet may be shared by threads, an
// Engine must not be used by two threads at once.
#ifndef BULWARK_BINDINGS_PYTHON_RUNTIME_BINDINGS_H_
#define BULWARK_BINDINGS_PYTHON_RUNTIME_BINDINGS_H_

#include "pybind11/pybind11.h"

namespace bulwark::python {

// Adds RuleSet, Engine and load functions to `runtime`.
void DefineRuntimeBindings(pybind11::module_& runtime);

}  // namespace bulwark::python

#endif  // BULWARK_BINDINGS_PYTHON_RUNTIME_BINDINGS_H_
