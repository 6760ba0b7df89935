// Python bindings of bulwark::vuln (module `bulwark.vuln`): version ordering by ecosystem.
//   py::module_ vuln = module.def_submodule("vuln");
//   DefineVulnBindings(vuln);
//   // Python: bulwark.vuln.compare_versions("Debian", "1.0-1", "1.0~rc1-1") == 1
// Thread safety: functions convert their arguments with the GIL held and release it for the C++
// work; they may run concurrently from several Python threads.
#ifndef BULWARK_BINDINGS_PYTHON_VULN_BINDINGS_H_
#define BULWARK_BINDINGS_PYTHON_VULN_BINDINGS_H_

#include "pybind11/pybind11.h"

namespace bulwark::python {

// Adds the functions of bulwark::vuln to `vuln`.
void DefineVulnBindings(pybind11::module_& vuln);

}  // namespace bulwark::python

#endif  // BULWARK_BINDINGS_PYTHON_VULN_BINDINGS_H_
