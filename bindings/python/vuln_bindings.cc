#include "bulwark/bindings/python/vuln_bindings.h"

#include <Python.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bulwark/bindings/python/status_exceptions.h"
#include "bulwark/image/sbom/sbom_writer.h"
#include "bulwark/image/vuln/database.h"
#include "bulwark/image/vuln/matcher.h"
#include "bulwark/image/vuln/version.h"
#include "google/protobuf/util/json_util.h"
#include "pybind11/stl.h"

namespace bulwark::python {

namespace py = pybind11;

namespace {

// Protobuf JSON with the .proto field names (snake_case), as the Python dataclasses spell them.
std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

// A loaded database shared with Python (immutable; safe to use from several threads).
struct DatabaseHandle {
  std::shared_ptr<const vuln::Database> db;
};

absl::StatusOr<std::string> MatchJson(const vuln::Database& db, const std::string& sbom_json) {
  absl::StatusOr<sbom::v1::Sbom> sbom = sbom::SbomFromJson(sbom_json);
  if (!sbom.ok()) return sbom.status();
  absl::StatusOr<vuln::v1::MatchResult> result = vuln::MatchSbom(db, *sbom);
  if (!result.ok()) return result.status();
  return ToJson(*result);
}

}  // namespace

void DefineVulnBindings(py::module_& vuln) {
  py::class_<DatabaseHandle>(vuln, "_Database")
      .def_static(
          "open",
          [](const std::string& path) {
            absl::StatusOr<std::unique_ptr<const vuln::Database>> db;
            {
              py::gil_scoped_release nogil;
              db = vuln::Database::Open(path);
            }
            return DatabaseHandle{ValueOrThrow(std::move(db))};
          },
          py::arg("path"))
      .def_static(
          "build",
          [](const std::vector<std::string>& paths) {
            absl::StatusOr<std::unique_ptr<const vuln::Database>> db;
            {
              py::gil_scoped_release nogil;
              db = vuln::Database::LoadSources(paths);
            }
            return DatabaseHandle{ValueOrThrow(std::move(db))};
          },
          py::arg("paths"))
      .def(
          "save",
          [](const DatabaseHandle& self, const std::string& path) {
            absl::Status status;
            {
              py::gil_scoped_release nogil;
              status = self.db->SaveCompiled(path);
            }
            ThrowIfError(status);
          },
          py::arg("path"))
      .def("stats_json", [](const DatabaseHandle& self) { return ToJson(self.db->stats()); })
      .def("record_count", [](const DatabaseHandle& self) { return self.db->record_count(); })
      .def(
          "match_json",
          [](const DatabaseHandle& self, const std::string& sbom_json) {
            absl::StatusOr<std::string> json;
            {
              py::gil_scoped_release nogil;
              json = MatchJson(*self.db, sbom_json);
            }
            return ValueOrThrow(std::move(json));
          },
          py::arg("sbom_json"));

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
      [](std::string ecosystem, py::iterable pairs) {
        // Borrow each str's UTF-8 buffer (no copies); `alive` keeps the strings referenced
        // while the GIL is released.
        std::vector<py::object> alive;
        std::vector<std::pair<absl::string_view, absl::string_view>> views;
        for (py::handle item : pairs) {
          if (!PySequence_Check(item.ptr()) || PySequence_Size(item.ptr()) != 2) {
            throw py::type_error("compare_versions_many: each item must be a pair (a, b)");
          }
          py::sequence pair = py::reinterpret_borrow<py::sequence>(item);
          absl::string_view sides[2];
          for (int side = 0; side < 2; ++side) {
            py::object text = pair[side];
            Py_ssize_t size = 0;
            const char* utf8 =
                PyUnicode_Check(text.ptr()) ? PyUnicode_AsUTF8AndSize(text.ptr(), &size) : nullptr;
            if (utf8 == nullptr) {
              if (PyErr_Occurred()) throw py::error_already_set();
              throw py::type_error("compare_versions_many: versions must be str");
            }
            sides[side] = absl::string_view(utf8, static_cast<size_t>(size));
            alive.push_back(std::move(text));
          }
          views.emplace_back(sides[0], sides[1]);
        }
        absl::StatusOr<std::vector<int>> orders;
        {
          py::gil_scoped_release nogil;
          orders = vuln::CompareVersionsMany(ecosystem, views);
        }
        return ValueOrThrow(std::move(orders));
      },
      py::arg("ecosystem"), py::arg("pairs"),
      "compare_versions for each (a, b) of pairs, in one call (for bulk work and benchmarks). "
      "Raises InvalidArgumentError naming the first invalid pair.");
}

}  // namespace bulwark::python
