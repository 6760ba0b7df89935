// bulwark.runtime container metadata providers: Docker's state directory, OCI bundles, kubectl
// pod lists and chains of them, handed to an Engine as its ContainerMetadataProvider.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "bulwark/bindings/python/runtime_bindings.h"
#include "bulwark/bindings/python/status_exceptions.h"
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

  py::class_<OwningChainedProvider, ContainerMetadataProvider,
             std::shared_ptr<OwningChainedProvider>>(runtime_module, "_ChainedProvider")
      .def(py::init<std::vector<std::shared_ptr<ContainerMetadataProvider>>>(),
           py::arg("providers"));
}

}  // namespace bulwark::python
