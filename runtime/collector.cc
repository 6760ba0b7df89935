#include "bulwark/runtime/collector.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/runtime/internal/fanotify_watch.h"
#include "bulwark/runtime/internal/proc_connector.h"
#include "bulwark/runtime/internal/proc_fds.h"
#include "bulwark/runtime/internal/proc_reader.h"
#include "bulwark/runtime/internal/sock_diag.h"
#include "bulwark/runtime/internal/sock_diag_netns.h"
#include "bulwark/runtime/internal/socket_table.h"

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

// One socket dump: the collector's network namespace, and the others when asked.
absl::StatusOr<std::vector<internal::SocketInfo>> DumpSockets(internal::NamespacedSockDiag& diag,
                                                              const CollectorOptions& options) {
  return options.all_network_namespaces ? diag.Dump(options.limits.max_entries)
                                        : diag.DumpOwn(options.limits.max_entries);
}

// Records in `table` which descriptor of which process holds each of `sockets` (one scan of
// every process's descriptors, at most `max_fds` links).
void RecordOwners(const std::vector<const internal::SocketInfo*>& sockets, size_t max_fds,
                  internal::SocketTable& table) {
  if (sockets.empty()) return;
  const auto owners = internal::ScanSocketOwners(max_fds);
  for (const internal::SocketInfo* socket : sockets) {
    auto owner = owners.find(socket->inode);
    if (owner != owners.end()) {
      table.SetOwner(socket->inode, owner->second.first, owner->second.second);
    }
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
  collector->sockets_ = std::make_unique<internal::SocketTable>(options.limits.max_entries);
  BULWARK_ASSIGN_OR_RETURN(collector->connector_, internal::ProcConnector::Open());
  if (!options.file_mounts.empty()) {
    BULWARK_ASSIGN_OR_RETURN(collector->files_, internal::FanotifyWatch::Open(options.file_mounts));
  }
  if (options.connections || options.descriptors) {
    // The first dump is the baseline: sockets open before Start are state, not events.
    const bool socket_closes = options.connections && options.socket_closes;
    BULWARK_ASSIGN_OR_RETURN(collector->sock_diag_,
                             internal::NamespacedSockDiag::Open("/proc", socket_closes));
    BULWARK_ASSIGN_OR_RETURN(std::vector<internal::SocketInfo> dump,
                             DumpSockets(*collector->sock_diag_, options));
    const std::vector<const internal::SocketInfo*> baseline =
        collector->sockets_->Update(std::move(dump), collector->sock_diag_->undumped_namespaces());
    // Owners of the sockets open now, so that their closes name them.
    if (socket_closes) RecordOwners(baseline, options.limits.max_entries, *collector->sockets_);
    collector->next_dump_ = absl::Now() + options.connection_interval;
  }
  if (options.snapshot) collector->TakeSnapshot();
  return collector;
}

Collector::Collector() = default;
Collector::~Collector() = default;

void Collector::AddOpenFds(int64_t pid, v1::Event& event) const {
  absl::StatusOr<std::vector<v1::FileDescriptor>> fds =
      internal::ReadProcFds(pid, options_.max_fds_per_process);
  if (!fds.ok()) return;  // Exited meanwhile.
  for (v1::FileDescriptor& fd : *fds) {
    if (fd.inode() != 0 && fd.type() == v1::FD_TYPE_UNSPECIFIED) {
      if (const internal::SocketInfo* socket = sockets_->Find(fd.inode())) {
        internal::DescribeSocket(*socket, sockets_->LocalIsServer(*socket), fd);
      }
    }
    if (fd.name().size() > options_.limits.max_path_length) {
      fd.mutable_name()->resize(options_.limits.max_path_length);
    }
    *event.add_open_fds() = std::move(fd);
  }
}

absl::Status Collector::PollConnections(const std::function<void(v1::Event&&)>& emit) {
  if (!options_.connections || absl::Now() < next_dump_) return absl::OkStatus();
  next_dump_ = absl::Now() + options_.connection_interval;
  BULWARK_ASSIGN_OR_RETURN(std::vector<internal::SocketInfo> dump,
                           DumpSockets(*sock_diag_, options_));
  std::vector<const internal::SocketInfo*> fresh =
      sockets_->Update(std::move(dump), sock_diag_->undumped_namespaces());
  // Unix sockets have no destroy notice: those the last dump listed and this one does not are
  // closed. Emitted before new owners are recorded, which may reuse a closed socket's inode.
  if (options_.socket_closes) {
    for (const internal::SocketInfo& socket : sockets_->closed_unix()) {
      v1::Event event = internal::SocketCloseEvent(socket, *sockets_);
      if (event.pid() == getpid()) continue;  // The collector's own sockets.
      event.set_timestamp_ns(static_cast<uint64_t>(absl::ToUnixNanos(absl::Now())));
      emit(std::move(event));
    }
  }
  // Owners of the new sockets: one scan of every process's descriptors per dump.
  RecordOwners(fresh, options_.limits.max_entries, *sockets_);
  for (const internal::SocketInfo* socket : fresh) {
    const std::pair<int64_t, int64_t>* owner = sockets_->Owner(socket->inode);
    if (owner == nullptr) {
      ++unowned_sockets_;
      continue;
    }
    if (owner->first == getpid()) continue;  // The collector's own sockets.
    std::optional<v1::Event> event =
        internal::SocketEvent(*socket, *sockets_, owner->first, owner->second);
    if (!event.has_value()) continue;
    event->set_timestamp_ns(static_cast<uint64_t>(absl::ToUnixNanos(absl::Now())));
    emit(*std::move(event));
  }
  return absl::OkStatus();
}

absl::Status Collector::PollSocketCloses(const std::function<void(v1::Event&&)>& emit) {
  if (sock_diag_ == nullptr || sock_diag_->destroy_fd() < 0) return absl::OkStatus();
  std::vector<internal::SocketInfo> destroyed;
  BULWARK_RETURN_IF_ERROR(sock_diag_->DrainDestroyed(options_.limits.max_entries, destroyed));
  for (const internal::SocketInfo& socket : destroyed) {
    v1::Event event = internal::SocketCloseEvent(socket, *sockets_);
    if (event.pid() == getpid()) continue;  // The collector's own sockets.
    event.set_timestamp_ns(static_cast<uint64_t>(absl::ToUnixNanos(absl::Now())));
    emit(std::move(event));
  }
  return absl::OkStatus();
}

uint64_t Collector::lost_socket_closes() const {
  return sock_diag_ != nullptr ? sock_diag_->lost_destroy_notices() : 0;
}

uint64_t Collector::lost_notifications() const { return connector_->overflows(); }

uint64_t Collector::failed_network_namespaces() const {
  return sock_diag_ != nullptr ? sock_diag_->failed_namespaces() : 0;
}

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
    if (options_.descriptors) AddOpenFds(pid, event);
    snapshot_.push_back(std::move(event));
  }
}

absl::Status Collector::Poll(absl::Duration timeout, const std::function<void(v1::Event&&)>& sink) {
  if (!snapshot_.empty()) {
    for (v1::Event& event : snapshot_) sink(std::move(event));
    snapshot_.clear();
  }
  if (options_.connections) {
    // Wake up for the next socket dump.
    timeout = std::max(absl::ZeroDuration(), std::min(timeout, next_dump_ - absl::Now()));
  }
  // A negative fd is ignored by poll.
  pollfd fds[3] = {{connector_->fd(), POLLIN, 0},
                   {files_ ? files_->fd() : -1, POLLIN, 0},
                   {sock_diag_ ? sock_diag_->destroy_fd() : -1, POLLIN, 0}};
  const int ready = poll(fds, 3, static_cast<int>(absl::ToInt64Milliseconds(timeout)));
  if (ready < 0) {
    if (errno == EINTR) return absl::OkStatus();
    return core::ErrnoToStatus(errno, "poll(collector)");
  }
  auto emit = [&](v1::Event&& event) {
    event.set_num(next_num_++);
    sink(std::move(event));
  };
  // Socket closes first: a process's sockets are destroyed when it execs (close-on-exec) or
  // exits before the kernel reports the exec or exit, and a socket destroyed before the next
  // dump is still in the table.
  BULWARK_RETURN_IF_ERROR(PollSocketCloses(emit));
  BULWARK_RETURN_IF_ERROR(connector_->Drain([&](const ProcNotification& n) {
    std::optional<v1::Event> event = ToEvent(n);
    if (!event.has_value()) return;
    if (event->type() == v1::EVENT_TYPE_EXECVE && options_.descriptors) {
      AddOpenFds(event->pid(), *event);
    }
    emit(*std::move(event));
  }));
  if (files_ != nullptr) {
    BULWARK_RETURN_IF_ERROR(
        files_->Drain(getpid(), [&](FileNotification&& n) { emit(ToEvent(std::move(n))); }));
  }
  return PollConnections(emit);
}

}  // namespace bulwark::runtime
