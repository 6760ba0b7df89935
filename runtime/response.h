// The response interface: turns alerts into decisions ("kill the process", "deny") and hands
// them to whoever enforces. Off by default: a ResponsePolicy with enabled == false (the default)
// decides nothing, and nothing is enforced unless the caller also supplies an Enforcer.
//   ResponsePolicy policy;
//   policy.enabled = true;
//   policy.rules.push_back({.rule = "Container Runtime Binary Overwrite",
//                           .action = ResponseAction::kKillProcess});
//   SignalEnforcer enforcer({.enabled = true});            // or the caller's own Enforcer
//   Responder responder(policy, &enforcer);
//   engine.Process(event, [&](v1::Alert&& a) { responder.Handle(a).IgnoreError(); ... });
// Thread safety: a Responder is immutable after construction; Handle is const and may run from
// many threads when the Enforcer is thread-safe (ProcessKiller and SignalEnforcer are).
#ifndef BULWARK_RUNTIME_RESPONSE_H_
#define BULWARK_RUNTIME_RESPONSE_H_

#include <signal.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bulwark/runtime/alert.pb.h"

namespace bulwark::runtime {

enum class ResponseAction {
  kKillProcess,  // Terminate the acting process (SIGKILL).
  kDeny,         // Refuse the operation; only an enforcer that intercepts before it completes
                 // (fanotify permission events, an LSM, an admission hook) can honour it.
};

// "kill_process" / "deny".
absl::string_view ResponseActionName(ResponseAction action);

// Which alerts get which action. A selector with several criteria requires all of them; empty
// criteria match every alert.
struct ResponseRule {
  std::string rule;  // Exact rule name. Default: any rule.
  std::string tag;   // A tag the rule carries ("T1611"). Default: any.
  // Alerts at least this severe (EMERGENCY is the most severe). Default: any priority.
  v1::Priority minimum_priority = v1::PRIORITY_DEBUG;
  bool only_in_containers = true;  // Never act on host processes. Default: true.
  ResponseAction action = ResponseAction::kKillProcess;
};

struct ResponsePolicy {
  bool enabled = false;             // Default: false (respond to nothing).
  std::vector<ResponseRule> rules;  // The first matching selector decides.
};

// What to do about one alert.
struct ResponseDecision {
  ResponseAction action;
  int64_t pid = 0;
  std::string container_id;  // "host" or the 12-digit id.
  std::string rule;          // The alert's rule.
  // Start of the acting process (epoch ns) as the event reported it; lets an enforcer make sure
  // `pid` still names that process and not a later one that reused the number. 0 = unknown.
  uint64_t start_time_ns = 0;
};

// Carries out decisions. Implementations say whether they are thread-safe.
class Enforcer {
 public:
  virtual ~Enforcer() = default;
  virtual absl::Status Enforce(const ResponseDecision& decision) = 0;
};

// Sends SIGKILL to the decision's pid for kKillProcess; kDeny is FailedPrecondition (a process
// that already made the call cannot be denied after the fact). Refuses pids <= 1 and its own
// process. Errors carry kill(2)'s errno. Thread-safe.
class ProcessKiller : public Enforcer {
 public:
  absl::Status Enforce(const ResponseDecision& decision) override;
};

struct SignalEnforcerOptions {
  // Off by default: unless enabled, every decision is checked and audited as in dry_run and no
  // signal is sent. Default: false.
  bool enabled = false;
  // Check the process (identity, permission: pidfd_send_signal with signal 0) and audit, but
  // send nothing. Default: false.
  bool dry_run = false;
  // Signal for kKillProcess. Default: SIGKILL.
  int kill_signal = SIGKILL;
  // Signal for kDeny. The call the alert reports has completed, so deny means the process may
  // not go on. Default: SIGKILL.
  int deny_signal = SIGKILL;
  // Refuse decisions without a start time (no PID-reuse check is possible). Default: true.
  bool require_start_time = true;
  // How far the process's start time (/proc, clock-tick resolution) may be from the decision's.
  // Default: 20 ms (two ticks at 100 Hz).
  absl::Duration start_time_tolerance = absl::Milliseconds(20);
  // Called for every decision handled, with its outcome and whether a signal was sent.
  // Default: none. Must be thread-safe when Enforce is called from several threads.
  std::function<void(const ResponseDecision&, const absl::Status&, bool signalled)> audit;
};

// Carries out kill and deny decisions with pidfd_open + pidfd_send_signal, so that a signal can
// only reach the process the decision is about: after the pidfd pins a process, its start time
// in /proc must match the decision's, and pidfd_send_signal(0) shows it was alive throughout.
// Errors: InvalidArgument for pid <= 1 or the enforcer's own process; FailedPrecondition when
// the start time is missing (require_start_time) or differs (the pid was reused); NotFound when
// the process is gone; PermissionDenied without the right to signal it. Thread-safe.
class SignalEnforcer : public Enforcer {
 public:
  explicit SignalEnforcer(SignalEnforcerOptions options = {}) : options_(std::move(options)) {}
  absl::Status Enforce(const ResponseDecision& decision) override;

 private:
  absl::Status Signal(const ResponseDecision& decision, bool* signalled) const;
  SignalEnforcerOptions options_;
};

class Responder {
 public:
  // `enforcer` may be null (decisions are only computed); not owned, must outlive the Responder.
  Responder(ResponsePolicy policy, Enforcer* enforcer);

  // The decision for `alert` under the policy, or nullopt (disabled, no selector matches, the
  // alert has no pid, or a host process with only_in_containers).
  std::optional<ResponseDecision> Decide(const v1::Alert& alert) const;
  // Decide, then Enforce when there is a decision and an enforcer. Returns the enforcer's error.
  absl::Status Handle(const v1::Alert& alert) const;

 private:
  ResponsePolicy policy_;
  Enforcer* enforcer_;
};

}  // namespace bulwark::runtime

#endif  // BULWARK_RUNTIME_RESPONSE_H_
