#include "bulwark/runtime/collector.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/runtime/internal/fanotify_watch.h"
#include "bulwark/runtime/internal/proc_connector.h"
#include "bulwark/runtime/internal/proc_reader.h"

namespace bulwark::runtime {
namespace {

using internal::FileNotification;
using internal::ProcNotification;

// The event a process connector notification stands for; nullopt for thread-level noise
// (threads starting and ending) and kinds with no counterpart.
std::optional<v1::Event> ToEvent(const ProcNotification& n) {
  v1::Event event;
  event.set_timestamp_ns(internal::MonotonicToEpochNanos(n.monotonic_ns));
  event.set_pid(n.tgid);
  event.set_tid(n.pid);
  switch (n.kind) {
    case ProcNotification::Kind::kFork:
      if (n.child_pid != n.child_tgid) return std::nullopt;  // A new thread, not a process.
      event.set_type(v1::EVENT_TYPE_CLONE);
      event.set_result(n.child_tgid);
      event.mutable_clone()->set_child_pid(n.child_tgid);
      event.mutable_clone()->set_child_tid(n.child_pid);
      return event;
    case ProcNotification::Kind::kExec: {
      event.set_type(v1::EVENT_TYPE_EXECVE);
      absl::StatusOr<v1::Process> process = internal::ReadProcProcess(n.tgid);
      if (process.ok()) {
        v1::Exec* exec = event.mutable_exec();
        exec->set_filename(process->exepath());
        *exec->mutable_args() = process->args();
        exec->set_cwd(process->cwd());
        *event.mutable_process() = *std::move(process);
      }
      return event;
    }
    case ProcNotification::Kind::kExit:
      if (n.pid != n.tgid) return std::nullopt;
      event.set_type(v1::EVENT_TYPE_PROCEXIT);
      event.mutable_exit()->set_status(static_cast<int32_t>((n.id1 >> 8) & 0xff));
      event.mutable_exit()->set_signal(static_cast<int32_t>(n.id1 & 0x7f));
      return event;
    case ProcNotification::Kind::kUid:
      event.set_type(v1::EVENT_TYPE_SETRESUID);
      event.mutable_credentials()->set_uid(n.id1);
      event.mutable_credentials()->set_euid(n.id2);
      return event;
    case ProcNotification::Kind::kGid:
      event.set_type(v1::EVENT_TYPE_SETRESGID);
      event.mutable_credentials()->set_gid(n.id1);
      event.mutable_credentials()->set_egid(n.id2);
      return event;
    case ProcNotification::Kind::kSid:
      event.set_type(v1::EVENT_TYPE_SETSID);
      return event;
    case ProcNotification::Kind::kPtrace:
      if (n.tgid == 0) return std::nullopt;  // Detach.
      event.set_type(v1::EVENT_TYPE_PTRACE);
      event.mutable_ptrace()->set_request(16);  // PTRACE_ATTACH (or SEIZE).
      event.mutable_ptrace()->set_target_pid(n.child_tgid);
      return event;
    default:
      return std::nullopt;
  }
}

v1::Event ToEvent(FileNotification&& n) {
  v1::Event event;
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  event.set_timestamp_ns(static_cast<uint64_t>(now.tv_sec) * 1'000'000'000ULL +
                         static_cast<uint64_t>(now.tv_nsec));
  event.set_pid(n.pid);
  event.set_tid(n.pid);
  switch (n.kind) {
    case FileNotification::Kind::kOpen:
      event.set_type(v1::EVENT_TYPE_OPENAT);
      event.mutable_file()->set_path(n.path);
      break;
    case FileNotification::Kind::kModify:
      event.set_type(v1::EVENT_TYPE_WRITE);
      break;
    case FileNotification::Kind::kCloseWrite:
      event.set_type(v1::EVENT_TYPE_CLOSE);
      break;
  }
  v1::FileDescriptor* fd = event.mutable_fd();
  fd->set_type(v1::FD_TYPE_FILE);
  fd->set_name(std::move(n.path));
  return event;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Collector>> Collector::Start(const CollectorOptions& options) {
  if (geteuid() != 0) {
    return absl::PermissionDeniedError(
        "the live collector needs root (netlink process connector and fanotify)");
  }
  std::unique_ptr<Collector> collector(new Collector());
  collector->options_ = options;
  BULWARK_ASSIGN_OR_RETURN(collector->connector_, internal::ProcConnector::Open());
  if (!options.file_mounts.empty()) {
    BULWARK_ASSIGN_OR_RETURN(collector->files_, internal::FanotifyWatch::Open(options.file_mounts));
  }
  if (options.snapshot) collector->TakeSnapshot();
  return collector;
}

Collector::~Collector() = default;

uint64_t Collector::lost_notifications() const { return connector_->overflows(); }

void Collector::TakeSnapshot() {
  for (int64_t pid : internal::ListProcPids()) {
    absl::StatusOr<v1::Process> process = internal::ReadProcProcess(pid);
    if (!process.ok()) continue;  // Exited meanwhile.
    v1::Event event;
    event.set_num(next_num_++);
    event.set_timestamp_ns(process->start_time_ns());
    event.set_pid(pid);
    event.set_tid(pid);
    *event.mutable_process() = *std::move(process);
    snapshot_.push_back(std::move(event));
  }
}

absl::Status Collector::Poll(absl::Duration timeout, const std::function<void(v1::Event&&)>& sink) {
  if (!snapshot_.empty()) {
    for (v1::Event& event : snapshot_) sink(std::move(event));
    snapshot_.clear();
  }
  pollfd fds[2] = {{connector_->fd(), POLLIN, 0}, {files_ ? files_->fd() : -1, POLLIN, 0}};
  const int ready = poll(fds, files_ ? 2 : 1, static_cast<int>(absl::ToInt64Milliseconds(timeout)));
  if (ready < 0) {
    if (errno == EINTR) return absl::OkStatus();
    return core::ErrnoToStatus(errno, "poll(collector)");
  }
  auto emit = [&](v1::Event&& event) {
    event.set_num(next_num_++);
    sink(std::move(event));
  };
  BULWARK_RETURN_IF_ERROR(connector_->Drain([&](const ProcNotification& n) {
    if (std::optional<v1::Event> event = ToEvent(n)) emit(*std::move(event));
  }));
  if (files_ != nullptr) {
    BULWARK_RETURN_IF_ERROR(
        files_->Drain(getpid(), [&](FileNotification&& n) { emit(ToEvent(std::move(n))); }));
  }
  return absl::OkStatus();
}

}  // namespace bulwark::runtime
