#include "bulwark/runtime/cgroup.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace bulwark::runtime {
namespace {

constexpr size_t kFullIdLength = 64;
constexpr size_t kShortIdLength = 12;

bool IsContainerId(absl::string_view text) {
  if (text.size() != kFullIdLength) return false;
  for (char c : text) {
    if (!absl::ascii_isxdigit(c) || absl::ascii_isupper(c)) return false;
  }
  return true;
}

// systemd scope units and cgroupfs names that carry a runtime prefix: "<prefix><id>[.scope]".
struct PrefixRuntime {
  absl::string_view prefix;
  absl::string_view runtime;
};
constexpr PrefixRuntime kPrefixes[] = {
    {"docker-", "docker"},
    {"cri-containerd-", "containerd"},
    {"crio-", "cri-o"},
    {"libpod-", "podman"},
};

CgroupContainer Make(absl::string_view id, absl::string_view runtime) {
  return CgroupContainer{.id = std::string(id.substr(0, kShortIdLength)),
                         .full_id = std::string(id),
                         .runtime = std::string(runtime)};
}

}  // namespace

std::optional<CgroupContainer> ContainerFromCgroup(absl::string_view cgroup) {
  // "hierarchy:controllers:path": the path is what follows the second colon.
  if (!absl::StartsWith(cgroup, "/")) {
    std::vector<absl::string_view> parts = absl::StrSplit(cgroup, absl::MaxSplits(':', 2));
    if (parts.size() == 3) cgroup = parts[2];
  }
  std::vector<absl::string_view> components = absl::StrSplit(cgroup, '/', absl::SkipEmpty());
  // The innermost component names the container; walk from the leaf up.
  for (size_t i = components.size(); i-- > 0;) {
    absl::string_view component = components[i];
    absl::ConsumeSuffix(&component, ".scope");
    for (const PrefixRuntime& entry : kPrefixes) {
      absl::string_view rest = component;
      if (absl::ConsumePrefix(&rest, entry.prefix) && IsContainerId(rest)) {
        return Make(rest, entry.runtime);
      }
    }
    if (IsContainerId(component)) {
      absl::string_view parent = i > 0 ? components[i - 1] : "";
      if (parent == "docker") return Make(component, "docker");
      if (absl::StartsWith(parent, "crio")) return Make(component, "cri-o");
      return Make(component, "containerd");
    }
  }
  return std::nullopt;
}

}  // namespace bulwark::runtime
