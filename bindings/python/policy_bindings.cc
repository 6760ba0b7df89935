#include "bulwark/bindings/python/policy_bindings.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/bindings/python/status_exceptions.h"
#include "bulwark/bindings/python/value_to_python.h"
#include "bulwark/core/document.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/policy/admission/admission_review.h"
#include "bulwark/policy/admission/kyverno_test.h"
#include "bulwark/policy/admission/policy_set.h"
#include "pybind11/stl.h"

namespace bulwark::python {
namespace {

namespace py = pybind11;
using policy::PolicySet;

struct PyPolicySet {
  std::shared_ptr<const PolicySet> set;
};

absl::StatusOr<core::Value> EvaluateJson(const PolicySet& set, const std::string& json) {
  BULWARK_ASSIGN_OR_RETURN(core::Value object, core::ParseJson(json, core::Limits(), "resource"));
  BULWARK_ASSIGN_OR_RETURN(std::vector<policy::Result> results, set.EvaluateObject(object));
  core::ValueList list;
  for (const policy::Result& result : results) list.push_back(result.ToDocument());
  return core::Value(std::move(list));
}

absl::StatusOr<core::Value> ReviewJson(const PolicySet& set, const std::string& json) {
  BULWARK_ASSIGN_OR_RETURN(core::Value review,
                           core::ParseJson(json, core::Limits(), "AdmissionReview"));
  return policy::ReviewAdmission(set, review);
}

core::Value TestReports(const std::vector<policy::TestManifestReport>& reports) {
  core::ValueList list;
  for (const policy::TestManifestReport& report : reports) {
    core::ValueList cases;
    for (const policy::TestCaseOutcome& c : report.cases) {
      cases.emplace_back(core::ValueMap{{"policy", core::Value(c.policy)},
                                        {"rule", core::Value(c.rule)},
                                        {"kind", core::Value(c.kind)},
                                        {"resource", core::Value(c.resource)},
                                        {"expected", core::Value(c.expected)},
                                        {"actual", core::Value(c.actual)},
                                        {"message", core::Value(c.message)},
                                        {"ok", core::Value(c.ok)}});
    }
    list.emplace_back(
        core::ValueMap{{"path", core::Value(report.path)},
                       {"name", core::Value(report.name)},
                       {"mismatches", core::Value(static_cast<uint64_t>(report.mismatches))},
                       {"cases", core::Value(std::move(cases))}});
  }
  return core::Value(std::move(list));
}

}  // namespace

void DefinePolicyBindings(py::module_& policy_module) {
  py::class_<PyPolicySet> set(policy_module, "PolicySet",
                              "Compiled admission policies, bindings and params (immutable).");
  set.attr("__module__") = "bulwark.policy";
  set.def_property_readonly(
      "policy_names", [](const PyPolicySet& self) { return self.set->PolicyNames(); },
      "Names of the policies, in load order.");
  set.def(
      "_evaluate_json",
      [](const PyPolicySet& self, const std::string& json) {
        absl::StatusOr<core::Value> results;
        {
          py::gil_scoped_release nogil;
          results = EvaluateJson(*self.set, json);
        }
        return ValueToPython(ValueOrThrow(std::move(results)));
      },
      py::arg("json"));
  set.def(
      "_review_json",
      [](const PyPolicySet& self, const std::string& json) {
        absl::StatusOr<core::Value> response;
        {
          py::gil_scoped_release nogil;
          response = ReviewJson(*self.set, json);
        }
        return ValueToPython(ValueOrThrow(std::move(response)));
      },
      py::arg("json"));

  policy_module.def(
      "_load",
      [](std::vector<std::string> paths, std::vector<std::string> params) {
        absl::StatusOr<std::unique_ptr<const PolicySet>> result;
        {
          py::gil_scoped_release nogil;
          result = PolicySet::Load(paths, params);
        }
        return PyPolicySet{std::shared_ptr<const PolicySet>(ValueOrThrow(std::move(result)))};
      },
      py::arg("paths"), py::arg("params"));
  policy_module.def(
      "_run_tests",
      [](const std::string& directory) {
        absl::StatusOr<std::vector<policy::TestManifestReport>> reports;
        {
          py::gil_scoped_release nogil;
          reports = policy::RunKyvernoTests(directory);
        }
        return ValueToPython(TestReports(ValueOrThrow(std::move(reports))));
      },
      py::arg("directory"));
}

}  // namespace bulwark::python
