// The `_bulwark` extension module (imported as bulwark._bulwark and re-exported by the `bulwark`
// package): the status exception classes, and one submodule per C++ module.
#include "absl/strings/string_view.h"
#include "bulwark/bindings/python/cel_bindings.h"
#include "bulwark/bindings/python/core_bindings.h"
#include "bulwark/bindings/python/image_bindings.h"
#include "bulwark/bindings/python/policy_bindings.h"
#include "bulwark/bindings/python/sbom_bindings.h"
#include "bulwark/bindings/python/sign_bindings.h"
#include "bulwark/bindings/python/runtime_bindings.h"
#include "bulwark/bindings/python/scan_bindings.h"
#include "bulwark/bindings/python/status_exceptions.h"
#include "bulwark/bindings/python/vuln_bindings.h"
#include "bulwark/core/version.h"
#include "pybind11/pybind11.h"

namespace py = pybind11;

PYBIND11_MODULE(_bulwark, module) {
  module.doc() = "Bulwark's C++ API; use it through the `bulwark` package.";
  module.attr("__version__") =
      py::str(bulwark::core::kVersion.data(), bulwark::core::kVersion.size());
  bulwark::python::RegisterStatusExceptions(module);
  py::module_ core = module.def_submodule("core", "bulwark::core: digests and documents.");
  bulwark::python::DefineCoreBindings(core);
  py::module_ image = module.def_submodule(
      "image", "bulwark::image: container images, their history and merged filesystem.");
  bulwark::python::DefineImageBindings(image);
  py::module_ sbom = module.def_submodule(
      "sbom", "bulwark::sbom: software bills of materials of container images.");
  bulwark::python::DefineSbomBindings(sbom);
  py::module_ sign = module.def_submodule(
      "sign", "bulwark::sign: cosign signatures, Sigstore bundles, DSSE and in-toto.");
  bulwark::python::DefineSignBindings(sign);
  py::module_ vuln = module.def_submodule("vuln", "bulwark::vuln: version ordering by ecosystem.");
  bulwark::python::DefineVulnBindings(vuln);
  py::module_ runtime = module.def_submodule(
      "runtime", "bulwark::runtime: runtime events and Falco-compatible rules.");
  bulwark::python::DefineRuntimeBindings(runtime);
  py::module_ cel = module.def_submodule("cel", "bulwark::cel: Common Expression Language.");
  bulwark::python::DefineCelBindings(cel);
  py::module_ policy = module.def_submodule(
      "policy", "bulwark::policy: ValidatingAdmissionPolicy and Kyverno policies offline.");
  bulwark::python::DefinePolicyBindings(policy);
  py::module_ risk = module.def_submodule("risk", "bulwark::image::ScanImage: bulwark.scan().");
  bulwark::python::DefineScanBindings(risk);
}
