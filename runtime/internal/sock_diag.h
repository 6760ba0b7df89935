// Socket diagnostics over NETLINK_SOCK_DIAG: a snapshot of the host's TCP and UDP sockets
// (inet_diag, IPv4 and IPv6) and Unix sockets (unix_diag) with their inode numbers, which
// /proc/<pid>/fd links ("socket:[inode]") tie to processes. No root needed for the dump itself;
// a SockDiag lists the sockets of the network namespace it was opened in (sock_diag_netns.h
// covers the others). Thread safety: one thread per SockDiag;
// the parsers are pure functions.
#ifndef BULWARK_RUNTIME_INTERNAL_SOCK_DIAG_H_
#define BULWARK_RUNTIME_INTERNAL_SOCK_DIAG_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace bulwark::runtime::internal {

// One socket as the kernel's diagnostics report it.
struct SocketInfo {
  uint64_t inode = 0;
  int family = 0;        // AF_INET, AF_INET6, AF_UNIX.
  int type = 0;          // Unix sockets: SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET; 0 for inet.
  int protocol = 0;      // IPPROTO_TCP / IPPROTO_UDP; 0 for Unix sockets.
  int state = 0;         // TCP_* state (UDP: TCP_ESTABLISHED when connected, TCP_CLOSE otherwise).
  std::string local_ip;  // Text form ("10.0.0.2", "::1"); empty for Unix sockets.
  uint16_t local_port = 0;
  std::string remote_ip;
  uint16_t remote_port = 0;
  uint32_t uid = 0;
  // Unix sockets: the bound path ("@name" for the abstract namespace, unix_diag.h); for an
  // unnamed socket connected to a named one, SocketTable::Update sets its peer's (Falco names a
  // client's descriptor by the address it connected to).
  std::string path;
  uint64_t peer_inode = 0;  // Unix sockets: the connected peer's inode (UNIX_DIAG_PEER); 0 if none.
  // Unix listeners: the inodes of clients whose connections wait for accept (UNIX_DIAG_ICONS).
  std::vector<uint64_t> pending_clients;
  uint64_t netns = 0;   // Network namespace id (NamespacedSockDiag sets it); 0 when unknown.
  uint64_t cookie = 0;  // The kernel's socket cookie; stable for the socket's lifetime.
};

// ParseSockDiagReply's `protocol` for inet messages that name their protocol themselves in an
// INET_DIAG_PROTOCOL attribute (the destroy broadcasts of sock_destroy.h).
inline constexpr int kProtocolFromAttribute = -1;

// Parses one datagram of a SOCK_DIAG_BY_FAMILY dump reply (a stream of nlmsghdr) for
// `protocol` (IPPROTO_TCP/UDP for inet replies, 0 for unix_diag replies, kProtocolFromAttribute
// for inet messages carrying INET_DIAG_PROTOCOL), appending at most
// `max_sockets` sockets in all to `out`. Returns true when the dump's NLMSG_DONE was seen.
// Errors: InvalidArgument for a truncated or malformed message, the kernel's errno for an
// NLMSG_ERROR, ResourceExhausted beyond max_sockets.
absl::StatusOr<bool> ParseSockDiagReply(absl::Span<const uint8_t> datagram, int protocol,
                                        size_t max_sockets, std::vector<SocketInfo>& out);

class SockDiag {
 public:
  static absl::StatusOr<std::unique_ptr<SockDiag>> Open();
  ~SockDiag();
  // Every TCP and UDP socket (IPv4 and IPv6) and every Unix socket, at most `max_sockets`.
  absl::StatusOr<std::vector<SocketInfo>> Dump(size_t max_sockets);

 private:
  explicit SockDiag(int fd) : fd_(fd) {}
  absl::Status DumpOne(int family, int protocol, size_t max_sockets, std::vector<SocketInfo>& out);
  int fd_;
};

}  // namespace bulwark::runtime::internal

#endif  // BULWARK_RUNTIME_INTERNAL_SOCK_DIAG_H_
