// Container ids from cgroup paths, as container runtimes name their cgroups.
//   std::optional<CgroupContainer> c = ContainerFromCgroup(
//       "0::/system.slice/docker-4f0c...e1.scope");   // c->id == "4f0c...", c->runtime == "docker"
// Recognised: docker (cgroupfs "/docker/<id>", systemd "docker-<id>.scope"), containerd and CRI
// ("cri-containerd-<id>.scope", "/kubepods/.../pod<uid>/<id>", "/<namespace>/<id>"), cri-o
// ("crio-<id>.scope", "/crio-<id>"), podman ("libpod-<id>.scope", "/libpod_parent/libpod-<id>").
// Conmon cgroups ("crio-conmon-", "libpod-conmon-") are not containers. Thread safety: pure.
#ifndef BULWARK_RUNTIME_CGROUP_H_
#define BULWARK_RUNTIME_CGROUP_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace bulwark::runtime {

struct CgroupContainer {
  std::string id;       // First 12 hex digits, as docker ps and Falco's container.id show it.
  std::string full_id;  // All 64 hex digits.
  std::string runtime;  // "docker", "containerd", "cri-o" or "podman".
};

// The container a cgroup path belongs to, or nullopt for host cgroups. `cgroup` is a path or a
// whole line of /proc/<pid>/cgroup ("hierarchy:controllers:path").
std::optional<CgroupContainer> ContainerFromCgroup(absl::string_view cgroup);

}  // namespace bulwark::runtime

#endif  // BULWARK_RUNTIME_CGROUP_H_
