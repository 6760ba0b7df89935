#include "bulwark/runtime/fanotify_guard.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/fanotify.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "bulwark/core/file.h"
#include "bulwark/runtime/cgroup.h"
#include "bulwark/runtime/engine.h"
#include "bulwark/runtime/internal/fanotify_records.h"
#include "bulwark/runtime/internal/proc_reader.h"

namespace bulwark::runtime {

// One access the kernel holds until it is answered. Whoever sets `answered` (under the mutex)
// writes the response and closes `fd`.
struct Pending {
  int fd = -1;
  int64_t pid = 0;
  bool exec = false;
  std::string path;
  absl::Time deadline;
  bool answered = false;
};

struct FanotifyGuard::Shared {
  FanotifyGuardOptions options;
  Decide decide;
  int fanotify_fd = -1;
  int stop_fd = -1;  // eventfd that wakes the reader at shutdown.
  std::mutex mutex;
  std::condition_variable queued;
  std::deque<std::shared_ptr<Pending>> to_decide;  // For the decision thread.
  std::deque<std::shared_ptr<Pending>> waiting;    // Unanswered, oldest (earliest deadline) first.
  bool stopping = false;

  ~Shared() {
    if (fanotify_fd >= 0) close(fanotify_fd);  // The kernel allows anything still held.
    if (stop_fd >= 0) close(stop_fd);
  }
};

namespace {

void Respond(int fanotify_fd, Pending& pending, bool allow) {
  const fanotify_response response{pending.fd, static_cast<uint32_t>(allow ? FAN_ALLOW : FAN_DENY)};
  (void)!write(fanotify_fd, &response, sizeof(response));
  close(pending.fd);
}

// The container of a process read from /proc, by its cgroups; "host" when none names one.
std::string ContainerIdOf(const v1::Process& process) {
  for (const std::string& cgroup : process.cgroups()) {
    if (std::optional<CgroupContainer> container = ContainerFromCgroup(cgroup)) {
      return container->id;
    }
  }
  return "host";
}

// The event the access stands for, with the process as /proc shows it. An exec is judged before
// it happens, so the process is described by the program it is about to run.
v1::Event AccessEvent(const Pending& pending) {
  v1::Event event;
  event.set_timestamp_ns(static_cast<uint64_t>(absl::ToUnixNanos(absl::Now())));
  event.set_pid(pending.pid);
  event.set_tid(pending.pid);
  absl::StatusOr<v1::Process> process = internal::ReadProcProcess(pending.pid);
  if (process.ok()) {
    *event.mutable_process() = *std::move(process);
    // Decisions that read the event directly (GuardPathPolicy's scope) need the container too,
    // not only an Engine, whose state would derive it from the cgroups the same way.
    event.mutable_process()->set_container_id(ContainerIdOf(event.process()));
  }
  event.mutable_process()->set_pid(pending.pid);
  if (pending.exec) {
    event.set_type(v1::EVENT_TYPE_EXECVE);
    event.mutable_exec()->set_filename(pending.path);
    v1::Process* image = event.mutable_process();
    image->set_name(pending.path.substr(pending.path.rfind('/') + 1).substr(0, 15));
    image->set_exe(pending.path);
    image->set_exepath(pending.path);
    image->clear_args();  // Not known before the exec.
  } else {
    event.set_type(v1::EVENT_TYPE_OPENAT);
    event.mutable_file()->set_path(pending.path);
    v1::FileDescriptor* fd = event.mutable_fd();
    fd->set_type(v1::FD_TYPE_FILE);
    fd->set_name(pending.path);
  }
  return event;
}

}  // namespace

FanotifyGuard::Decide FanotifyGuard::RuleDecision(const RuleSet& rules, ResponsePolicy policy) {
  // Every matching rule is asked: a deny rule must not hide behind an earlier alerting one.
  auto engine = std::make_shared<Engine>(
      rules, EngineOptions{.matching = EngineOptions::Matching::kAll, .include_event = true});
  auto responder = std::make_shared<Responder>(std::move(policy), nullptr);
  return [engine, responder](const v1::Event& event) {
    std::string denying_rule;
    engine->Process(event, [&](v1::Alert&& alert) {
      if (!denying_rule.empty()) return;
      std::optional<ResponseDecision> decision = responder->Decide(alert);
      if (decision.has_value() && decision->action == ResponseAction::kDeny) {
        denying_rule = alert.rule();
      }
    });
    return denying_rule;
  };
}

FanotifyGuard::Decide FanotifyGuard::PathDecision(GuardPathPolicy paths, Decide otherwise,
                                                  std::string rule_prefix) {
  return [paths = std::move(paths), otherwise = std::move(otherwise),
          rule_prefix = std::move(rule_prefix)](const v1::Event& event) {
    const absl::string_view prefix = paths.DenyingPrefix(event);
    if (!prefix.empty()) return absl::StrCat(rule_prefix, prefix);
    return otherwise ? otherwise(event) : std::string();
  };
}

absl::StatusOr<std::unique_ptr<FanotifyGuard>> FanotifyGuard::Start(const RuleSet& rules,
                                                                    ResponsePolicy policy,
                                                                    FanotifyGuardOptions options) {
  return Start(RuleDecision(rules, std::move(policy)), std::move(options));
}

absl::StatusOr<std::unique_ptr<FanotifyGuard>> FanotifyGuard::Start(Decide decide,
                                                                    FanotifyGuardOptions options) {
  if (geteuid() != 0) {
    return absl::PermissionDeniedError("the fanotify guard needs root (CAP_SYS_ADMIN)");
  }
  if (options.mounts.empty() || (!options.opens && !options.execs)) {
    return absl::InvalidArgumentError("the fanotify guard needs mounts and opens or execs");
  }
  std::unique_ptr<FanotifyGuard> guard(new FanotifyGuard());
  guard->shared_ = std::make_unique<Shared>();
  Shared& shared = *guard->shared_;
  shared.options = std::move(options);
  shared.decide = std::move(decide);
  shared.fanotify_fd = fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC | FAN_NONBLOCK,
                                     O_RDONLY | O_LARGEFILE | O_CLOEXEC);
  if (shared.fanotify_fd < 0) {
    if (errno == EINVAL) {
      return absl::FailedPreconditionError(
          "fanotify_init(FAN_CLASS_CONTENT): this kernel has no fanotify permission events "
          "(FAN_OPEN_PERM needs CONFIG_FANOTIFY_ACCESS_PERMISSIONS)");
    }
    if (errno == EPERM) {  // Root without the capability, e.g. in a container.
      return absl::PermissionDeniedError(
          "fanotify_init(FAN_CLASS_CONTENT): Operation not permitted (the guard needs "
          "CAP_SYS_ADMIN)");
    }
    return core::ErrnoToStatus(errno, "fanotify_init(FAN_CLASS_CONTENT)");
  }
  shared.stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (shared.stop_fd < 0) return core::ErrnoToStatus(errno, "eventfd");
  const uint64_t mask =
      (shared.options.opens ? FAN_OPEN_PERM : 0) | (shared.options.execs ? FAN_OPEN_EXEC_PERM : 0);
  for (const std::string& mount : shared.options.mounts) {
    if (fanotify_mark(shared.fanotify_fd, FAN_MARK_ADD | FAN_MARK_MOUNT, mask, AT_FDCWD,
                      mount.c_str()) != 0) {
      const int error = errno;
      const std::string call = absl::StrCat("fanotify_mark(FAN_MARK_MOUNT, ", mount, ")");
      // Kernels before 5.0 refuse the whole mask for the exec bit: say so, not just "EINVAL".
      if (error == EINVAL && (mask & FAN_OPEN_EXEC_PERM) != 0 &&
          fanotify_mark(shared.fanotify_fd, FAN_MARK_ADD | FAN_MARK_MOUNT,
                        mask & ~uint64_t{FAN_OPEN_EXEC_PERM}, AT_FDCWD, mount.c_str()) == 0) {
        return absl::FailedPreconditionError(absl::StrCat(
            call, ": this kernel has no FAN_OPEN_EXEC_PERM (Linux 5.0+); guard opens only"));
      }
      return core::ErrnoToStatus(error, call);
    }
  }
  guard->decider_ = std::thread([g = guard.get()] { g->DecideLoop(); });
  guard->reader_ = std::thread([g = guard.get()] { g->ReadLoop(); });
  return guard;
}

FanotifyGuard::~FanotifyGuard() { Stop(); }

void FanotifyGuard::Stop() {
  if (shared_ == nullptr || stopped_) return;
  stopped_ = true;
  {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    shared_->stopping = true;
  }
  shared_->queued.notify_all();
  const uint64_t one = 1;
  (void)!write(shared_->stop_fd, &one, sizeof(one));
  if (reader_.joinable()) reader_.join();
  if (decider_.joinable()) decider_.join();
  for (const std::shared_ptr<Pending>& pending : shared_->waiting) {
    if (!pending->answered) Respond(shared_->fanotify_fd, *pending, /*allow=*/true);
  }
  shared_->waiting.clear();
  close(shared_->fanotify_fd);  // Removes the marks: nothing is held any more.
  shared_->fanotify_fd = -1;
}

void FanotifyGuard::DecideLoop() {
  Shared& shared = *shared_;
  while (true) {
    std::shared_ptr<Pending> pending;
    {
      std::unique_lock<std::mutex> lock(shared.mutex);
      shared.queued.wait(lock, [&] { return shared.stopping || !shared.to_decide.empty(); });
      if (shared.stopping) return;
      pending = std::move(shared.to_decide.front());
      shared.to_decide.pop_front();
      if (pending->answered) continue;  // Timed out while queued.
    }
    GuardVerdict verdict;
    verdict.event = AccessEvent(*pending);
    verdict.rule = shared.decide(verdict.event);
    verdict.deny = !verdict.rule.empty();
    verdict.denied = verdict.deny && shared.options.enabled;
    {
      std::lock_guard<std::mutex> lock(shared.mutex);
      if (pending->answered) continue;  // Timed out while deciding; already audited.
      pending->answered = true;
      (verdict.denied ? denied_ : allowed_).fetch_add(1);  // Counted before the process goes on.
      Respond(shared.fanotify_fd, *pending, !verdict.denied);
    }
    if (shared.options.audit) shared.options.audit(verdict);
  }
}

void FanotifyGuard::ReadLoop() {
  Shared& shared = *shared_;
  const int64_t self = getpid();
  alignas(fanotify_event_metadata) char buffer[16 * 1024];
  while (true) {
    // Allow what waited too long, then sleep until the next deadline or new accesses.
    std::vector<std::shared_ptr<Pending>> expired;
    absl::Duration wait = absl::InfiniteDuration();
    {
      std::lock_guard<std::mutex> lock(shared.mutex);
      const absl::Time now = absl::Now();
      while (!shared.waiting.empty() &&
             (shared.waiting.front()->answered || shared.waiting.front()->deadline <= now)) {
        std::shared_ptr<Pending> front = std::move(shared.waiting.front());
        shared.waiting.pop_front();
        if (front->answered) continue;
        front->answered = true;
        timed_out_.fetch_add(1);
        allowed_.fetch_add(1);
        Respond(shared.fanotify_fd, *front, /*allow=*/true);
        expired.push_back(std::move(front));
      }
      if (!shared.waiting.empty()) wait = shared.waiting.front()->deadline - now;
    }
    for (const std::shared_ptr<Pending>& pending : expired) {
      if (shared.options.audit) {
        GuardVerdict verdict;
        verdict.event.set_pid(pending->pid);
        verdict.event.set_type(pending->exec ? v1::EVENT_TYPE_EXECVE : v1::EVENT_TYPE_OPENAT);
        verdict.event.mutable_fd()->set_name(pending->path);
        verdict.timed_out = true;
        shared.options.audit(verdict);
      }
    }
    pollfd fds[2] = {{shared.fanotify_fd, POLLIN, 0}, {shared.stop_fd, POLLIN, 0}};
    const int timeout_ms =
        wait == absl::InfiniteDuration()
            ? -1
            : static_cast<int>(std::max<int64_t>(1, absl::ToInt64Milliseconds(wait) + 1));
    if (poll(fds, 2, timeout_ms) < 0 && errno != EINTR) return;
    if (fds[1].revents & POLLIN) return;
    if (!(fds[0].revents & POLLIN)) continue;
    const ssize_t n = read(shared.fanotify_fd, buffer, sizeof(buffer));
    if (n <= 0) continue;  // EAGAIN/EINTR; errors show up again at the next poll.
    // A record it cannot read ends this buffer (only a kernel speaking another metadata version
    // writes one); the accesses of the records after it stay held until the guard stops.
    internal::ForEachFanotifyRecord(
        absl::MakeConstSpan(buffer, static_cast<size_t>(n)),
        [&](internal::FanotifyRecord record) {
          auto pending = std::make_shared<Pending>();
          pending->pid = record.pid();
          pending->exec = (record.mask() & FAN_OPEN_EXEC_PERM) != 0;
          pending->path = record.path();
          pending->fd = record.ReleaseFd();  // Closed by whoever answers (Respond).
          pending->deadline = absl::Now() + shared.options.response_timeout;
          std::lock_guard<std::mutex> lock(shared.mutex);
          // Our own accesses (the decision reads /proc, the audit may log) and overload pass at
          // once.
          if (pending->pid == self || shared.to_decide.size() >= shared.options.max_pending) {
            pending->answered = true;
            if (pending->pid != self) {
              timed_out_.fetch_add(1);
              allowed_.fetch_add(1);
            }
            Respond(shared.fanotify_fd, *pending, /*allow=*/true);
            return;
          }
          shared.waiting.push_back(pending);
          shared.to_decide.push_back(std::move(pending));
          shared.queued.notify_one();
        })
        .IgnoreError();
  }
}

}  // namespace bulwark::runtime
