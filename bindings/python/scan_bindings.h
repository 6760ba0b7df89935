// Python bindings of bulwark::image::ScanImage (module `bulwark._bulwark.risk`, used through
// bulwark.scan()): scan(path, ...) opens the image, runs the analyzers and returns a Report
// holding the bulwark.core.v1.Report, rendered by to_json() / to_sarif() / to_table().
//   py::module_ risk = module.def_submodule("risk");
//   DefineScanBindings(risk);
//   // Python: bulwark.scan("app.tar", scanners=["secret"]).findings[0]["ruleId"]
// Thread safety: scan() releases the GIL for the open and the walk; a Report is immutable.
#ifndef BULWARK_BINDINGS_PYTHON_SCAN_BINDINGS_H_
#define BULWARK_BINDINGS_PYTHON_SCAN_BINDINGS_H_

#include "pybind11/pybind11.h"

namespace bulwark::python {

// Adds scan() and the Report class to `risk`.
void DefineScanBindings(pybind11::module_& risk);

}  // namespace bulwark::python

#endif  // BULWARK_BINDINGS_PYTHON_SCAN_BINDINGS_H_
