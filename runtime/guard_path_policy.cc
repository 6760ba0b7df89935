#include "bulwark/runtime/guard_path_policy.h"

#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/runtime/internal/path_prefix.h"

namespace bulwark::runtime {
namespace {

absl::Status PrefixError(absl::string_view prefix, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("guard path prefix '", absl::CEscape(prefix), "': ", why));
}

// The kernel reports each access by its resolved path: resolve the prefix the same way, as far
// as it exists. Resolution can only fail for reasons of the filesystem (a component that cannot
// be searched); the prefix is then kept as normalised.
std::string ResolveSymlinks(const std::string& normalized) {
  std::error_code error;
  const std::filesystem::path resolved = std::filesystem::weakly_canonical(normalized, error);
  if (error) return normalized;
  absl::StatusOr<std::string> again = NormalizeGuardPathPrefix(resolved.string());
  return again.ok() ? *std::move(again) : normalized;
}

}  // namespace

absl::StatusOr<std::string> NormalizeGuardPathPrefix(absl::string_view prefix) {
  if (prefix.empty()) return PrefixError(prefix, "must not be empty");
  if (prefix.size() > core::Limits{}.max_path_length) {
    return PrefixError(prefix.substr(0, 64),
                       absl::StrCat("is longer than ", core::Limits{}.max_path_length, " bytes"));
  }
  if (absl::StrContains(prefix, '\0')) return PrefixError(prefix, "contains a NUL byte");
  if (prefix.front() != '/') return PrefixError(prefix, "must be an absolute path");
  std::vector<absl::string_view> components;
  for (absl::string_view component : absl::StrSplit(prefix, '/', absl::SkipEmpty())) {
    if (component == ".") continue;
    if (component == "..") {
      return PrefixError(prefix,
                         "must not contain '..' (write the directory it stands for: the kernel "
                         "reports resolved paths)");
    }
    components.push_back(component);
  }
  return absl::StrCat("/", absl::StrJoin(components, "/"));
}

const std::string& GuardAccessPath(const v1::Event& event) {
  return event.type() == v1::EVENT_TYPE_EXECVE && !event.exec().filename().empty()
             ? event.exec().filename()
             : event.fd().name();
}

absl::StatusOr<GuardPathPolicy> GuardPathPolicy::Create(const std::vector<std::string>& prefixes,
                                                        bool only_in_containers) {
  GuardPathPolicy policy;
  policy.only_in_containers_ = only_in_containers;
  for (const std::string& prefix : prefixes) {
    BULWARK_ASSIGN_OR_RETURN(std::string normalized, NormalizeGuardPathPrefix(prefix));
    policy.prefixes_.push_back(ResolveSymlinks(normalized));
  }
  return policy;
}

absl::string_view GuardPathPolicy::DenyingPrefix(absl::string_view path,
                                                 absl::string_view container_id) const {
  if (only_in_containers_ && (container_id.empty() || container_id == "host")) return {};
  for (const std::string& prefix : prefixes_) {
    if (internal::IsPathAtOrBelow(path, prefix)) return prefix;
  }
  return {};
}

absl::string_view GuardPathPolicy::DenyingPrefix(const v1::Event& event) const {
  return DenyingPrefix(GuardAccessPath(event), event.process().container_id());
}

}  // namespace bulwark::runtime
