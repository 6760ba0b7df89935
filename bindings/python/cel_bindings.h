// Python bindings of bulwark::cel (module `bulwark.cel`): compile a CEL expression once, evaluate
// it many times with documents bound to its variables.
//   py::module_ cel = module.def_submodule("cel");
//   DefineCelBindings(cel);
//   # Python: bulwark.cel.compile("x + 1", variables=["x"]).evaluate(x=2) == 3
// Thread safety: a Program is immutable; evaluation parses its bindings and evaluates with the
// GIL released, so several Python threads may evaluate one Program at once.
#ifndef BULWARK_BINDINGS_PYTHON_CEL_BINDINGS_H_
#define BULWARK_BINDINGS_PYTHON_CEL_BINDINGS_H_

#include "bulwark/policy/cel/value.h"
#include "pybind11/pybind11.h"

namespace bulwark::python {

// Adds Program and the compile function to `cel`.
void DefineCelBindings(pybind11::module_& cel);

// A CEL value as Python objects: null -> None, bool, int (int and uint), float, str, bytes,
// list, dict, timestamp -> datetime (UTC), duration -> timedelta, type -> its name (str),
// optional -> its value or None, other kinds (messages, opaque values) -> their CEL text.
// Call with the GIL held.
pybind11::object CelValueToPython(const cel::Value& value);

}  // namespace bulwark::python

#endif  // BULWARK_BINDINGS_PYTHON_CEL_BINDINGS_H_
