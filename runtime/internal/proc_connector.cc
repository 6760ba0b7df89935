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
    ProcNotification n;
    n.monotonic_ns = event.timestamp_ns;
    switch (event.what) {
      case proc_event::PROC_EVENT_FORK:
        n.kind = ProcNotification::Kind::kFork;
        n.pid = event.event_data.fork.parent_pid;
        n.tgid = event.event_data.fork.parent_tgid;
        n.child_pid = event.event_data.fork.child_pid;
        n.child_tgid = event.event_data.fork.child_tgid;
        break;
      case proc_event::PROC_EVENT_EXEC:
        n.kind = ProcNotification::Kind::kExec;
        n.pid = event.event_data.exec.process_pid;
        n.tgid = event.event_data.exec.process_tgid;
        break;
      case proc_event::PROC_EVENT_EXIT:
        n.kind = ProcNotification::Kind::kExit;
        n.pid = event.event_data.exit.process_pid;
        n.tgid = event.event_data.exit.process_tgid;
        n.id1 = event.event_data.exit.exit_code;
        n.id2 = event.event_data.exit.exit_signal;
        break;
      case proc_event::PROC_EVENT_UID:
      case proc_event::PROC_EVENT_GID:
        n.kind = event.what == proc_event::PROC_EVENT_UID ? ProcNotification::Kind::kUid
                                                          : ProcNotification::Kind::kGid;
        n.pid = event.event_data.id.process_pid;
        n.tgid = event.event_data.id.process_tgid;
        n.id1 = event.event_data.id.r.ruid;
        n.id2 = event.event_data.id.e.euid;
        break;
      case proc_event::PROC_EVENT_SID:
        n.kind = ProcNotification::Kind::kSid;
        n.pid = event.event_data.sid.process_pid;
        n.tgid = event.event_data.sid.process_tgid;
        break;
      case proc_event::PROC_EVENT_PTRACE:
        n.kind = ProcNotification::Kind::kPtrace;
        n.pid = event.event_data.ptrace.tracer_pid;
        n.tgid = event.event_data.ptrace.tracer_tgid;
        n.child_pid = event.event_data.ptrace.process_pid;
        n.child_tgid = event.event_data.ptrace.process_tgid;
        break;
      case proc_event::PROC_EVENT_COMM:
        n.kind = ProcNotification::Kind::kComm;
        n.pid = event.event_data.comm.process_pid;
        n.tgid = event.event_data.comm.process_tgid;
        break;
      default:
        continue;
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
