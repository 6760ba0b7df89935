// DockerStateProvider, OciBundleProvider and ChainedProvider (metadata_providers.h).
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/document.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/runtime/internal/import_fields.h"
#include "bulwark/runtime/metadata_providers.h"

namespace bulwark::runtime {
namespace {

using internal::MapAt;
using internal::StringAt;

// Container ids are hex; anything else (a path, "..") never names a directory.
absl::Status CheckId(absl::string_view id) {
  if (id.size() < 12 || id.size() > 64 ||
      !std::all_of(id.begin(), id.end(), [](char c) { return absl::ascii_isxdigit(c); })) {
    return absl::InvalidArgumentError(absl::StrCat("not a container id: '", id, "'"));
  }
  return absl::OkStatus();
}

// The entry of `directory` whose name starts with `id`, or NotFound.
absl::StatusOr<std::string> FindEntry(const std::string& directory, absl::string_view id) {
  std::error_code error;
  for (std::filesystem::directory_iterator it(directory, error), end; !error && it != end;
       it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (absl::StartsWith(name, id)) return it->path().string();
  }
  return absl::NotFoundError(absl::StrCat(directory, ": no container ", id));
}

// String entries of map `labels` into `out`.
void CopyStringMap(const core::Value* labels,
                   google::protobuf::Map<std::string, std::string>& out) {
  if (labels == nullptr || !labels->is_map()) return;
  for (const core::MapEntry& entry : labels->map_value()) {
    if (entry.value.is_string()) out[entry.key] = entry.value.string_value();
  }
}

// Pod fields from the labels/annotations Kubernetes runtimes set, `keys` = {name, namespace,
// uid, container name}.
void SetPodFields(const google::protobuf::Map<std::string, std::string>& labels,
                  const std::array<absl::string_view, 4>& keys, v1::Container& container) {
  auto get = [&](absl::string_view key) -> std::string {
    auto it = labels.find(std::string(key));
    return it == labels.end() ? "" : it->second;
  };
  container.set_k8s_pod_name(get(keys[0]));
  container.set_k8s_namespace(get(keys[1]));
  container.set_k8s_pod_uid(get(keys[2]));
  if (std::string name = get(keys[3]); !name.empty()) container.set_name(name);
}

constexpr std::array<absl::string_view, 4> kKubernetesLabels = {
    "io.kubernetes.pod.name", "io.kubernetes.pod.namespace", "io.kubernetes.pod.uid",
    "io.kubernetes.container.name"};
constexpr std::array<absl::string_view, 4> kContainerdAnnotations = {
    "io.kubernetes.cri.sandbox-name", "io.kubernetes.cri.sandbox-namespace",
    "io.kubernetes.cri.sandbox-uid", "io.kubernetes.cri.container-name"};

void SetStartTime(const core::Value& state, v1::Container& container) {
  if (auto started = StringAt(state, "StartedAt")) {
    container.set_start_time_ns(internal::ParseRfc3339Nanos(*started).value_or(0));
  }
}

// Lookup's contract: what Read found, or nullopt whatever the reason.
std::optional<v1::Container> ValueOrNullopt(absl::StatusOr<v1::Container> container) {
  if (!container.ok()) return std::nullopt;
  return *std::move(container);
}

}  // namespace

DockerStateProvider::DockerStateProvider(std::string root, core::Limits limits)
    : root_(std::move(root)), limits_(limits) {}

std::optional<v1::Container> DockerStateProvider::Lookup(absl::string_view container_id) {
  return ValueOrNullopt(Read(container_id));
}

absl::StatusOr<v1::Container> DockerStateProvider::Read(absl::string_view container_id) const {
  BULWARK_RETURN_IF_ERROR(CheckId(container_id));
  BULWARK_ASSIGN_OR_RETURN(std::string dir, FindEntry(root_ + "/containers", container_id));
  BULWARK_ASSIGN_OR_RETURN(core::Value config,
                           core::ParseJsonFile(dir + "/config.v2.json", limits_));
  v1::Container container;
  internal::SetContainerId(StringAt(config, "ID").value_or(""), container);
  container.set_runtime("docker");
  std::string name = StringAt(config, "Name").value_or("");
  if (absl::StartsWith(name, "/")) name.erase(0, 1);
  container.set_name(name);
  if (const core::Value* c = MapAt(config, "Config")) {
    internal::SetContainerImage(StringAt(*c, "Image").value_or(""),
                                StringAt(config, "Image").value_or(""), container);
    CopyStringMap(c->Find("Labels"), *container.mutable_labels());
  }
  if (const core::Value* state = MapAt(config, "State")) SetStartTime(*state, container);
  if (const core::Value* mounts = MapAt(config, "MountPoints")) {
    for (const core::MapEntry& entry : mounts->map_value()) {
      if (!entry.value.is_map()) continue;
      v1::Mount* mount = container.add_mounts();
      mount->set_source(StringAt(entry.value, "Source").value_or(""));
      mount->set_destination(StringAt(entry.value, "Destination").value_or(entry.key));
      mount->set_mode(StringAt(entry.value, "Mode").value_or(""));
      mount->set_propagation(StringAt(entry.value, "Propagation").value_or(""));
      const core::Value* rw = entry.value.Find("RW");
      mount->set_read_write(rw != nullptr && rw->is_bool() && rw->bool_value());
    }
  }
  // hostconfig.json is optional (older layouts keep HostConfig inside config.v2.json).
  absl::StatusOr<core::Value> host = core::ParseJsonFile(dir + "/hostconfig.json", limits_);
  const core::Value* host_config = host.ok() ? &*host : MapAt(config, "HostConfig");
  if (host_config != nullptr) {
    const core::Value* privileged = host_config->Find("Privileged");
    container.set_privileged(privileged != nullptr && privileged->is_bool() &&
                             privileged->bool_value());
  }
  SetPodFields(container.labels(), kKubernetesLabels, container);
  return container;
}

std::vector<std::string> OciBundleProvider::DefaultDirectories() {
  return {"/run/containerd/io.containerd.runtime.v2.task/k8s.io",
          "/run/containerd/io.containerd.runtime.v2.task/moby",
          "/run/containerd/io.containerd.runtime.v2.task/default",
          "/var/run/containers/storage/overlay-containers",
          "/var/lib/containers/storage/overlay-containers"};
}

OciBundleProvider::OciBundleProvider(std::vector<std::string> directories, core::Limits limits)
    : directories_(std::move(directories)), limits_(limits) {}

std::optional<v1::Container> OciBundleProvider::Lookup(absl::string_view container_id) {
  return ValueOrNullopt(Read(container_id));
}

absl::StatusOr<v1::Container> OciBundleProvider::Read(absl::string_view container_id) const {
  BULWARK_RETURN_IF_ERROR(CheckId(container_id));
  for (const std::string& directory : directories_) {
    absl::StatusOr<std::string> bundle = FindEntry(directory, container_id);
    if (!bundle.ok()) continue;
    std::string path = *bundle + "/config.json";
    if (!std::filesystem::exists(path)) path = *bundle + "/userdata/config.json";
    BULWARK_ASSIGN_OR_RETURN(core::Value spec, core::ParseJsonFile(path, limits_));
    v1::Container container;
    internal::SetContainerId(std::filesystem::path(*bundle).filename().string(), container);
    google::protobuf::Map<std::string, std::string> annotations;
    CopyStringMap(spec.Find("annotations"), annotations);
    const bool crio = annotations.contains("io.kubernetes.cri-o.ImageName") ||
                      annotations.contains("io.kubernetes.pod.name");
    container.set_runtime(crio ? "cri-o" : "containerd");
    if (crio) {
      SetPodFields(annotations, kKubernetesLabels, container);
      auto image = annotations.find("io.kubernetes.cri-o.ImageName");
      if (image != annotations.end()) internal::SetContainerImage(image->second, "", container);
      // io.kubernetes.cri-o.Labels holds the container's labels as a JSON object.
      auto labels = annotations.find("io.kubernetes.cri-o.Labels");
      if (labels != annotations.end()) {
        absl::StatusOr<core::Value> parsed = core::ParseJson(labels->second, limits_, path);
        if (parsed.ok()) CopyStringMap(&*parsed, *container.mutable_labels());
      }
    } else {
      SetPodFields(annotations, kContainerdAnnotations, container);
      auto image = annotations.find("io.kubernetes.cri.image-name");
      if (image != annotations.end()) internal::SetContainerImage(image->second, "", container);
    }
    if (const core::Value* mounts = spec.Find("mounts"); mounts != nullptr && mounts->is_list()) {
      for (const core::Value& m : mounts->list_value()) {
        if (!m.is_map()) continue;
        v1::Mount* mount = container.add_mounts();
        mount->set_source(StringAt(m, "source").value_or(""));
        mount->set_destination(StringAt(m, "destination").value_or(""));
        bool read_only = false;
        if (const core::Value* options = m.Find("options"); options && options->is_list()) {
          for (const core::Value& option : options->list_value()) {
            read_only |= option.is_string() && option.string_value() == "ro";
          }
        }
        mount->set_read_write(!read_only);
        mount->set_mode(read_only ? "ro" : "rw");
      }
    }
    return container;
  }
  return absl::NotFoundError(absl::StrCat("no OCI bundle for container ", container_id));
}

std::optional<v1::Container> ChainedProvider::Lookup(absl::string_view container_id) {
  std::optional<v1::Container> merged;
  // Later providers first, so that MergeFrom lets earlier providers overwrite what they know.
  for (auto it = providers_.rbegin(); it != providers_.rend(); ++it) {
    std::optional<v1::Container> found = (*it)->Lookup(container_id);
    if (!found.has_value()) continue;
    if (!merged.has_value()) {
      merged = std::move(found);
    } else {
      if (!found->mounts().empty()) merged->clear_mounts();
      merged->MergeFrom(*found);
    }
  }
  return merged;
}

}  // namespace bulwark::runtime
