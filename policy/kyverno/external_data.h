// What Kyverno's CEL libraries would fetch from a cluster, a registry or the global context,
// supplied offline instead (as `kyverno apply --context-file` / kyverno-test `context` do):
// resources for resource.Get/List, image metadata for image.GetMetadata, and global context
// entries for globalContext.Get.
//   ExternalData data;
//   BULWARK_RETURN_IF_ERROR(data.AddContextDocument(context_doc, "context.yaml"));
//   BULWARK_RETURN_IF_ERROR(data.AddResource(configmap));
// Thread safety: build it, then share it read-only (lookups are const).
#ifndef BULWARK_POLICY_KYVERNO_EXTERNAL_DATA_H_
#define BULWARK_POLICY_KYVERNO_EXTERNAL_DATA_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/value.h"

namespace bulwark::policy::kyverno {

class ExternalData {
 public:
  ExternalData() = default;
  ExternalData(const ExternalData&) = delete;
  ExternalData& operator=(const ExternalData&) = delete;
  ExternalData(ExternalData&&) = default;
  ExternalData& operator=(ExternalData&&) = default;

  // Reads a Kyverno CLI context document (apiVersion cli.kyverno.io/v1alpha1, kind Context):
  // spec.resources (objects), spec.images (list of {image, ...} image data, served by
  // image.GetMetadata under `image`) and Bulwark's spec.globalContext (map: entry name -> data).
  // Errors: InvalidArgument naming `source`, the field and its line:column.
  absl::Status AddContextDocument(const core::Value& document, absl::string_view source);

  // Adds one object served by resource.Get/List (indexed by apiVersion, the plural resource of
  // its kind, namespace and name; a later object with the same key replaces the earlier one).
  // Errors: InvalidArgument when apiVersion, kind or metadata.name is missing.
  absl::Status AddResource(core::Value object);
  void AddImageData(std::string image, core::Value data);
  void AddGlobalContextEntry(std::string name, core::Value data);

  // The object, or NotFound as the API server words it ("configmaps \"x\" not found").
  // Pointers stay valid while this object lives.
  absl::StatusOr<const core::Value*> GetResource(absl::string_view api_version,
                                                 absl::string_view resource,
                                                 absl::string_view namespace_name,
                                                 absl::string_view name) const;
  // Objects of (api_version, resource) in `namespace_name` ("" = all namespaces) whose labels
  // include every entry of `labels`, in the order they were added.
  std::vector<const core::Value*> ListResources(
      absl::string_view api_version, absl::string_view resource, absl::string_view namespace_name,
      const std::map<std::string, std::string>& labels) const;
  // Image data supplied for exactly `image`, or nullptr.
  const core::Value* ImageData(absl::string_view image) const;
  // The global context entry `name`, or nullptr.
  const core::Value* GlobalContextEntry(absl::string_view name) const;

  size_t resource_count() const { return resources_.size(); }

 private:
  struct StoredResource {
    std::string api_version;
    std::string resource;
    std::string namespace_name;
    std::string name;
    std::unique_ptr<const core::Value> object;  // stable address for borrowed views
  };
  struct NamedDocument {
    std::string name;
    std::unique_ptr<const core::Value> data;
  };

  std::vector<StoredResource> resources_;
  std::vector<NamedDocument> images_;
  std::vector<NamedDocument> global_context_;
};

}  // namespace bulwark::policy::kyverno

#endif  // BULWARK_POLICY_KYVERNO_EXTERNAL_DATA_H_
