#include "bulwark/bindings/python/cel_bindings.h"

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "bulwark/bindings/python/status_exceptions.h"
#include "bulwark/core/document.h"
#include "bulwark/policy/cel/cel.h"
#include "pybind11/chrono.h"
#include "pybind11/stl.h"

namespace bulwark::python {
namespace {

namespace py = pybind11;

struct PyProgram {
  std::shared_ptr<const cel::Program> program;
};

// Parses the JSON text of each binding (what the Python facade sends), evaluates, and returns
// the result owning its data (the documents are gone after the call).
absl::StatusOr<cel::Value> Evaluate(const cel::Program& program,
                                    const std::map<std::string, std::string>& json_bindings) {
  std::vector<std::pair<std::string, core::Value>> documents;
  documents.reserve(json_bindings.size());
  for (const auto& [name, json] : json_bindings) {
    absl::StatusOr<core::Value> doc = core::ParseJson(json, core::Limits(), name);
    if (!doc.ok()) return doc.status();
    documents.emplace_back(name, *std::move(doc));
  }
  cel::Activation activation;
  for (const auto& [name, doc] : documents) activation.BindDocument(name, doc);
  absl::StatusOr<cel::Value> result = program.Evaluate(activation);
  if (!result.ok()) return result.status();
  return result->Detach();
}

}  // namespace

py::object CelValueToPython(const cel::Value& value) {
  switch (value.kind()) {
    case cel::Kind::kNull:
      return py::none();
    case cel::Kind::kBool:
      return py::bool_(value.bool_value());
    case cel::Kind::kInt:
      return py::int_(value.int_value());
    case cel::Kind::kUint:
      return py::int_(value.uint_value());
    case cel::Kind::kDouble:
      return py::float_(value.double_value());
    case cel::Kind::kString:
      return py::str(std::string(value.string_value()));
    case cel::Kind::kBytes:
      return py::bytes(std::string(value.bytes_value()));
    case cel::Kind::kList: {
      py::list list(value.ListSize());
      for (size_t i = 0; i < value.ListSize(); ++i) list[i] = CelValueToPython(value.ListGet(i));
      return list;
    }
    case cel::Kind::kMap: {
      py::dict dict;
      for (const cel::Value& key : value.MapKeys()) {
        dict[CelValueToPython(key)] = CelValueToPython(*value.MapFind(key));
      }
      return dict;
    }
    case cel::Kind::kType:
      return py::str(value.type_name());
    case cel::Kind::kTimestamp: {
      absl::Time t = value.timestamp_value();
      py::object datetime = py::module_::import("datetime");
      py::object utc = datetime.attr("timezone").attr("utc");
      int64_t seconds = absl::ToUnixSeconds(t);
      int64_t micros = absl::ToInt64Microseconds(t - absl::FromUnixSeconds(seconds));
      return datetime.attr("datetime").attr("fromtimestamp")(seconds, utc) +
             datetime.attr("timedelta")(0, 0, micros);
    }
    case cel::Kind::kDuration: {
      py::object datetime = py::module_::import("datetime");
      return datetime.attr("timedelta")(0, 0, absl::ToInt64Microseconds(value.duration_value()));
    }
    case cel::Kind::kOptional:
      return value.optional_has_value() ? CelValueToPython(value.optional_value()) : py::none();
    case cel::Kind::kError:
      ThrowIfError(value.error());
      return py::none();
    case cel::Kind::kUnknown:
    case cel::Kind::kMessage:
    case cel::Kind::kOpaque:
      return py::str(value.DebugString());
  }
  throw py::value_error("unknown CEL value kind");
}

void DefineCelBindings(py::module_& cel_module) {
  py::class_<PyProgram> program(cel_module, "Program",
                                "A compiled CEL expression (immutable, shareable across threads).");
  program.attr("__module__") = "bulwark.cel";
  program.def_property_readonly(
      "source", [](const PyProgram& self) { return self.program->source(); },
      "The expression text.");
  program.def(
      "_evaluate_json",
      [](const PyProgram& self, std::map<std::string, std::string> bindings) {
        absl::StatusOr<cel::Value> result;
        {
          py::gil_scoped_release nogil;
          result = Evaluate(*self.program, bindings);
        }
        return CelValueToPython(ValueOrThrow(std::move(result)));
      },
      py::arg("bindings"));

  cel_module.def(
      "compile",
      [](const std::string& expression, std::vector<std::string> variables) {
        cel::Env env;
        for (std::string& name : variables) env.DeclareVariable(std::move(name));
        absl::StatusOr<std::shared_ptr<const cel::Program>> result;
        {
          py::gil_scoped_release nogil;
          result = cel::Compile(expression, env);
        }
        return PyProgram{ValueOrThrow(std::move(result))};
      },
      py::arg("expression"), py::arg("variables") = std::vector<std::string>{},
      "Compiles a CEL expression whose free variables are `variables`. Raises "
      "InvalidArgumentError with line:column and a caret excerpt for syntax errors and "
      "undeclared references.");
}

}  // namespace bulwark::python
