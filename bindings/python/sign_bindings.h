// Python bindings of bulwark::sign (module `bulwark.sign`): cosign verification and signing of
// images, Sigstore bundle verification, DSSE envelopes. Results are plain dicts.
//   py::module_ sign = module.def_submodule("sign");
//   DefineSignBindings(sign);
//   // Python: bulwark.sign.verify_image("app.oci", key_pem)["verified"]
// Thread safety: every function converts its arguments, then releases the GIL for the C++ work.
#ifndef BULWARK_BINDINGS_PYTHON_SIGN_BINDINGS_H_
#define BULWARK_BINDINGS_PYTHON_SIGN_BINDINGS_H_

#include "pybind11/pybind11.h"

namespace bulwark::python {

// Adds the functions of bulwark::sign to `sign`.
void DefineSignBindings(pybind11::module_& sign);

}  // namespace bulwark::python

#endif  // BULWARK_BINDINGS_PYTHON_SIGN_BINDINGS_H_
