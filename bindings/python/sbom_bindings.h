// Python bindings of bulwark::sbom (module `bulwark._bulwark.sbom`, used by `bulwark.image.sbom`):
// one function that opens an image, catalogs it and returns the SBOM as text in a format.
//   py::module_ sbom = module.def_submodule("sbom");
//   DefineSbomBindings(sbom);
//   // Python: bulwark.image.sbom("app.tar", format="cyclonedx")
// Thread safety: the function releases the GIL for opening, walking and writing.
#ifndef BULWARK_BINDINGS_PYTHON_SBOM_BINDINGS_H_
#define BULWARK_BINDINGS_PYTHON_SBOM_BINDINGS_H_

#include "pybind11/pybind11.h"

namespace bulwark::python {

// Adds catalog_text() to `sbom`.
void DefineSbomBindings(pybind11::module_& sbom);

}  // namespace bulwark::python

#endif  // BULWARK_BINDINGS_PYTHON_SBOM_BINDINGS_H_
