// Python bindings of bulwark::runtime (module `bulwark.runtime`): RuleSet (Falco rule files),
// Engine (with an optional container metadata provider), the live collector, the metadata
// providers and the response interface (Responder, SignalEnforcer, ProcessKiller). Events,
// alerts and containers cross as JSON texts of their bulwark.runtime.v1 messages (the Python
// facade converts dicts).
//   py::module_ runtime = module.def_submodule("runtime");
//   DefineRuntimeBindings(runtime);
// Thread safety: loading and process() release the GIL; a RuleSet may be shared by threads, an
// Engine must not be used by two threads at once.
#ifndef BULWARK_BINDINGS_PYTHON_RUNTIME_BINDINGS_H_
#define BULWARK_BINDINGS_PYTHON_RUNTIME_BINDINGS_H_

#include <memory>

#include "bulwark/runtime/rule_set.h"
#include "pybind11/pybind11.h"

namespace bulwark::python {

// The Python RuleSet; engines and guards keep the compiled rules alive through the pointer.
struct PyRuleSet {
  std::shared_ptr<const runtime::RuleSet> rules;
};

// Adds RuleSet, Engine and load functions to `runtime`, and the two groups below.
void DefineRuntimeBindings(pybind11::module_& runtime);

// Container metadata providers (runtime_metadata_bindings.cc).
void DefineRuntimeMetadataBindings(pybind11::module_& runtime);

// Responder, enforcers and the fanotify guard (runtime_response_bindings.cc).
void DefineRuntimeResponseBindings(pybind11::module_& runtime);

}  // namespace bulwark::python

#endif  // BULWARK_BINDINGS_PYTHON_RUNTIME_BINDINGS_H_
