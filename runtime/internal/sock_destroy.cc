#include "bulwark/runtime/internal/sock_destroy.h"

#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"

namespace bulwark::runtime::internal {
namespace {

constexpr uint32_t GroupBit(int group) { return 1u << (group - 1); }

constexpr int kReceiveQueueBytes = 4 << 20;

}  // namespace

absl::StatusOr<std::unique_ptr<SockDestroyListener>> SockDestroyListener::Open() {
  const int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_SOCK_DIAG);
  if (fd < 0) return core::ErrnoToStatus(errno, "socket(AF_NETLINK, NETLINK_SOCK_DIAG)");
  std::unique_ptr<SockDestroyListener> listener(new SockDestroyListener(fd));
  // A burst of closes (a server stopping) must not overflow the default queue; forcing the size
  // needs CAP_NET_ADMIN, and without it the default queue is kept and overflows are counted.
  (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &kReceiveQueueBytes, sizeof(kReceiveQueueBytes));
  sockaddr_nl address{};
  address.nl_family = AF_NETLINK;
  address.nl_groups = GroupBit(SKNLGRP_INET_TCP_DESTROY) | GroupBit(SKNLGRP_INET_UDP_DESTROY) |
                      GroupBit(SKNLGRP_INET6_TCP_DESTROY) | GroupBit(SKNLGRP_INET6_UDP_DESTROY);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    return core::ErrnoToStatus(errno, "bind(NETLINK_SOCK_DIAG, SKNLGRP_INET*_DESTROY groups)");
  }
  return listener;
}

SockDestroyListener::~SockDestroyListener() { close(fd_); }

absl::Status SockDestroyListener::Drain(size_t max_sockets, std::vector<SocketInfo>& out) {
  // One notice is an nlmsghdr, an inet_diag_msg and a few attributes (tcp_info): < 1 KiB.
  uint8_t buffer[16 * 1024];
  while (out.size() < max_sockets) {
    const ssize_t n = recv(fd_, buffer, sizeof(buffer), MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return absl::OkStatus();
      if (errno == ENOBUFS) {
        ++lost_;
        continue;
      }
      return core::ErrnoToStatus(errno, "recv(SKNLGRP_INET*_DESTROY)");
    }
    absl::StatusOr<bool> parsed =
        ParseSockDiagReply(absl::MakeConstSpan(buffer, static_cast<size_t>(n)),
                           kProtocolFromAttribute, max_sockets, out);
    if (absl::IsResourceExhausted(parsed.status())) {
      ++lost_;  // The rest of a datagram with several notices.
      return absl::OkStatus();
    }
    BULWARK_RETURN_IF_ERROR(parsed.status());
  }
  return absl::OkStatus();
}

}  // namespace bulwark::runtime::internal
