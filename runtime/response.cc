#include "bulwark/runtime/response.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace bulwark::runtime {

absl::string_view ResponseActionName(ResponseAction action) {
  switch (action) {
    case ResponseAction::kKillProcess:
      return "kill_process";
    case ResponseAction::kDeny:
      return "deny";
  }
  return "";
}

absl::Status ProcessKiller::Enforce(const ResponseDecision& decision) {
  if (decision.action == ResponseAction::kDeny) {
    return absl::FailedPreconditionError(absl::StrCat("cannot deny after the fact (rule '",
                                                      decision.rule, "', pid ", decision.pid, ")"));
  }
  if (decision.pid <= 1 || decision.pid == getpid()) {
    return absl::InvalidArgumentError(
        absl::StrCat("refusing to kill pid ", decision.pid, " (rule '", decision.rule, "')"));
  }
  if (kill(static_cast<pid_t>(decision.pid), SIGKILL) != 0) {
    const int error = errno;
    return absl::Status(
        error == EPERM ? absl::StatusCode::kPermissionDenied : absl::StatusCode::kNotFound,
        absl::StrCat("kill(", decision.pid, ", SIGKILL): ", std::strerror(error)));
  }
  return absl::OkStatus();
}

Responder::Responder(ResponsePolicy policy, Enforcer* enforcer)
    : policy_(std::move(policy)), enforcer_(enforcer) {}

std::optional<ResponseDecision> Responder::Decide(const v1::Alert& alert) const {
  if (!policy_.enabled) return std::nullopt;
  const v1::Event& event = alert.event();
  const int64_t pid = event.pid() != 0 ? event.pid() : event.process().pid();
  if (pid <= 0) return std::nullopt;
  const std::string& container_id = event.process().container_id();
  const bool in_container = !container_id.empty() && container_id != "host";
  for (const ResponseRule& selector : policy_.rules) {
    if (!selector.rule.empty() && selector.rule != alert.rule()) continue;
    if (!selector.tag.empty() &&
        std::find(alert.tags().begin(), alert.tags().end(), selector.tag) == alert.tags().end()) {
      continue;
    }
    // Lower enum values are more severe; PRIORITY_UNSPECIFIED counts as least severe.
    const int priority =
        alert.priority() == v1::PRIORITY_UNSPECIFIED ? v1::PRIORITY_DEBUG + 1 : alert.priority();
    if (priority > selector.minimum_priority) continue;
    if (selector.only_in_containers && !in_container) continue;
    return ResponseDecision{selector.action, pid, in_container ? container_id : "host",
                            alert.rule()};
  }
  return std::nullopt;
}

absl::Status Responder::Handle(const v1::Alert& alert) const {
  std::optional<ResponseDecision> decision = Decide(alert);
  if (!decision.has_value() || enforcer_ == nullptr) return absl::OkStatus();
  return enforcer_->Enforce(*decision);
}

}  // namespace bulwark::runtime
