#include "bulwark/policy/kyverno/external_data.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/policy/admission/internal/documents.h"
#include "bulwark/policy/admission/request.h"

namespace bulwark::policy::kyverno {
namespace {

using internal::FieldError;
using internal::StringAt;

absl::Status WithSource(absl::string_view source, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat(source, ": ", status.message()));
}

bool HasLabels(const core::Value& object, const std::map<std::string, std::string>& labels) {
  const core::Value* present = internal::FindPath(object, "metadata.labels");
  for (const auto& [key, value] : labels) {
    const core::Value* found = present == nullptr ? nullptr : present->Find(key);
    if (found == nullptr || !found->is_string() || found->string_value() != value) return false;
  }
  return true;
}

}  // namespace

absl::Status ExternalData::AddContextDocument(const core::Value& document,
                                              absl::string_view source) {
  if (StringAt(document, "kind") != "Context" ||
      StringAt(document, "apiVersion") != "cli.kyverno.io/v1alpha1") {
    return WithSource(source, FieldError("kind", document,
                                         "expected a cli.kyverno.io/v1alpha1 Context document"));
  }
  const core::Value* spec = document.Find("spec");
  if (spec == nullptr || spec->is_null()) return absl::OkStatus();
  if (!spec->is_map()) return WithSource(source, FieldError("spec", *spec, "expected a map"));
  absl::Status status = [&]() -> absl::Status {
    BULWARK_ASSIGN_OR_RETURN(const core::ValueList* resources,
                             internal::OptionalList(*spec, "resources", "spec"));
    if (resources != nullptr) {
      for (size_t i = 0; i < resources->size(); ++i) {
        absl::Status added = AddResource((*resources)[i]);
        if (!added.ok()) {
          return FieldError(absl::StrCat("spec.resources[", i, "]"), (*resources)[i],
                            added.message());
        }
      }
    }
    BULWARK_ASSIGN_OR_RETURN(const core::ValueList* images,
                             internal::OptionalList(*spec, "images", "spec"));
    if (images != nullptr) {
      for (size_t i = 0; i < images->size(); ++i) {
        std::string image = StringAt((*images)[i], "image");
        if (image.empty()) {
          return FieldError(absl::StrCat("spec.images[", i, "].image"), (*images)[i],
                            "is required");
        }
        AddImageData(std::move(image), (*images)[i]);
      }
    }
    const core::Value* global = spec->Find("globalContext");
    if (global != nullptr && !global->is_null()) {
      if (!global->is_map()) return FieldError("spec.globalContext", *global, "expected a map");
      for (const core::MapEntry& entry : global->map_value()) {
        AddGlobalContextEntry(entry.key, entry.value);
      }
    }
    return absl::OkStatus();
  }();
  return status.ok() ? status : WithSource(source, status);
}

absl::Status ExternalData::AddResource(core::Value object) {
  BULWARK_ASSIGN_OR_RETURN(AdmissionRequest request, RequestForObject(object));
  if (request.name.empty()) return absl::InvalidArgumentError("metadata.name is required");
  StoredResource stored;
  stored.api_version = StringAt(object, "apiVersion");
  stored.resource = request.resource.resource;
  stored.namespace_name = request.namespace_name;  // "default" when unset, "" when cluster-scoped
  stored.name = request.name;
  for (StoredResource& existing : resources_) {
    if (existing.api_version == stored.api_version && existing.resource == stored.resource &&
        existing.namespace_name == stored.namespace_name && existing.name == stored.name) {
      existing.object = std::make_unique<const core::Value>(std::move(object));
      return absl::OkStatus();
    }
  }
  stored.object = std::make_unique<const core::Value>(std::move(object));
  resources_.push_back(std::move(stored));
  return absl::OkStatus();
}

void ExternalData::AddImageData(std::string image, core::Value data) {
  for (NamedDocument& existing : images_) {
    if (existing.name == image) {
      existing.data = std::make_unique<const core::Value>(std::move(data));
      return;
    }
  }
  images_.push_back({std::move(image), std::make_unique<const core::Value>(std::move(data))});
}

void ExternalData::AddGlobalContextEntry(std::string name, core::Value data) {
  for (NamedDocument& existing : global_context_) {
    if (existing.name == name) {
      existing.data = std::make_unique<const core::Value>(std::move(data));
      return;
    }
  }
  global_context_.push_back(
      {std::move(name), std::make_unique<const core::Value>(std::move(data))});
}

absl::StatusOr<const core::Value*> ExternalData::GetResource(absl::string_view api_version,
                                                             absl::string_view resource,
                                                             absl::string_view namespace_name,
                                                             absl::string_view name) const {
  for (const StoredResource& stored : resources_) {
    if (stored.api_version == api_version && stored.resource == resource &&
        stored.namespace_name == namespace_name && stored.name == name) {
      return stored.object.get();
    }
  }
  return absl::NotFoundError(absl::StrCat(resource, " \"", name, "\" not found"));
}

std::vector<const core::Value*> ExternalData::ListResources(
    absl::string_view api_version, absl::string_view resource, absl::string_view namespace_name,
    const std::map<std::string, std::string>& labels) const {
  std::vector<const core::Value*> found;
  for (const StoredResource& stored : resources_) {
    if (stored.api_version != api_version || stored.resource != resource) continue;
    if (!namespace_name.empty() && stored.namespace_name != namespace_name) continue;
    if (HasLabels(*stored.object, labels)) found.push_back(stored.object.get());
  }
  return found;
}

const core::Value* ExternalData::ImageData(absl::string_view image) const {
  for (const NamedDocument& entry : images_) {
    if (entry.name == image) return entry.data.get();
  }
  return nullptr;
}

const core::Value* ExternalData::GlobalContextEntry(absl::string_view name) const {
  for (const NamedDocument& entry : global_context_) {
    if (entry.name == name) return entry.data.get();
  }
  return nullptr;
}

}  // namespace bulwark::policy::kyverno
