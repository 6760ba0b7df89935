// The kernel's netlink process connector (NETLINK_CONNECTOR, CN_IDX_PROC): fork, exec, exit,
// uid/gid/sid and ptrace notifications for every process on the host. Needs CAP_NET_ADMIN in
// the initial user namespace. Thread safety: one thread per ProcConnector.
#ifndef BULWARK_RUNTIME_INTERNAL_PROC_CONNECTOR_H_
#define BULWARK_RUNTIME_INTERNAL_PROC_CONNECTOR_H_

#include <cstdint>
#include <functional>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace bulwark::runtime::internal {

// One process connector notification, decoded.
struct ProcNotification {
  enum class Kind { kFork, kExec, kExit, kUid, kGid, kSid, kPtrace, kComm, kOther };
  Kind kind = Kind::kOther;
  uint64_t monotonic_ns = 0;
  int64_t pid = 0;  // Acting thread (fork: parent thread; ptrace: tracer).
  int64_t tgid = 0;
  int64_t child_pid = 0;  // fork: new thread; ptrace: the tracee.
  int64_t child_tgid = 0;
  int64_t id1 = 0;  // uid/gid: real; exit: exit code (wait status); ptrace: tracer tgid.
  int64_t id2 = 0;  // uid/gid: effective; exit: exit signal.
};

// Decodes the netlink datagram `data`, calling `out` per notification; malformed or truncated
// messages are skipped.
void DecodeProcConnector(absl::Span<const uint8_t> data,
                         const std::function<void(const ProcNotification&)>& out);

class ProcConnector {
 public:
  // Opens, binds and subscribes (PROC_CN_MCAST_LISTEN). PermissionDenied names the errno.
  static absl::StatusOr<std::unique_ptr<ProcConnector>> Open();
  ~ProcConnector();
  int fd() const { return fd_; }
  // Reads every pending datagram (non-blocking) and decodes it.
  absl::Status Drain(const std::function<void(const ProcNotification&)>& out);
  // Times the kernel reported lost notifications (ENOBUFS).
  uint64_t overflows() const { return overflows_; }

 private:
  explicit ProcConnector(int fd) : fd_(fd) {}
  int fd_;
  uint64_t overflows_ = 0;
};

}  // namespace bulwark::runtime::internal

#endif  // BULWARK_RUNTIME_INTERNAL_PROC_CONNECTOR_H_
