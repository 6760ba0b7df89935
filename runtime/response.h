// The response interface: turns alerts into decisions ("kill the process", "deny") and hands
// them to whoever enforces. Off by default: a ResponsePolicy with enabled == false (the default)
// decides nothing, and nothing is enforced unless the caller also supplies an Enforcer.
//   ResponsePolicy policy;
//   policy.enabled = true;
//   policy.rules.push_back({.rule = "Container Runtime Binary Overwrite",
//                           .action = ResponseAction::kKillProcess});
//   ProcessKiller killer;                                  // or the caller's own Enforcer
//   Responder responder(policy, &killer);
//   engine.Process(event, [&](v1::Alert&& a) { responder.Handle(a).IgnoreError(); ... });
// Thread safety: a Responder is immutable after construction; Handle is const and may run from
// many threads when the Enforcer is thread-safe (ProcessKiller is).
#ifndef BULWARK_RUNTIME_RESPONSE_H_
#define BULWARK_RUNTIME_RESPONSE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
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
