// Path-prefix deny for the fanotify guard: an open or exec of a file at or below one of the
// policy's prefixes is denied before it happens, like a Tetragon policy's `Prefix` match with an
// `Override` action. Prefixes match whole path components: /srv/private covers /srv/private and
// /srv/private/key.pem, never /srv/privateer.
//   BULWARK_ASSIGN_OR_RETURN(GuardPathPolicy paths, GuardPathPolicy::Create({"/srv/private"}));
//   paths.DenyingPrefix("/srv/private/key.pem", "4f0c5dd16e5b");  // "/srv/private"
//   auto decide = FanotifyGuard::PathDecision(std::move(paths), FanotifyGuard::RuleDecision(...));
// Thread safety: immutable after Create; the const methods may run on many threads at once.
#ifndef BULWARK_RUNTIME_GUARD_PATH_POLICY_H_
#define BULWARK_RUNTIME_GUARD_PATH_POLICY_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/runtime/event.pb.h"

namespace bulwark::runtime {

// `prefix` as the guard compares it: absolute, '.' components and repeated or trailing '/'
// dropped ("/srv//private/./" -> "/srv/private"; "/" stays "/"). Purely lexical. Errors:
// InvalidArgument naming the prefix when it is empty, relative, has a '..' component (it would
// depend on symlinks the kernel resolves), a NUL byte, or more than core::Limits'
// max_path_length bytes.
absl::StatusOr<std::string> NormalizeGuardPathPrefix(absl::string_view prefix);

// The path of the access a guard event stands for: an execve's exec.filename, otherwise fd.name
// (which is all a timed-out verdict carries, for execs too).
const std::string& GuardAccessPath(const v1::Event& event);

class GuardPathPolicy {
 public:
  // Denies nothing.
  GuardPathPolicy() = default;

  // Each prefix is normalised (NormalizeGuardPathPrefix), then resolved through the symlinks
  // that exist when Create runs, because the kernel reports the resolved path of each access
  // (the part of a prefix that does not exist yet is kept as written). With
  // `only_in_containers`, host processes (container id empty or "host") are never denied.
  // Errors: those of NormalizeGuardPathPrefix.
  static absl::StatusOr<GuardPathPolicy> Create(const std::vector<std::string>& prefixes,
                                                bool only_in_containers = true);

  // The first prefix that `path` is at or below, for a process in `container_id` (empty or
  // "host": a host process); empty when none applies. The view refers into this policy.
  absl::string_view DenyingPrefix(absl::string_view path, absl::string_view container_id) const;
  // DenyingPrefix for a guard event: its GuardAccessPath and its process's container id.
  absl::string_view DenyingPrefix(const v1::Event& event) const;

  // The prefixes, normalised and resolved, in the order given.
  const std::vector<std::string>& prefixes() const { return prefixes_; }
  bool only_in_containers() const { return only_in_containers_; }
  bool empty() const { return prefixes_.empty(); }

 private:
  std::vector<std::string> prefixes_;
  bool only_in_containers_ = true;
};

}  // namespace bulwark::runtime

#endif  // BULWARK_RUNTIME_GUARD_PATH_POLICY_H_
