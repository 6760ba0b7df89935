#include "bulwark/bindings/python/core_bindings.h"

#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "bulwark/bindings/python/borrowed_bytes.h"
#include "bulwark/bindings/python/status_exceptions.h"
#include "bulwark/bindings/python/value_to_python.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/document.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/value.h"
#include "pybind11/operators.h"
#include "pybind11/stl.h"
#include "pybind11/stl/filesystem.h"

namespace bulwark::python {
namespace {

namespace py = pybind11;

// Python ints are unbounded; reject what core::Limits cannot hold instead of wrapping around.
core::Limits LimitsWithMaxDepth(std::optional<int64_t> max_depth) {
  core::Limits limits;
  if (max_depth.has_value()) {
    if (*max_depth < 0 || *max_depth > std::numeric_limits<uint32_t>::max()) {
      ThrowIfError(absl::InvalidArgumentError(
          absl::StrCat("max_depth must be between 0 and 4294967295, got ", *max_depth)));
    }
    limits.max_depth = static_cast<uint32_t>(*max_depth);
  }
  return limits;
}

py::list DocumentsToPython(const std::vector<core::Value>& documents) {
  py::list list(documents.size());
  for (size_t i = 0; i < documents.size(); ++i) list[i] = ValueToPython(documents[i]);
  return list;
}

void DefineDigests(py::module_& core) {
  py::class_<core::Digest> digest_class(
      core, "Digest",
      "An OCI content digest such as sha256:<64 hex digits>, made by parse_digest(). Compares "
      "in constant time.");
  digest_class
      .def_property_readonly(
          "algorithm",
          [](const core::Digest& digest) {
            return std::string(core::DigestAlgorithmName(digest.algorithm()));
          },
          "\"sha256\", \"sha512\" or \"md5\".")
      .def_property_readonly("hex", &core::Digest::Hex, "The digest bytes as lowercase hex.")
      .def("__str__", &core::Digest::ToString)
      .def("__repr__",
           [](const core::Digest& digest) {
             return absl::StrCat("bulwark.core.Digest('", digest.ToString(), "')");
           })
      .def(py::self == py::self)
      .def(py::self != py::self)
      .def("__hash__",
           [](const core::Digest& digest) { return py::hash(py::str(digest.ToString())); });
  // The class is reached as bulwark.core.Digest; say so instead of the private extension path.
  digest_class.attr("__module__") = "bulwark.core";

  // Parsing a short string is cheaper than releasing and re-taking the GIL, so it keeps the GIL.
  core.def(
      "parse_digest",
      [](const std::string& text) { return ValueOrThrow(core::Digest::Parse(text)); },
      py::arg("text"),
      "Parses \"<algorithm>:<lowercase hex>\" (OCI image-spec). Raises InvalidArgumentError for "
      "malformed text, UnimplementedError for an algorithm other than sha256, sha512 and md5.");

  core.def(
      "digest",
      [](py::handle data, const std::string& algorithm) {
        core::DigestAlgorithm parsed = ValueOrThrow(core::ParseDigestAlgorithm(algorithm));
        BorrowedBytes bytes(data, BorrowedBytes::Accept::kBuffer);
        std::string digest;
        {
          py::gil_scoped_release release_gil;
          digest = core::DigestBytes(parsed, bytes.bytes()).ToString();
        }
        return digest;
      },
      py::arg("data"), py::arg("algorithm") = "sha256",
      "Digest of a bytes-like object as \"<algorithm>:<hex>\"; algorithm is \"sha256\", "
      "\"sha512\" or \"md5\".");

  core.def(
      "digest_file",
      [](const std::filesystem::path& path, const std::string& algorithm) {
        core::DigestAlgorithm parsed = ValueOrThrow(core::ParseDigestAlgorithm(algorithm));
        absl::StatusOr<core::Digest> digest;
        {
          py::gil_scoped_release release_gil;
          digest = core::DigestFile(path.string(), parsed);
        }
        return ValueOrThrow(std::move(digest)).ToString();
      },
      py::arg("path"), py::arg("algorithm") = "sha256",
      "Digest of the file at path, streamed; raises NotFoundError, PermissionDeniedError, or "
      "InvalidArgumentError for a directory.");
}

void DefineDocuments(py::module_& core) {
  core.def(
      "parse_json",
      [](py::handle text, std::optional<int64_t> max_depth, const std::string& source_name) {
        core::Limits limits = LimitsWithMaxDepth(max_depth);
        BorrowedBytes input(text, BorrowedBytes::Accept::kTextOrBuffer);
        absl::StatusOr<core::Value> value;
        {
          py::gil_scoped_release release_gil;
          value = core::ParseJson(input.bytes(), limits, source_name);
        }
        return ValueToPython(ValueOrThrow(std::move(value)));
      },
      py::arg("text"), py::kw_only(), py::arg("max_depth") = py::none(),
      py::arg("source_name") = "<json>",
      "Parses one JSON text (str or UTF-8 bytes) into None, bool, int, float, str, list and "
      "dict. Raises InvalidArgumentError \"<source_name>:<line>:<column>: ...\" for malformed "
      "JSON or duplicate keys, ResourceExhaustedError beyond max_depth (default 512).");

  core.def(
      "parse_json_file",
      [](const std::filesystem::path& path, std::optional<int64_t> max_depth) {
        core::Limits limits = LimitsWithMaxDepth(max_depth);
        absl::StatusOr<core::Value> value;
        {
          py::gil_scoped_release release_gil;
          value = core::ParseJsonFile(path.string(), limits);
        }
        return ValueToPython(ValueOrThrow(std::move(value)));
      },
      py::arg("path"), py::kw_only(), py::arg("max_depth") = py::none(),
      "Reads and parses the JSON file at path; errors name the path.");

  core.def(
      "parse_yaml",
      [](py::handle text, std::optional<int64_t> max_depth, const std::string& source_name) {
        core::Limits limits = LimitsWithMaxDepth(max_depth);
        BorrowedBytes input(text, BorrowedBytes::Accept::kTextOrBuffer);
        absl::StatusOr<std::vector<core::Value>> documents;
        {
          py::gil_scoped_release release_gil;
          documents = core::ParseYaml(input.bytes(), limits, source_name);
        }
        return DocumentsToPython(ValueOrThrow(std::move(documents)));
      },
      py::arg("text"), py::kw_only(), py::arg("max_depth") = py::none(),
      py::arg("source_name") = "<yaml>",
      "Parses every document of a YAML stream (YAML 1.2 core schema) into a list of Python "
      "objects; !!binary becomes bytes. Errors as parse_json.");

  core.def(
      "parse_yaml_file",
      [](const std::filesystem::path& path, std::optional<int64_t> max_depth) {
        core::Limits limits = LimitsWithMaxDepth(max_depth);
        absl::StatusOr<std::vector<core::Value>> documents;
        {
          py::gil_scoped_release release_gil;
          documents = core::ParseYamlFile(path.string(), limits);
        }
        return DocumentsToPython(ValueOrThrow(std::move(documents)));
      },
      py::arg("path"), py::kw_only(), py::arg("max_depth") = py::none(),
      "Reads and parses the YAML file at path; errors name the path.");
}

}  // namespace

void DefineCoreBindings(py::module_& core) {
  DefineDigests(core);
  DefineDocuments(core);
}

}  // namespace bulwark::python
