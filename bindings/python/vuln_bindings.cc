#include "bulwark/bindings/python/vuln_bindings.h"

#include <Python.h>

#include <iterator>
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
#include "bulwark/image/vuln/vex.h"
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

// Matches the SBOM with the statements of every VEX file applied (files in order).
absl::StatusOr<std::string> MatchJson(const vuln::Database& db, const std::string& sbom_json,
                                      const std::vector<std::string>& vex_paths,
                                      const std::vector<std::string>& context_ids,
                                      bool match_os_owned_packages) {
  absl::StatusOr<sbom::v1::Sbom> sbom = sbom::SbomFromJson(sbom_json);
  if (!sbom.ok()) return sbom.status();
  std::vector<vuln::VexStatement> vex;
  for (const std::string& path : vex_paths) {
    absl::StatusOr<std::vector<vuln::VexStatement>> statements = vuln::LoadVexFile(path);
    if (!statements.ok()) return statements.status();
    vex.insert(vex.end(), std::make_move_iterator(statements->begin()),
               std::make_move_iterator(statements->end()));
  }
  vuln::MatchOptions options;
  options.vex = vex;
  options.vex_context_ids = context_ids;
  options.match_os_owned_packages = match_os_owned_packages;
  absl::StatusOr<vuln::v1::MatchResult> result = vuln::MatchSbom(db, *sbom, options);
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
          [](const DatabaseHandle& self, const std::string& sbom_json,
             const std::vector<std::string>& vex_paths, const std::vector<std::string>& context_ids,
             bool match_os_owned_packages) {
            absl::StatusOr<std::string> json;
            {
              py::gil_scoped_release nogil;
              json =
                  MatchJson(*self.db, sbom_json, vex_paths, context_ids, match_os_owned_packages);
            }
            return ValueOrThrow(std::move(json));
          },
          py::arg("sbom_json"), py::arg("vex_paths") = std::vector<std::string>(),
          py::arg("context_ids") = std::vector<std::string>(),
          py::arg("match_os_owned_packages") = false);

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
        // A tuple snapshot of the pairs (a list could change while the GIL is released); each
        // pair that is itself a tuple keeps its strings alive, so their UTF-8 buffers are
        // borrowed without copies. Other sequences are pinned in `alive`.
        py::tuple items = py::reinterpret_steal<py::tuple>(PySequence_Tuple(pairs.ptr()));
        if (!items) throw py::error_already_set();
        const Py_ssize_t count = PyTuple_GET_SIZE(items.ptr());
        std::vector<py::object> alive;
        std::vector<std::pair<absl::string_view, absl::string_view>> views;
        views.reserve(static_cast<size_t>(count));
        auto utf8 = [](PyObject* text) {
          Py_ssize_t size = 0;
          const char* data = PyUnicode_Check(text) ? PyUnicode_AsUTF8AndSize(text, &size) : nullptr;
          if (data == nullptr) {
            if (PyErr_Occurred()) throw py::error_already_set();
            throw py::type_error("compare_versions_many: versions must be str");
          }
          return absl::string_view(data, static_cast<size_t>(size));
        };
        for (Py_ssize_t i = 0; i < count; ++i) {
          PyObject* item = PyTuple_GET_ITEM(items.ptr(), i);
          if (PyTuple_Check(item) && PyTuple_GET_SIZE(item) == 2) {
            views.emplace_back(utf8(PyTuple_GET_ITEM(item, 0)), utf8(PyTuple_GET_ITEM(item, 1)));
            continue;
          }
          if (!PySequence_Check(item) || PySequence_Size(item) != 2) {
            throw py::type_error("compare_versions_many: each item must be a pair (a, b)");
          }
          py::object a = py::reinterpret_steal<py::object>(PySequence_GetItem(item, 0));
          py::object b = py::reinterpret_steal<py::object>(PySequence_GetItem(item, 1));
          if (!a || !b) throw py::error_already_set();
          views.emplace_back(utf8(a.ptr()), utf8(b.ptr()));
          alive.push_back(std::move(a));
          alive.push_back(std::move(b));
        }
        absl::StatusOr<std::vector<int>> orders;
        {
          py::gil_scoped_release nogil;
          orders = vuln::CompareVersionsMany(ecosystem, views);
        }
        std::vector<int> values = ValueOrThrow(std::move(orders));
        py::list out(values.size());
        for (size_t i = 0; i < values.size(); ++i) {
          // -1, 0 and 1 are CPython's cached small ints: no allocation.
          PyList_SET_ITEM(out.ptr(), static_cast<Py_ssize_t>(i), PyLong_FromLong(values[i]));
        }
        return out;
      },
      py::arg("ecosystem"), py::arg("pairs"),
      "compare_versions for each (a, b) of pairs, in one call (for bulk work and benchmarks). "
      "Raises InvalidArgumentError naming the first invalid pair.");
}

}  // namespace bulwark::python
