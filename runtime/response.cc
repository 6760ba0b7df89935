#include "bulwark/runtime/response.h"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "bulwark/runtime/internal/proc_reader.h"

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

namespace {

// A pidfd closed on scope exit.
class PidFd {
 public:
  explicit PidFd(int fd) : fd_(fd) {}
  PidFd(const PidFd&) = delete;
  PidFd& operator=(const PidFd&) = delete;
  ~PidFd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// glibc 2.36's <sys/pidfd.h> lacks C linkage for C++; call the system calls directly.
int PidfdOpen(int64_t pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }
int PidfdSendSignal(int pidfd, int signal) {
  return static_cast<int>(syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0));
}

absl::Status SignalError(int error, absl::string_view call, const ResponseDecision& decision) {
  const absl::StatusCode code = error == ESRCH   ? absl::StatusCode::kNotFound
                                : error == EPERM ? absl::StatusCode::kPermissionDenied
                                                 : absl::StatusCode::kInternal;
  return absl::Status(code, absl::StrCat(call, "(pid ", decision.pid, ", rule '", decision.rule,
                                         "'): ", std::strerror(error)));
}

}  // namespace

absl::Status SignalEnforcer::Enforce(const ResponseDecision& decision) {
  bool signalled = false;
  absl::Status status = Signal(decision, &signalled);
  if (options_.audit) options_.audit(decision, status, signalled);
  return status;
}

absl::Status SignalEnforcer::Signal(const ResponseDecision& decision, bool* signalled) const {
  if (decision.pid <= 1 || decision.pid == getpid()) {
    return absl::InvalidArgumentError(
        absl::StrCat("refusing to signal pid ", decision.pid, " (rule '", decision.rule, "')"));
  }
  if (decision.start_time_ns == 0 && options_.require_start_time) {
    return absl::FailedPreconditionError(absl::StrCat("no start time for pid ", decision.pid,
                                                      " (rule '", decision.rule,
                                                      "'): cannot rule out PID reuse"));
  }
  const PidFd pidfd(PidfdOpen(decision.pid));
  if (pidfd.get() < 0) return SignalError(errno, "pidfd_open", decision);
  // The pidfd pins one process. Read its start time, then probe it: if it is still alive, the
  // pid named it all along, so the start time read belongs to it.
  const std::optional<uint64_t> started = internal::ReadProcStartTime(decision.pid);
  if (PidfdSendSignal(pidfd.get(), 0) != 0) {
    return SignalError(errno, "pidfd_send_signal", decision);
  }
  if (!started.has_value()) {
    return absl::NotFoundError(absl::StrCat("pid ", decision.pid, " has no /proc entry"));
  }
  if (decision.start_time_ns != 0) {
    const uint64_t tolerance =
        static_cast<uint64_t>(absl::ToInt64Nanoseconds(options_.start_time_tolerance));
    const uint64_t difference = *started > decision.start_time_ns
                                    ? *started - decision.start_time_ns
                                    : decision.start_time_ns - *started;
    if (difference > tolerance) {
      return absl::FailedPreconditionError(
          absl::StrCat("pid ", decision.pid, " is another process now (started at ", *started,
                       " ns, the decision is for one started at ", decision.start_time_ns, " ns)"));
    }
  }
  if (!options_.enabled || options_.dry_run) return absl::OkStatus();
  const int signal =
      decision.action == ResponseAction::kDeny ? options_.deny_signal : options_.kill_signal;
  if (PidfdSendSignal(pidfd.get(), signal) != 0) {
    return SignalError(errno, "pidfd_send_signal", decision);
  }
  *signalled = true;
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
                            alert.rule(), event.process().start_time_ns()};
  }
  return std::nullopt;
}

absl::Status Responder::Handle(const v1::Alert& alert) const {
  std::optional<ResponseDecision> decision = Decide(alert);
  if (!decision.has_value() || enforcer_ == nullptr) return absl::OkStatus();
  return enforcer_->Enforce(*decision);
}

}  // namespace bulwark::runtime
