// Deny before the operation: fanotify permission events (FAN_OPEN_PERM, FAN_OPEN_EXEC_PERM) on
// chosen mounts make the kernel hold each open (or exec) of a file there until the guard
// answers. The guard builds an openat (or execve) event with the process read from /proc,
// evaluates the rules, and answers FAN_DENY (the call fails with EPERM) when the ResponsePolicy
// decides `deny` for an alert; otherwise FAN_ALLOW.
//   ResponsePolicy policy{.enabled = true,
//                         .rules = {{.rule = "Read Shadow In Container",
//                                    .action = ResponseAction::kDeny}}};
//   BULWARK_ASSIGN_OR_RETURN(auto guard, FanotifyGuard::Start(
//       *rules, policy, {.mounts = {"/srv"}, .enabled = true}));
//   ... opens are checked on the guard's own threads until `guard` is destroyed ...
// Path prefixes deny without rules: Start(PathDecision(paths, RuleDecision(...)), options), with
// a GuardPathPolicy (guard_path_policy.h).
// Off by default: unless options.enabled, every access is allowed and only audited ("would
// deny"). Fails open: a decision not made within response_timeout (or a full queue) is answered
// FAN_ALLOW and audited as timed out; when the guard ends, the kernel allows whatever is pending.
// What it can stop: opens (and execs) of files on the marked mounts, by any process but the
// guard's own, before the call returns. What it cannot: anything else (connect, mount, setns,
// ptrace...), files on other mounts, access through descriptors opened before Start, writes to
// an already open file, or mmap of one; an exec is judged by path only, since the process still
// shows its old image when the kernel asks.
// Needs root (CAP_SYS_ADMIN) and a kernel with CONFIG_FANOTIFY_ACCESS_PERMISSIONS (5.0+ for
// FAN_OPEN_EXEC_PERM). Thread safety: Start, the destructor and the counters may be called from
// any one thread; `audit` and `decide` run on the guard's decision thread.
#ifndef BULWARK_RUNTIME_FANOTIFY_GUARD_H_
#define BULWARK_RUNTIME_FANOTIFY_GUARD_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bulwark/runtime/event.pb.h"
#include "bulwark/runtime/guard_path_policy.h"
#include "bulwark/runtime/response.h"
#include "bulwark/runtime/rule_set.h"

namespace bulwark::runtime {

// One access the guard answered.
struct GuardVerdict {
  // openat or execve, with the process as /proc showed it and its container id from its
  // cgroups ("host" for none; empty when /proc could not be read), after a time-out: pid, type
  // and fd.name only.
  v1::Event event;
  std::string rule;        // The rule whose alert decided deny; empty otherwise.
  bool deny = false;       // The decision was deny.
  bool denied = false;     // FAN_DENY was sent (deny, enabled, and decided in time).
  bool timed_out = false;  // No decision within response_timeout (or queue full): allowed.
};

struct FanotifyGuardOptions {
  // Mounts (any path on them) whose opens are held for a decision. Required.
  std::vector<std::string> mounts;
  // Hold opens (FAN_OPEN_PERM). Default: true.
  bool opens = true;
  // Hold execs (FAN_OPEN_EXEC_PERM). Default: true.
  bool execs = true;
  // Answer FAN_DENY for deny decisions. Off: allow everything, audit what would be denied.
  // Default: false.
  bool enabled = false;
  // How long an access may wait for its decision before it is allowed (fail open).
  // Default: 250 ms.
  absl::Duration response_timeout = absl::Milliseconds(250);
  // Accesses waiting for a decision; beyond this they are allowed at once. Default: 1024.
  size_t max_pending = 1024;
  // Sees every answered access (on the decision thread, or the reader thread for a time-out).
  // Must be thread-safe. Default: none.
  std::function<void(const GuardVerdict&)> audit;
};

class FanotifyGuard {
 public:
  // Decides one access: the name of the rule that denies it, or "" to allow.
  using Decide = std::function<std::string(const v1::Event&)>;

  // Rules and policy: an alert whose ResponseDecision is kDeny denies the access. `rules` is
  // borrowed and must outlive the guard. Errors: PermissionDenied when not root or without
  // CAP_SYS_ADMIN, InvalidArgument without mounts or access kinds, FailedPrecondition when the
  // kernel has no permission events (CONFIG_FANOTIFY_ACCESS_PERMISSIONS) or, with `execs`, no
  // FAN_OPEN_EXEC_PERM (Linux < 5.0); otherwise the errno of fanotify_init/fanotify_mark
  // (NotFound for a missing mount path).
  static absl::StatusOr<std::unique_ptr<FanotifyGuard>> Start(const RuleSet& rules,
                                                              ResponsePolicy policy,
                                                              FanotifyGuardOptions options);
  // Any decision function (it may block; the access is allowed after response_timeout).
  // Errors as above.
  static absl::StatusOr<std::unique_ptr<FanotifyGuard>> Start(Decide decide,
                                                              FanotifyGuardOptions options);
  // The decision Start(rules, policy, options) uses: the rules' alerts for the access (every
  // matching rule), the first one `policy` answers with kDeny names the denying rule. Lets a
  // caller combine it with decisions of its own. `rules` is borrowed and must outlive the
  // function; the function is safe to call from one thread at a time.
  static Decide RuleDecision(const RuleSet& rules, ResponsePolicy policy);
  // `paths` first, then `otherwise`: an access GuardPathPolicy denies is denied with the rule
  // name `rule_prefix` + the prefix ("deny path /srv/private"), without asking `otherwise`;
  // every other access is decided by `otherwise` (empty: allowed). Safe to call from one thread
  // at a time (from several when `otherwise` is).
  static Decide PathDecision(GuardPathPolicy paths, Decide otherwise = nullptr,
                             std::string rule_prefix = "deny path ");
  // Stops both threads and allows the accesses still held; nothing is checked afterwards and the
  // counters are final. Idempotent.
  void Stop();
  // Stop()s.
  ~FanotifyGuard();

  uint64_t allowed() const { return allowed_.load(); }
  uint64_t denied() const { return denied_.load(); }
  uint64_t timed_out() const { return timed_out_.load(); }

 private:
  struct Shared;
  FanotifyGuard() = default;
  void ReadLoop();
  void DecideLoop();

  std::unique_ptr<Shared> shared_;
  std::thread reader_;
  std::thread decider_;
  bool stopped_ = false;
  std::atomic<uint64_t> allowed_{0};
  std::atomic<uint64_t> denied_{0};
  std::atomic<uint64_t> timed_out_{0};
};

}  // namespace bulwark::runtime

#endif  // BULWARK_RUNTIME_FANOTIFY_GUARD_H_
