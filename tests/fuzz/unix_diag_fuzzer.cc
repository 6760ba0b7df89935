// Fuzzes the unix_diag parser: the input as one message payload (a unix_diag_msg and its
// attributes, ParseUnixDiagMessage) and as a whole reply datagram (ParseSockDiagReply for
// Unix), then the socket table's dump-to-dump diff (peer names, closes) and the close events of
// the sockets that vanish from the next dump.
#include <sys/socket.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "bulwark/core/utf8.h"
#include "bulwark/runtime/internal/socket_table.h"
#include "bulwark/runtime/internal/unix_diag.h"

namespace {

using bulwark::runtime::internal::SocketInfo;

void CheckSocket(const SocketInfo& socket) {
  // At most 108 name bytes, each at worst one 3-byte U+FFFD, and an '@'.
  if (socket.family != AF_UNIX || !bulwark::core::IsValidUtf8(socket.path) ||
      socket.path.size() > 1 + 3 * 108) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace internal = bulwark::runtime::internal;
  const absl::Span<const uint8_t> input(data, size);
  constexpr size_t kMaxSockets = 1000;
  std::vector<SocketInfo> sockets;
  (void)internal::ParseSockDiagReply(input, 0, kMaxSockets, sockets);
  if (sockets.size() > kMaxSockets) std::abort();
  absl::StatusOr<SocketInfo> one = internal::ParseUnixDiagMessage(input);
  if (one.ok()) sockets.push_back(*one);
  for (const SocketInfo& socket : sockets) CheckSocket(socket);

  internal::SocketTable table;
  int64_t fd = 3;
  for (const SocketInfo* socket : table.Update(sockets)) table.SetOwner(socket->inode, 1, fd++);
  // The next dump keeps every other socket: the rest are closed.
  std::vector<SocketInfo> kept;
  for (size_t i = 0; i < sockets.size(); i += 2) kept.push_back(sockets[i]);
  table.Update(kept);
  for (const SocketInfo& closed : table.closed_unix()) {
    CheckSocket(closed);
    const SocketInfo* still = table.Find(closed.inode);
    if (still != nullptr && still->cookie == closed.cookie) std::abort();
    const bulwark::runtime::v1::Event event = internal::SocketCloseEvent(closed, table);
    if (event.fd().type() != bulwark::runtime::v1::FD_TYPE_UNIX ||
        event.fd().name() != closed.path || event.socket_destroy().socket_type() != closed.type) {
      std::abort();
    }
    std::string wire;
    if (!event.SerializeToString(&wire)) std::abort();
  }
  table.Update({});
  return 0;
}
