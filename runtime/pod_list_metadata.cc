// PodListProvider (metadata_providers.h): `kubectl get pods -A -o json` -> containers by id.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "bulwark/core/document.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/runtime/internal/import_fields.h"
#include "bulwark/runtime/metadata_providers.h"

namespace bulwark::runtime {
namespace {

using internal::MapAt;
using internal::StringAt;

absl::Status WrongType(absl::string_view source, const core::Value& at, absl::string_view path,
                       absl::string_view expected) {
  return absl::InvalidArgumentError(absl::StrCat(source, ":", at.position().ToString(), ": ", path,
                                                 " must be ", expected, ", got ",
                                                 core::KindName(at.kind())));
}

// The list at `key` of `map` (absent is an empty list), or an error naming `path`.
absl::StatusOr<const core::ValueList*> OptionalList(absl::string_view source,
                                                    const core::Value& map, absl::string_view key,
                                                    const std::string& path) {
  static const core::ValueList* const kEmpty = new core::ValueList();
  const core::Value* list = map.Find(key);
  if (list == nullptr || list->is_null()) return kEmpty;
  if (!list->is_list()) return WrongType(source, *list, absl::StrCat(path, ".", key), "a list");
  return &list->list_value();
}

// The pod spec's privileged flag for each container name.
absl::flat_hash_map<std::string, bool> PrivilegedByName(const core::Value* spec) {
  absl::flat_hash_map<std::string, bool> privileged;
  if (spec == nullptr) return privileged;
  for (absl::string_view key : {"containers", "initContainers", "ephemeralContainers"}) {
    const core::Value* list = spec->Find(key);
    if (list == nullptr || !list->is_list()) continue;
    for (const core::Value& c : list->list_value()) {
      const core::Value* context = MapAt(c, "securityContext");
      const core::Value* flag = context != nullptr ? context->Find("privileged") : nullptr;
      privileged[StringAt(c, "name").value_or("")] =
          flag != nullptr && flag->is_bool() && flag->bool_value();
    }
  }
  return privileged;
}

absl::Status AddPod(absl::string_view source, const core::Value& pod, const std::string& path,
                    absl::flat_hash_map<std::string, v1::Container>& out) {
  if (!pod.is_map()) return WrongType(source, pod, path, "an object");
  v1::Container base;
  if (const core::Value* metadata = MapAt(pod, "metadata")) {
    base.set_k8s_pod_name(StringAt(*metadata, "name").value_or(""));
    base.set_k8s_namespace(StringAt(*metadata, "namespace").value_or(""));
    base.set_k8s_pod_uid(StringAt(*metadata, "uid").value_or(""));
    if (const core::Value* labels = MapAt(*metadata, "labels")) {
      for (const core::MapEntry& label : labels->map_value()) {
        if (label.value.is_string()) {
          (*base.mutable_k8s_pod_labels())[label.key] = label.value.string_value();
        }
      }
    }
  }
  const core::Value* status = MapAt(pod, "status");
  if (status == nullptr) return absl::OkStatus();  // Pending pods have no containers yet.
  const absl::flat_hash_map<std::string, bool> privileged = PrivilegedByName(MapAt(pod, "spec"));
  for (absl::string_view key :
       {"containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"}) {
    const std::string list_path = absl::StrCat(path, ".status");
    BULWARK_ASSIGN_OR_RETURN(const core::ValueList* statuses,
                             OptionalList(source, *status, key, list_path));
    for (size_t i = 0; i < statuses->size(); ++i) {
      const core::Value& s = (*statuses)[i];
      if (!s.is_map()) {
        return WrongType(source, s, absl::StrCat(list_path, ".", key, "[", i, "]"), "an object");
      }
      const std::string id = StringAt(s, "containerID").value_or("");
      if (id.empty()) continue;  // Not started yet.
      v1::Container container = base;
      internal::SetContainerId(id, container);
      if (container.id().empty()) continue;
      container.set_name(StringAt(s, "name").value_or(""));
      internal::SetContainerImage(StringAt(s, "image").value_or(""),
                                  StringAt(s, "imageID").value_or(""), container);
      if (auto it = privileged.find(container.name()); it != privileged.end()) {
        container.set_privileged(it->second);
      }
      if (const core::Value* state = MapAt(s, "state")) {
        if (const core::Value* running = MapAt(*state, "running")) {
          if (auto started = StringAt(*running, "startedAt")) {
            container.set_start_time_ns(internal::ParseRfc3339Nanos(*started).value_or(0));
          }
        }
      }
      out[container.id()] = std::move(container);
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<PodListProvider>> PodListProvider::FromFile(
    const std::string& path, const core::Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(std::string text, core::ReadFileToString(path, limits.max_file_bytes));
  return FromJson(text, path, limits);
}

absl::StatusOr<std::unique_ptr<PodListProvider>> PodListProvider::FromJson(
    absl::string_view text, absl::string_view source_name, const core::Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(core::Value document, core::ParseJson(text, limits, source_name));
  std::unique_ptr<PodListProvider> provider(new PodListProvider());
  if (!document.is_map()) return WrongType(source_name, document, "the document", "an object");
  if (StringAt(document, "kind").value_or("") == "Pod") {
    BULWARK_RETURN_IF_ERROR(AddPod(source_name, document, "$", provider->containers_));
    return provider;
  }
  BULWARK_ASSIGN_OR_RETURN(const core::ValueList* items,
                           OptionalList(source_name, document, "items", "$"));
  for (size_t i = 0; i < items->size(); ++i) {
    BULWARK_RETURN_IF_ERROR(
        AddPod(source_name, (*items)[i], absl::StrCat("$.items[", i, "]"), provider->containers_));
  }
  return provider;
}

std::optional<v1::Container> PodListProvider::Lookup(absl::string_view container_id) {
  auto it = containers_.find(container_id.substr(0, 12));
  if (it == containers_.end()) return std::nullopt;
  return it->second;
}

}  // namespace bulwark::runtime
