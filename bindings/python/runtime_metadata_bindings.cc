// bulwark.runtime container metadata providers: Docker's state directory, OCI bundles, kubectl
// pod lists, chains of them, and providers written in Python, handed to an Engine as its
// ContainerMetadataProvider.
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "bulwark/bindings/python/runtime_bindings.h"
#include "bulwark/bindings/python/status_exceptions.h"
#include "bulwark/core/limits.h"
#include "bulwark/runtime/metadata_providers.h"
#include "google/protobuf/util/json_util.h"
#include "pybind11/stl.h"

namespace bulwark::python {
namespace {

namespace py = pybind11;
using runtime::ContainerMetadataProvider;

std::string ContainerJson(const runtime::v1::Container& container) {
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(container, &json);
  return json;
}

// ChainedProvider borrows its providers; this one also keeps them alive for Python.
class OwningChainedProvider : public ContainerMetadataProvider {
 public:
  explicit OwningChainedProvider(std::vector<std::shared_ptr<ContainerMetadataProvider>> providers)
      : providers_(std::move(providers)), chain_(Borrow(providers_)) {}
  std::optional<runtime::v1::Container> Lookup(absl::string_view container_id) override {
    return chain_.Lookup(container_id);
  }

 private:
  static std::vector<ContainerMetadataProvider*> Borrow(
      const std::vector<std::shared_ptr<ContainerMetadataProvider>>& providers) {
    std::vector<ContainerMetadataProvider*> borrowed;
    for (const auto& provider : providers) borrowed.push_back(provider.get());
    return borrowed;
  }

  std::vector<std::shared_ptr<ContainerMetadataProvider>> providers_;
  runtime::ChainedProvider chain_;
};

// A provider written in Python: an object whose lookup(container_id) returns the container as a
// dict in protobuf's JSON mapping of bulwark.runtime.v1.Container, as JSON text, as protobuf
// wire bytes, as a message object with SerializeToString() (protobuf's Python package), or None.
// The engine calls Lookup from the thread applying events, usually with the GIL released by
// process(), so Lookup takes the GIL. An exception, or a value that is not a Container, is a
// failure: counted, its message kept (the last kMaxErrors) for the facade to report, and the
// container stays without metadata. Never lets a Python exception cross into the engine.
// Thread safety: every member is used with the GIL held.
class PythonMetadataProvider : public ContainerMetadataProvider {
 public:
  static constexpr size_t kMaxErrors = 100;

  explicit PythonMetadataProvider(py::object provider)
      : provider_(new py::object(std::move(provider)), [](py::object* object) {
          py::gil_scoped_acquire gil;  // The engine owning this may be freed without the GIL.
          delete object;
        }) {}

  std::optional<runtime::v1::Container> Lookup(absl::string_view container_id) override {
    py::gil_scoped_acquire gil;
    const std::string id(container_id);
    try {
      return ToContainer(id, provider_->attr("lookup")(id));
    } catch (py::error_already_set& error) {
      Fail(id, absl::StrCat(py::str(error.type().attr("__name__")).cast<std::string>(), ": ",
                            py::str(error.value()).cast<std::string>()));
    } catch (const std::exception& error) {
      Fail(id, error.what());
    }
    return std::nullopt;
  }

  uint64_t failures() const { return failures_; }

  // The failure messages kept since the last call, oldest first.
  std::vector<std::string> TakeErrors() {
    std::vector<std::string> errors(errors_.begin(), errors_.end());
    errors_.clear();
    return errors;
  }

 private:
  std::optional<runtime::v1::Container> ToContainer(const std::string& id,
                                                    const py::object& result) {
    if (result.is_none()) return std::nullopt;
    if (py::isinstance<py::bytes>(result)) return FromWire(id, result, "bytes");
    if (py::isinstance<py::str>(result)) return FromJson(id, result.cast<std::string>());
    if (py::isinstance<py::dict>(result)) {
      return FromJson(id, py::module_::import("json").attr("dumps")(result).cast<std::string>());
    }
    if (py::hasattr(result, "SerializeToString")) return FromMessage(id, result);
    Fail(id, absl::StrCat("returned ", TypeName(result),
                          "; expected a dict or JSON text (bulwark.runtime.v1.Container), the "
                          "message or its serialized bytes, or None"));
    return std::nullopt;
  }

  static std::string TypeName(const py::handle& object) {
    return py::str(object.get_type().attr("__name__")).cast<std::string>();
  }

  std::optional<runtime::v1::Container> FromJson(const std::string& id, const std::string& json) {
    runtime::v1::Container container;
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    const google::protobuf::util::Status status =
        google::protobuf::util::JsonStringToMessage(json, &container, options);
    if (!status.ok()) {
      Fail(id, absl::StrCat("not a bulwark.runtime.v1.Container: ", status.message().ToString()));
      return std::nullopt;
    }
    return container;
  }

  // A protobuf message object (protobuf's Python package, or anything with SerializeToString):
  // its own type, when it names one, must be Container, and its wire form is parsed.
  std::optional<runtime::v1::Container> FromMessage(const std::string& id,
                                                    const py::object& message) {
    const std::string& expected = runtime::v1::Container::descriptor()->full_name();
    if (py::hasattr(message, "DESCRIPTOR") &&
        py::hasattr(message.attr("DESCRIPTOR"), "full_name")) {
      const std::string full_name = py::str(message.attr("DESCRIPTOR").attr("full_name"));
      if (full_name != expected) {
        Fail(id, absl::StrCat("returned a ", full_name, " message; expected ", expected));
        return std::nullopt;
      }
    }
    const py::object wire = message.attr("SerializeToString")();
    if (!py::isinstance<py::bytes>(wire)) {
      Fail(id, absl::StrCat("SerializeToString() of the returned ", TypeName(message), " gave ",
                            TypeName(wire), ", not bytes"));
      return std::nullopt;
    }
    return FromWire(id, wire, absl::StrCat(TypeName(message), ".SerializeToString()"));
  }

  // Protobuf wire bytes of a Container. Fields this version does not know are kept as unknown
  // fields (protobuf's rule for a newer writer), so they are ignored, not an error.
  std::optional<runtime::v1::Container> FromWire(const std::string& id, const py::handle& bytes,
                                                 absl::string_view what) {
    char* data = nullptr;
    Py_ssize_t size = 0;
    if (PyBytes_AsStringAndSize(bytes.ptr(), &data, &size) != 0) throw py::error_already_set();
    const uint64_t limit = core::Limits{}.max_file_bytes;
    if (static_cast<uint64_t>(size) > limit) {
      Fail(id, absl::StrCat(what, ": ", size, " bytes, more than the ", limit,
                            " bytes (core::Limits max_file_bytes) a Container may have"));
      return std::nullopt;
    }
    runtime::v1::Container container;
    if (!container.ParseFromArray(data, static_cast<int>(size))) {
      Fail(id, absl::StrCat(what,
                            ": not a serialized bulwark.runtime.v1.Container (malformed "
                            "protobuf wire data, ",
                            size, " bytes)"));
      return std::nullopt;
    }
    return container;
  }

  void Fail(const std::string& id, const std::string& message) {
    ++failures_;
    if (errors_.size() == kMaxErrors) errors_.pop_front();
    errors_.push_back(absl::StrCat("container metadata provider lookup('", id, "'): ", message));
  }

  std::shared_ptr<py::object> provider_;
  uint64_t failures_ = 0;
  std::deque<std::string> errors_;
};

// Read(id) of a provider that has one, as JSON, with the GIL released.
template <typename Provider>
std::string ReadJson(const Provider& provider, const std::string& container_id) {
  absl::StatusOr<runtime::v1::Container> container;
  {
    py::gil_scoped_release nogil;
    container = provider.Read(container_id);
  }
  return ContainerJson(ValueOrThrow(std::move(container)));
}

}  // namespace

void DefineRuntimeMetadataBindings(py::module_& runtime_module) {
  py::class_<ContainerMetadataProvider, std::shared_ptr<ContainerMetadataProvider>>(
      runtime_module, "_MetadataProvider")
      .def(
          "lookup_json",
          [](ContainerMetadataProvider& self, const std::string& container_id) {
            std::optional<runtime::v1::Container> container;
            {
              py::gil_scoped_release nogil;
              container = self.Lookup(container_id);
            }
            return container.has_value() ? std::optional<std::string>(ContainerJson(*container))
                                         : std::nullopt;
          },
          py::arg("container_id"));

  py::class_<runtime::DockerStateProvider, ContainerMetadataProvider,
             std::shared_ptr<runtime::DockerStateProvider>>(runtime_module, "_DockerStateProvider")
      .def(py::init([](std::string root) {
             return std::make_shared<runtime::DockerStateProvider>(std::move(root));
           }),
           py::arg("root"))
      .def("read_json", &ReadJson<runtime::DockerStateProvider>, py::arg("container_id"));

  py::class_<runtime::OciBundleProvider, ContainerMetadataProvider,
             std::shared_ptr<runtime::OciBundleProvider>>(runtime_module, "_OciBundleProvider")
      .def(py::init([](std::vector<std::string> directories) {
             return std::make_shared<runtime::OciBundleProvider>(std::move(directories));
           }),
           py::arg("directories"))
      .def("read_json", &ReadJson<runtime::OciBundleProvider>, py::arg("container_id"));
  runtime_module.def("_oci_bundle_default_directories",
                     &runtime::OciBundleProvider::DefaultDirectories);

  py::class_<runtime::PodListProvider, ContainerMetadataProvider,
             std::shared_ptr<runtime::PodListProvider>>(runtime_module, "_PodListProvider")
      .def_property_readonly("container_count", &runtime::PodListProvider::container_count);
  runtime_module.def(
      "_pod_list_from_file",
      [](std::string path) {
        absl::StatusOr<std::unique_ptr<runtime::PodListProvider>> result;
        {
          py::gil_scoped_release nogil;
          result = runtime::PodListProvider::FromFile(path);
        }
        return std::shared_ptr<runtime::PodListProvider>(ValueOrThrow(std::move(result)));
      },
      py::arg("path"));
  runtime_module.def(
      "_pod_list_from_json",
      [](std::string text, std::string source_name) {
        absl::StatusOr<std::unique_ptr<runtime::PodListProvider>> result;
        {
          py::gil_scoped_release nogil;
          result = runtime::PodListProvider::FromJson(text, source_name);
        }
        return std::shared_ptr<runtime::PodListProvider>(ValueOrThrow(std::move(result)));
      },
      py::arg("text"), py::arg("source_name"));

  py::class_<PythonMetadataProvider, ContainerMetadataProvider,
             std::shared_ptr<PythonMetadataProvider>>(runtime_module, "_PythonMetadataProvider")
      .def(py::init<py::object>(), py::arg("provider"))
      .def_property_readonly("failures", &PythonMetadataProvider::failures)
      .def("take_errors", &PythonMetadataProvider::TakeErrors);

  py::class_<OwningChainedProvider, ContainerMetadataProvider,
             std::shared_ptr<OwningChainedProvider>>(runtime_module, "_ChainedProvider")
      .def(py::init<std::vector<std::shared_ptr<ContainerMetadataProvider>>>(),
           py::arg("providers"));
}

}  // namespace bulwark::python
