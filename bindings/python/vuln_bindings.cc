#include "bulwark/bindings/python/vuln_bindings.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "bulwark/bindings/python/status_exceptions.h"
#include "bulwark/image/vuln/version.h"
#include "pybind11/stl.h"

namespace bulwark::python {

namespace py = pybind11;

void DefineVulnBindings(py::module_& vuln) {
  vuln.def(
      "compare_versions",
      [](std::string ecosystem, std::string a, std::string b) {
        absl::StatusOr<int> order;
        {
          py::gil_scoped_release nogil;
          order = vuln::CompareVersions(ecosystem, a, b);
        }
        return ValueOrThrow(std::move(order));
      },
      py::arg("ecosystem"), py::arg("a"), py::arg("b"),
      "-1, 0 or 1 as version a sorts before, equal to or after b in the OSV ecosystem "
      "(\"Debian\", \"PyPI\", \"npm\", ... optionally \"Debian:12\"). Raises "
      "InvalidArgumentError (a ValueError) for an invalid version or unknown ecosystem.");
  vuln.def(
      "compare_versions_many",
      [](std::string ecosystem, std::vector<std::pair<std::string, std::string>> pairs) {
        absl::StatusOr<std::vector<int>> orders;
        {
          py::gil_scoped_release nogil;
          std::vector<int> out;
          out.reserve(pairs.size());
          absl::StatusOr<vuln::VersionScheme> scheme = vuln::SchemeForEcosystem(ecosystem);
          if (!scheme.ok()) {
            orders = scheme.status();
          } else {
            for (size_t i = 0; i < pairs.size(); ++i) {
              absl::StatusOr<int> order =
                  vuln::CompareVersions(ecosystem, pairs[i].first, pairs[i].second);
              if (!order.ok()) {
                orders = absl::Status(order.status().code(),
                                      absl::StrCat("pair ", i, ": ", order.status().message()));
                break;
              }
              out.push_back(*order);
            }
            if (out.size() == pairs.size()) orders = std::move(out);
          }
        }
        return ValueOrThrow(std::move(orders));
      },
      py::arg("ecosystem"), py::arg("pairs"),
      "compare_versions for each (a, b) of pairs, in one call (for bulk work and benchmarks). "
      "Raises InvalidArgumentError naming the first invalid pair.");
}

}  // namespace bulwark::python
