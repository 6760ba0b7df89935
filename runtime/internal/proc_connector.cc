#include "bulwark/runtime/internal/proc_connector.h"

#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/core/file.h"

namespace bulwark::runtime::internal {
namespace {

constexpr struct {
  uint32_t what;  // proc_event::what
  ProcNotification::Kind kind;
} kKinds[] = {
    {proc_event::PROC_EVENT_FORK, ProcNotification::Kind::kFork},
    {proc_event::PROC_EVENT_EXEC, ProcNotification::Kind::kExec},
    {proc_event::PROC_EVENT_EXIT, ProcNotification::Kind::kExit},
    {proc_event::PROC_EVENT_UID, ProcNotification::Kind::kUid},
    {proc_event::PROC_EVENT_GID, ProcNotification::Kind::kGid},
    {proc_event::PROC_EVENT_SID, ProcNotification::Kind::kSid},
    {proc_event::PROC_EVENT_PTRACE, ProcNotification::Kind::kPtrace},
    {proc_event::PROC_EVENT_COMM, ProcNotification::Kind::kComm},
};

// The notification kind of a proc_event, or nullptr for kinds we do not report.
const ProcNotification::Kind* KindOf(uint32_t what) {
  for (const auto& entry : kKinds) {
    if (entry.what == what) return &entry.kind;
  }
  return nullptr;
}

struct PidPair {
  __kernel_pid_t pid;
  __kernel_pid_t tgid;
};

// The two pids every member of proc_event's event_data union starts with.
PidPair LeadingPids(const proc_event& event) {
  PidPair pids;
  static_assert(sizeof(event.event_data) >= sizeof(pids));
  std::memcpy(&pids, &event.event_data, sizeof(pids));
  return pids;
}

}  // namespace

void DecodeProcConnector(absl::Span<const uint8_t> data,
                         const std::function<void(const ProcNotification&)>& out) {
  size_t offset = 0;
  while (offset + sizeof(nlmsghdr) <= data.size()) {
    nlmsghdr header;
    std::memcpy(&header, data.data() + offset, sizeof(header));
    if (header.nlmsg_len < sizeof(nlmsghdr) || header.nlmsg_len > data.size() - offset) return;
    const size_t payload = header.nlmsg_len - NLMSG_HDRLEN;
    const uint8_t* body = data.data() + offset + NLMSG_HDRLEN;
    offset += NLMSG_ALIGN(header.nlmsg_len);
    if (header.nlmsg_type != NLMSG_DONE || payload < sizeof(cn_msg) + sizeof(proc_event)) continue;
    cn_msg message;
    std::memcpy(&message, body, sizeof(message));
    if (message.id.idx != CN_IDX_PROC || message.len < sizeof(proc_event)) continue;
    proc_event event;
    std::memcpy(&event, body + sizeof(cn_msg), sizeof(event));
    const ProcNotification::Kind* kind = KindOf(event.what);
    if (kind == nullptr) continue;
    ProcNotification n;
    n.kind = *kind;
    n.monotonic_ns = event.timestamp_ns;
    // Every payload starts with the pid and tgid of the process it is about (fork: the parent).
    const PidPair about = LeadingPids(event);
    n.pid = about.pid;
    n.tgid = about.tgid;
    switch (n.kind) {
      case ProcNotification::Kind::kFork:
        n.child_pid = event.event_data.fork.child_pid;
        n.child_tgid = event.event_data.fork.child_tgid;
        break;
      case ProcNotification::Kind::kExit:
        n.id1 = event.event_data.exit.exit_code;
        n.id2 = event.event_data.exit.exit_signal;
        break;
      case ProcNotification::Kind::kUid:
      case ProcNotification::Kind::kGid:
        // r.ruid/r.rgid and e.euid/e.egid share their storage.
        n.id1 = event.event_data.id.r.ruid;
        n.id2 = event.event_data.id.e.euid;
        break;
      case ProcNotification::Kind::kPtrace:
        // The acting process is the tracer; the one the payload is about is the tracee.
        n.child_pid = about.pid;
        n.child_tgid = about.tgid;
        n.pid = event.event_data.ptrace.tracer_pid;
        n.tgid = event.event_data.ptrace.tracer_tgid;
        break;
      default:
        break;
    }
    out(n);
  }
}

absl::StatusOr<std::unique_ptr<ProcConnector>> ProcConnector::Open() {
  const int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_CONNECTOR);
  if (fd < 0) return core::ErrnoToStatus(errno, "socket(AF_NETLINK, NETLINK_CONNECTOR)");
  std::unique_ptr<ProcConnector> connector(new ProcConnector(fd));
  sockaddr_nl address{};
  address.nl_family = AF_NETLINK;
  address.nl_groups = CN_IDX_PROC;
  address.nl_pid = 0;  // Let the kernel pick a unique port id.
  // A deep receive queue: a busy host forks thousands of times a second and the kernel drops
  // notifications (ENOBUFS) when the queue is full. SO_RCVBUFFORCE needs CAP_NET_ADMIN, which
  // the connector needs anyway; fall back to the capped SO_RCVBUF.
  const int queue_bytes = 16 << 20;
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &queue_bytes, sizeof(queue_bytes)) != 0) {
    (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &queue_bytes, sizeof(queue_bytes));
  }
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    return core::ErrnoToStatus(errno, "bind(NETLINK_CONNECTOR, CN_IDX_PROC)");
  }
  // nlmsghdr, then cn_msg whose flexible data member holds the subscription op.
  constexpr size_t kPayload = sizeof(cn_msg) + sizeof(proc_cn_mcast_op);
  alignas(nlmsghdr) uint8_t request[NLMSG_SPACE(kPayload)] = {};
  nlmsghdr header{};
  header.nlmsg_len = NLMSG_LENGTH(kPayload);
  header.nlmsg_type = NLMSG_DONE;
  header.nlmsg_pid = static_cast<uint32_t>(getpid());
  std::memcpy(request, &header, sizeof(header));
  cn_msg message{};
  message.id.idx = CN_IDX_PROC;
  message.id.val = CN_VAL_PROC;
  message.len = sizeof(proc_cn_mcast_op);
  std::memcpy(request + NLMSG_HDRLEN, &message, sizeof(message));
  const proc_cn_mcast_op op = PROC_CN_MCAST_LISTEN;
  std::memcpy(request + NLMSG_HDRLEN + sizeof(cn_msg), &op, sizeof(op));
  if (send(fd, request, header.nlmsg_len, 0) != static_cast<ssize_t>(header.nlmsg_len)) {
    return core::ErrnoToStatus(errno, "send(PROC_CN_MCAST_LISTEN)");
  }
  return connector;
}

ProcConnector::~ProcConnector() { close(fd_); }

absl::Status ProcConnector::Drain(const std::function<void(const ProcNotification&)>& out) {
  std::vector<uint8_t> buffer(64 * 1024);
  while (true) {
    const ssize_t n = recv(fd_, buffer.data(), buffer.size(), 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return absl::OkStatus();
      if (errno == EINTR) continue;
      // ENOBUFS: the kernel dropped notifications because we read too slowly; count, go on.
      if (errno == ENOBUFS) {
        ++overflows_;
        continue;
      }
      return core::ErrnoToStatus(errno, "recv(NETLINK_CONNECTOR)");
    }
    DecodeProcConnector(absl::MakeConstSpan(buffer.data(), static_cast<size_t>(n)), out);
  }
}

}  // namespace bulwark::runtime::internal
