#include "bulwark/runtime/internal/sock_diag.h"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "bulwark/core/file.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/runtime/internal/unix_diag.h"

namespace bulwark::runtime::internal {
namespace {

constexpr uint32_t kAllStates = 0xffffffff;

std::string IpText(int family, const uint32_t (&address)[4]) {
  char text[INET6_ADDRSTRLEN] = {};
  if (inet_ntop(family, address, text, sizeof(text)) == nullptr) return "";
  return text;
}

absl::Status Malformed(size_t offset, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("sock_diag reply at byte ", offset, ": ", what));
}

// The protocol an inet message names in its INET_DIAG_PROTOCOL attribute, or -1.
int InetProtocolAttribute(absl::Span<const uint8_t> attrs) {
  size_t offset = 0;
  while (offset + sizeof(nlattr) <= attrs.size()) {
    nlattr attr;
    std::memcpy(&attr, attrs.data() + offset, sizeof(attr));
    if (attr.nla_len < sizeof(nlattr) || attr.nla_len > attrs.size() - offset) return -1;
    if ((attr.nla_type & NLA_TYPE_MASK) == INET_DIAG_PROTOCOL && attr.nla_len > NLA_HDRLEN) {
      return attrs[offset + NLA_HDRLEN];
    }
    offset += NLA_ALIGN(attr.nla_len);
  }
  return -1;
}

}  // namespace

absl::StatusOr<bool> ParseSockDiagReply(absl::Span<const uint8_t> datagram, int protocol,
                                        size_t max_sockets, std::vector<SocketInfo>& out) {
  size_t offset = 0;
  while (offset < datagram.size()) {
    if (datagram.size() - offset < sizeof(nlmsghdr)) return Malformed(offset, "truncated header");
    nlmsghdr header;
    std::memcpy(&header, datagram.data() + offset, sizeof(header));
    if (header.nlmsg_len < NLMSG_HDRLEN || header.nlmsg_len > datagram.size() - offset) {
      return Malformed(offset, absl::StrCat("bad length ", header.nlmsg_len));
    }
    const absl::Span<const uint8_t> body =
        datagram.subspan(offset + NLMSG_HDRLEN, header.nlmsg_len - NLMSG_HDRLEN);
    const size_t message_offset = offset;
    offset += std::min<size_t>(NLMSG_ALIGN(header.nlmsg_len), datagram.size() - offset);
    if (header.nlmsg_type == NLMSG_DONE) return true;
    if (header.nlmsg_type == NLMSG_ERROR) {
      nlmsgerr error{};
      if (body.size() < sizeof(error.error)) return Malformed(message_offset, "truncated error");
      std::memcpy(&error.error, body.data(), sizeof(error.error));
      if (error.error == 0) continue;  // An acknowledgement.
      // The kernel sends -errno; anything else (positive, below -4095) is not an errno.
      const int64_t code = -static_cast<int64_t>(error.error);
      return core::ErrnoToStatus(code > 0 && code < 4096 ? static_cast<int>(code) : EIO,
                                 "SOCK_DIAG_BY_FAMILY");
    }
    if (header.nlmsg_type != SOCK_DIAG_BY_FAMILY) continue;
    if (out.size() >= max_sockets) {
      return core::LimitExceeded("max_entries", max_sockets, "sock_diag dump");
    }
    SocketInfo socket;
    if (protocol == 0) {
      absl::StatusOr<SocketInfo> parsed = ParseUnixDiagMessage(body);
      if (!parsed.ok()) return Malformed(message_offset, parsed.status().message());
      socket = *std::move(parsed);
    } else {
      inet_diag_msg message;
      if (body.size() < sizeof(message)) return Malformed(message_offset, "truncated inet_diag");
      std::memcpy(&message, body.data(), sizeof(message));
      if (message.idiag_family != AF_INET && message.idiag_family != AF_INET6) {
        return Malformed(message_offset, absl::StrCat("family ", message.idiag_family));
      }
      socket.family = message.idiag_family;
      socket.protocol = protocol;
      if (protocol == kProtocolFromAttribute) {
        socket.protocol = InetProtocolAttribute(body.subspan(NLMSG_ALIGN(sizeof(message))));
        if (socket.protocol < 0) return Malformed(message_offset, "no INET_DIAG_PROTOCOL");
        if (socket.protocol != IPPROTO_TCP && socket.protocol != IPPROTO_UDP)
          continue;  // UDP-Lite.
      }
      socket.cookie =
          (static_cast<uint64_t>(message.id.idiag_cookie[1]) << 32) | message.id.idiag_cookie[0];
      socket.state = message.idiag_state;
      socket.inode = message.idiag_inode;
      socket.uid = message.idiag_uid;
      socket.local_ip = IpText(socket.family, message.id.idiag_src);
      socket.remote_ip = IpText(socket.family, message.id.idiag_dst);
      socket.local_port = ntohs(message.id.idiag_sport);
      socket.remote_port = ntohs(message.id.idiag_dport);
    }
    out.push_back(std::move(socket));
  }
  return false;
}

absl::StatusOr<std::unique_ptr<SockDiag>> SockDiag::Open() {
  const int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) return core::ErrnoToStatus(errno, "socket(AF_NETLINK, NETLINK_SOCK_DIAG)");
  return std::unique_ptr<SockDiag>(new SockDiag(fd));
}

SockDiag::~SockDiag() { close(fd_); }

absl::Status SockDiag::DumpOne(int family, int protocol, size_t max_sockets,
                               std::vector<SocketInfo>& out) {
  struct {
    nlmsghdr header;
    union {
      inet_diag_req_v2 inet;
      unix_diag_req unix_request;
    };
  } request{};
  request.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  if (family == AF_UNIX) {
    request.header.nlmsg_len = NLMSG_LENGTH(sizeof(unix_diag_req));
    request.unix_request = UnixDumpRequest();
  } else {
    request.header.nlmsg_len = NLMSG_LENGTH(sizeof(inet_diag_req_v2));
    request.inet.sdiag_family = static_cast<uint8_t>(family);
    request.inet.sdiag_protocol = static_cast<uint8_t>(protocol);
    request.inet.idiag_states = kAllStates;
  }
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (sendto(fd_, &request, request.header.nlmsg_len, 0, reinterpret_cast<sockaddr*>(&kernel),
             sizeof(kernel)) < 0) {
    return core::ErrnoToStatus(errno, "sendto(SOCK_DIAG_BY_FAMILY)");
  }
  std::vector<uint8_t> buffer(64 * 1024);
  while (true) {
    const ssize_t n = recv(fd_, buffer.data(), buffer.size(), 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return core::ErrnoToStatus(errno, "recv(NETLINK_SOCK_DIAG)");
    }
    if (n == 0) return absl::OkStatus();
    BULWARK_ASSIGN_OR_RETURN(
        bool done, ParseSockDiagReply(absl::MakeConstSpan(buffer.data(), static_cast<size_t>(n)),
                                      family == AF_UNIX ? 0 : protocol, max_sockets, out));
    if (done) return absl::OkStatus();
  }
}

absl::StatusOr<std::vector<SocketInfo>> SockDiag::Dump(size_t max_sockets) {
  std::vector<SocketInfo> sockets;
  absl::Status status;
  for (int family : {AF_INET, AF_INET6}) {
    for (int protocol : {IPPROTO_TCP, IPPROTO_UDP}) {
      if (status.ok()) status = DumpOne(family, protocol, max_sockets, sockets);
    }
  }
  if (status.ok()) status = DumpOne(AF_UNIX, 0, max_sockets, sockets);
  if (!status.ok()) {
    // Discard the rest of an abandoned dump so the next one starts clean.
    uint8_t discard[4096];
    while (recv(fd_, discard, sizeof(discard), MSG_DONTWAIT) > 0) {
    }
    return status;
  }
  return sockets;
}

}  // namespace bulwark::runtime::internal
