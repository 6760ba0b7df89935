// ContainerMetadataProvider implementations that need no cluster and no daemon API: they read
// what container runtimes and Kubernetes leave on disk, or a pod list exported with kubectl.
//   DockerStateProvider docker;                                   // /var/lib/docker
//   OciBundleProvider bundles;                                    // containerd CRI, CRI-O
//   BULWARK_ASSIGN_OR_RETURN(auto pods, PodListProvider::FromFile("pods.json"));
//   ChainedProvider chain({pods.get(), &docker, &bundles});       // first source wins per field
//   StateOptions options; options.metadata_provider = &chain;
// Files are read when an id is first looked up (RuntimeState asks once per container), through
// core::Limits; unreadable or malformed files make Lookup return nullopt (Read says why).
// Thread safety: Lookup/Read are const in effect and touch no shared state; a PodListProvider is
// immutable after construction; use each from one thread at a time as RuntimeState does.
#ifndef BULWARK_RUNTIME_METADATA_PROVIDERS_H_
#define BULWARK_RUNTIME_METADATA_PROVIDERS_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/limits.h"
#include "bulwark/runtime/event.pb.h"
#include "bulwark/runtime/state.h"

namespace bulwark::runtime {

// Docker's state directory: <root>/containers/<full id>/config.v2.json (name, image, image id,
// labels, start time, mount points) and hostconfig.json (privileged). Kubernetes pods run by
// dockershim or cri-dockerd carry io.kubernetes.pod.name/namespace/uid labels, mapped to the pod
// fields.
class DockerStateProvider : public ContainerMetadataProvider {
 public:
  explicit DockerStateProvider(std::string root = "/var/lib/docker", core::Limits limits = {});
  std::optional<v1::Container> Lookup(absl::string_view container_id) override;
  // The metadata of the container whose id starts with `container_id` (12 or 64 hex digits).
  // Errors: NotFound when no container directory matches, or what reading/parsing reports.
  absl::StatusOr<v1::Container> Read(absl::string_view container_id) const;

 private:
  std::string root_;
  core::Limits limits_;
};

// OCI runtime bundles of running containers: <dir>/<full id>/config.json or
// <dir>/<full id>/userdata/config.json, whose annotations the CRI implementations fill:
// containerd (io.kubernetes.cri.sandbox-name/-namespace/-uid, container-name, image-name) and
// CRI-O (io.kubernetes.pod.name/namespace/uid, io.kubernetes.container.name,
// io.kubernetes.cri-o.ImageName, io.kubernetes.cri-o.Labels); mounts from the spec.
class OciBundleProvider : public ContainerMetadataProvider {
 public:
  // Default directories: containerd's k8s.io and moby task dirs, CRI-O's overlay-containers.
  static std::vector<std::string> DefaultDirectories();
  explicit OciBundleProvider(std::vector<std::string> directories = DefaultDirectories(),
                             core::Limits limits = {});
  std::optional<v1::Container> Lookup(absl::string_view container_id) override;
  absl::StatusOr<v1::Container> Read(absl::string_view container_id) const;

 private:
  std::vector<std::string> directories_;
  core::Limits limits_;
};

// A pod list as `kubectl get pods --all-namespaces -o json` prints it (a v1 PodList, or a single
// Pod): every container status with a containerID gives a container with its name, image and
// image id, start time, privileged flag (from the pod spec), and the pod's name, namespace, uid
// and labels.
class PodListProvider : public ContainerMetadataProvider {
 public:
  // Errors: what reading or JSON parsing reports (file:line:column), InvalidArgument naming
  // the JSON path of a value of the wrong type.
  static absl::StatusOr<std::unique_ptr<PodListProvider>> FromFile(const std::string& path,
                                                                   const core::Limits& limits = {});
  static absl::StatusOr<std::unique_ptr<PodListProvider>> FromJson(
      absl::string_view text, absl::string_view source_name = "<pods>",
      const core::Limits& limits = {});
  std::optional<v1::Container> Lookup(absl::string_view container_id) override;
  size_t container_count() const { return containers_.size(); }

 private:
  PodListProvider() = default;
  absl::flat_hash_map<std::string, v1::Container> containers_;  // By 12-hex-digit id.
};

// Asks several providers (not owned; they must outlive it) and merges their answers: for each
// field, the first provider that knows it wins; labels are merged the same way.
class ChainedProvider : public ContainerMetadataProvider {
 public:
  explicit ChainedProvider(std::vector<ContainerMetadataProvider*> providers)
      : providers_(std::move(providers)) {}
  std::optional<v1::Container> Lookup(absl::string_view container_id) override;

 private:
  std::vector<ContainerMetadataProvider*> providers_;
};

}  // namespace bulwark::runtime

#endif  // BULWARK_RUNTIME_METADATA_PROVIDERS_H_
