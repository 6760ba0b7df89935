// The host's sockets between two sock_diag dumps: which are new since the last dump, which
// local ports listen, and the connect/accept/listen/bind event a new socket stands for.
//   SocketTable table;
//   for (const SocketInfo* s : table.Update(*diag->Dump(max))) Emit(SocketEvent(*s, table, ...));
// Thread safety: not thread-safe.
#ifndef BULWARK_RUNTIME_INTERNAL_SOCKET_TABLE_H_
#define BULWARK_RUNTIME_INTERNAL_SOCKET_TABLE_H_

#include <cstdint>
#include <optional>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "bulwark/runtime/event.pb.h"
#include "bulwark/runtime/internal/sock_diag.h"

namespace bulwark::runtime::internal {

class SocketTable {
 public:
  // Replaces the known sockets with `dump`; returns the sockets (with an inode) that the
  // previous dump did not have, in dump order. Valid until the next Update.
  std::vector<const SocketInfo*> Update(std::vector<SocketInfo> dump);
  // The socket with `inode` in the last dump, or nullptr.
  const SocketInfo* Find(uint64_t inode) const;
  // Whether the local end of `socket` is a server: it listens, or a listening socket of the same
  // network namespace, family and protocol has its local port (an accepted connection).
  bool LocalIsServer(const SocketInfo& socket) const;
  size_t size() const { return sockets_.size(); }

 private:
  std::vector<SocketInfo> sockets_;
  absl::flat_hash_map<uint64_t, size_t> by_inode_;
  // netns, family, protocol, port: a port listens in one network namespace only.
  absl::flat_hash_set<std::tuple<uint64_t, int, int, uint16_t>> listening_;
};

// The event a newly seen inet socket stands for, owned by descriptor `fd` of `pid`: listen (TCP
// LISTEN), accept (a connection to a local listening port; result = fd), connect (TCP or
// connected UDP to a peer), bind (unconnected UDP). The event's fd carries the tuple.
// nullopt for Unix sockets and TCP sockets that are closing.
std::optional<v1::Event> SocketEvent(const SocketInfo& socket, const SocketTable& table,
                                     int64_t pid, int64_t fd);

}  // namespace bulwark::runtime::internal

#endif  // BULWARK_RUNTIME_INTERNAL_SOCKET_TABLE_H_
