// Python bindings of bulwark::policy (module `bulwark.policy`): Kubernetes
// ValidatingAdmissionPolicies (+ bindings, params) and Kyverno ValidatingPolicies loaded into a
// PolicySet and evaluated against resources or AdmissionReviews.
//   py::module_ policy = module.def_submodule("policy");
//   DefinePolicyBindings(policy);
// Thread safety: a PolicySet is immutable; loading and evaluation release the GIL.
#ifndef BULWARK_BINDINGS_PYTHON_POLICY_BINDINGS_H_
#define BULWARK_BINDINGS_PYTHON_POLICY_BINDINGS_H_

#include "pybind11/pybind11.h"

namespace bulwark::python {

// Adds PolicySet, load functions and the Kyverno test runner to `policy`.
void DefinePolicyBindings(pybind11::module_& policy);

}  // namespace bulwark::python

#endif  // BULWARK_BINDINGS_PYTHON_POLICY_BINDINGS_H_
