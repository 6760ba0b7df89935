// Fuzzes the NETLINK_SOCK_DIAG reply parser (inet_diag and unix_diag messages; the first byte
// picks TCP, UDP, Unix or destroy notices naming their protocol) and the socket table, the
// events and the close events built from what it returns.
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <cstdlib>
#include <vector>

#include "bulwark/runtime/internal/sock_diag.h"
#include "bulwark/runtime/internal/socket_table.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static constexpr int kProtocols[] = {IPPROTO_TCP, IPPROTO_UDP, 0,
                                       bulwark::runtime::internal::kProtocolFromAttribute};
  const int protocol = kProtocols[data[0] % 4];
  std::vector<bulwark::runtime::internal::SocketInfo> sockets;
  constexpr size_t kMaxSockets = 1000;
  auto done = bulwark::runtime::internal::ParseSockDiagReply(
      absl::MakeConstSpan(data + 1, size - 1), protocol, kMaxSockets, sockets);
  if (sockets.size() > kMaxSockets) std::abort();
  (void)done;
  bulwark::runtime::internal::SocketTable table;
  for (const auto* socket : table.Update(sockets)) {
    if (table.Find(socket->inode) == nullptr) std::abort();
    table.SetOwner(socket->inode, 1, 3);
    (void)bulwark::runtime::internal::SocketEvent(*socket, table, 1, 3);
  }
  // The same sockets heard of as destroyed, before and after a dump that no longer lists them.
  for (int round = 0; round < 2; ++round) {
    for (const auto& socket : sockets) {
      // Inet sockets are remembered by cookie; Unix sockets (no destroy notices) are not.
      if (socket.family != AF_UNIX && socket.cookie != 0 &&
          table.FindByCookie(socket.cookie) == nullptr) {
        std::abort();
      }
      (void)bulwark::runtime::internal::SocketCloseEvent(socket, table);
    }
    table.Update({});
  }
  return 0;
}
