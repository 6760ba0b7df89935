// A live Linux event source with no kernel module and no eBPF: the netlink process connector
// (fork, exec, exit, uid/gid changes, ptrace attach, system-wide) enriched from /proc (argv,
// exe, cwd, ids, capabilities, cgroups -> container id, namespace pid and ids, open
// descriptors), fanotify for file opens and writes on chosen mounts, socket diagnostics
// (NETLINK_SOCK_DIAG) for TCP/UDP connections, and a /proc snapshot at start so existing
// processes and their descriptors are known.
//   BULWARK_ASSIGN_OR_RETURN(auto collector, Collector::Start({.file_mounts = {"/"}}));
//   while (running) BULWARK_RETURN_IF_ERROR(collector->Poll(absl::Milliseconds(200), sink));
// Start() subscribes first and then reads the snapshot, so no process falls between the two.
// Events: the snapshot first (EVENT_TYPE_UNSPECIFIED events carrying a process; no rule matches
// them, they prime the engine's process table), then clone (fork), execve (with the new
// image), procexit, setresuid/setresgid (new ids), setsid, ptrace (attach), openat (fanotify
// FAN_OPEN; the open flags are not known), write (FAN_MODIFY) and close (FAN_CLOSE_WRITE), and
// from the socket dumps listen, accept, connect and bind (new sockets since the previous dump,
// with their owner's pid and descriptor), and close (with a SocketDestroy) for each TCP/UDP socket
// as the kernel destroys it (sock_diag's destroy multicast groups) and for each Unix socket a dump
// no longer lists (the kernel has no destroy group for them). Snapshot and exec events list
// the process's open descriptors in Event.open_fds (sockets with their address tuples). Sockets of
// containers with their own network namespace are dumped inside that namespace
// (all_network_namespaces). Errors: PermissionDenied when not root; the errno of the failing
// socket/fanotify call. Thread safety: not thread-safe; Poll from one thread.
#ifndef BULWARK_RUNTIME_COLLECTOR_H_
#define BULWARK_RUNTIME_COLLECTOR_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bulwark/core/limits.h"
#include "bulwark/runtime/event.pb.h"

namespace bulwark::runtime {

namespace internal {
class ProcConnector;
class FanotifyWatch;
class NamespacedSockDiag;
class SocketTable;
}  // namespace internal

struct CollectorOptions {
  // Report every existing process first. Default: true.
  bool snapshot = true;
  // Mounts (any path on them) whose file opens and writes are reported. Default: none.
  std::vector<std::string> file_mounts;
  // Report new TCP/UDP sockets (sock_diag dumps). Default: true.
  bool connections = true;
  // Also dump the sockets of every other network namespace a process is in (containers with
  // their own network), entering each with setns on a short-lived thread. Default: true.
  bool all_network_namespaces = true;
  // Also report socket closes (needs `connections`): each TCP/UDP socket as the kernel destroys
  // it, and each Unix socket that a dump listed and the next one does not; a close event with
  // its tuple or Unix path, and its owner's pid and descriptor when a dump saw it open.
  // Default: true.
  bool socket_closes = true;
  // How often sockets (TCP, UDP and Unix) are dumped. A connection opened and closed between two
  // dumps is not seen open; a Unix socket's close is seen up to one interval late, and not at
  // all when it was opened and closed between two dumps (TCP/UDP closes are heard at once).
  // Shorter is more complete and costs one dump of every socket (in every network namespace) and
  // its diff per interval. Default: 250 ms.
  absl::Duration connection_interval = absl::Milliseconds(250);
  // List each snapshot or exec'd process's open descriptors in Event.open_fds. Default: true.
  bool descriptors = true;
  // Caps: sockets per dump and so sockets tracked (ResourceExhausted from Poll beyond),
  // descriptors read per process, and descriptor links read per scan for socket owners
  // (max_entries), paths (max_path_length). Default: core::Limits defaults.
  core::Limits limits;
  // Descriptors listed per process. Default: 65,536.
  size_t max_fds_per_process = 65'536;
};

class Collector {
 public:
  static absl::StatusOr<std::unique_ptr<Collector>> Start(const CollectorOptions& options = {});
  ~Collector();

  // Waits at most `timeout` for activity and hands every event that arrived to `sink`, in
  // order. Returns OK on timeout; an error when a source fails.
  absl::Status Poll(absl::Duration timeout, const std::function<void(v1::Event&&)>& sink);

  // Times the kernel dropped process notifications because the queue was full.
  uint64_t lost_notifications() const;
  // New sockets whose owning process was not found (it exited, or the socket was passed on).
  uint64_t unowned_sockets() const { return unowned_sockets_; }
  // Times another network namespace could not be entered or dumped (its sockets are missing
  // from that dump).
  uint64_t failed_network_namespaces() const;
  // Socket destroy notices the kernel dropped because the collector's queue was full.
  uint64_t lost_socket_closes() const;

 private:
  Collector();
  void TakeSnapshot();
  // The open descriptors of `pid`, sockets described from the last dump.
  void AddOpenFds(int64_t pid, v1::Event& event) const;
  // Dumps sockets when connection_interval has passed and emits events for new ones.
  absl::Status PollConnections(const std::function<void(v1::Event&&)>& emit);
  // Emits a close event for each socket destroyed since the last call.
  absl::Status PollSocketCloses(const std::function<void(v1::Event&&)>& emit);

  CollectorOptions options_;
  std::unique_ptr<internal::ProcConnector> connector_;
  std::unique_ptr<internal::FanotifyWatch> files_;
  std::unique_ptr<internal::NamespacedSockDiag> sock_diag_;
  std::unique_ptr<internal::SocketTable> sockets_;
  absl::Time next_dump_;
  uint64_t unowned_sockets_ = 0;
  std::vector<v1::Event> snapshot_;  // Taken by Start(), handed out by the first Poll().
  uint64_t next_num_ = 1;
};

}  // namespace bulwark::runtime

#endif  // BULWARK_RUNTIME_COLLECTOR_H_
