// The host's sockets between two sock_diag dumps: which are new since the last dump, which Unix
// sockets are gone since it, which local ports listen, who owns them, and the
// connect/accept/listen/bind event a new socket (or the close event a destroyed one) stands for.
//   SocketTable table;
//   for (const SocketInfo* s : table.Update(*diag->Dump(max))) Emit(SocketEvent(*s, table, ...));
//   for (const SocketInfo& gone : table.closed_unix()) Emit(SocketCloseEvent(gone, table));
//   for (const SocketInfo& gone : destroyed) Emit(SocketCloseEvent(gone, table));
// Thread safety: not thread-safe.
#ifndef BULWARK_RUNTIME_INTERNAL_SOCKET_TABLE_H_
#define BULWARK_RUNTIME_INTERNAL_SOCKET_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "bulwark/runtime/event.pb.h"
#include "bulwark/runtime/internal/sock_diag.h"

namespace bulwark::runtime::internal {

class SocketTable {
 public:
  // What the dumps said about an inet socket, kept by its kernel cookie.
  struct Remembered {
    uint64_t inode = 0;
    bool local_is_server = false;  // It listened, or was accepted from a listening port.
    uint64_t last_dump = 0;        // The Update that last listed it.
  };

  // `max_sockets` caps the sockets kept from namespaces a dump missed (see Update); the dump
  // itself is the caller's to cap (SockDiag::Dump's max_sockets).
  explicit SocketTable(size_t max_sockets = SIZE_MAX) : max_sockets_(max_sockets) {}

  // Replaces the known sockets with `dump`; returns the sockets (with an inode) that the
  // previous dump did not have (or had with another cookie: the inode was reused), in dump
  // order. Valid until the next Update. A socket orphaned since the previous dump (closed, its
  // TCP shutdown still running; inode 0 now) keeps the inode it had. Inet sockets are remembered
  // by cookie one dump longer than they are listed (a socket destroyed just before a dump is
  // heard of after it). Unix sockets of the previous dump missing from this one are closed:
  // closed_unix() lists them until the next Update. Sockets of the previous dump in a network
  // namespace of `undumped_namespaces` (one that exists but whose dump failed) are kept as
  // they were, neither closed nor new, while the table holds fewer than max_sockets (beyond,
  // they are forgotten, not closed). Owners of sockets no longer listed, remembered or just
  // closed are forgotten. An unnamed Unix socket whose peer is in the dump takes the peer's path
  // (a client waiting for accept: its listener's).
  std::vector<const SocketInfo*> Update(
      std::vector<SocketInfo> dump, const absl::flat_hash_set<uint64_t>& undumped_namespaces = {});
  // The Unix sockets the last Update found closed (listed by the dump before, not by it), with
  // what that dump said of them. Valid until the next Update.
  const std::vector<SocketInfo>& closed_unix() const { return closed_unix_; }
  // The socket with `inode` in the last dump, or nullptr.
  const SocketInfo* Find(uint64_t inode) const;
  // The inet socket with kernel cookie `cookie` (non-zero) listed by the last dump or the one
  // before, or nullptr. Valid until the next Update.
  const Remembered* FindByCookie(uint64_t cookie) const;
  // Records that descriptor `fd` of `pid` holds socket `inode`.
  void SetOwner(uint64_t inode, int64_t pid, int64_t fd);
  // (pid, fd) recorded for `inode`, or nullptr.
  const std::pair<int64_t, int64_t>* Owner(uint64_t inode) const;
  // Whether the local end of `socket` is a server: it listens, or a listening socket of the same
  // network namespace, family and protocol has its local port (an accepted connection).
  bool LocalIsServer(const SocketInfo& socket) const;
  size_t size() const { return sockets_.size(); }

 private:
  size_t max_sockets_;
  std::vector<SocketInfo> sockets_;
  std::vector<SocketInfo> closed_unix_;
  absl::flat_hash_map<uint64_t, size_t> by_inode_;
  uint64_t dumps_ = 0;
  absl::flat_hash_map<uint64_t, Remembered> by_cookie_;
  absl::flat_hash_map<uint64_t, std::pair<int64_t, int64_t>> owners_;  // inode -> (pid, fd).
  // netns, family, protocol, port: a port listens in one network namespace only.
  absl::flat_hash_set<std::tuple<uint64_t, int, int, uint16_t>> listening_;
};

// The event a newly seen inet socket stands for, owned by descriptor `fd` of `pid`: listen (TCP
// LISTEN), accept (a connection to a local listening port; result = fd), connect (TCP or
// connected UDP to a peer), bind (unconnected UDP). The event's fd carries the tuple.
// nullopt for Unix sockets and TCP sockets that are closing.
std::optional<v1::Event> SocketEvent(const SocketInfo& socket, const SocketTable& table,
                                     int64_t pid, int64_t fd);

// The close event of a socket the kernel destroyed: an inet socket from a SockDestroyListener
// (tuple, state, uid, cookie, netns; no inode), or a Unix socket from table.closed_unix() (path,
// type, state, uid, cookie, netns, inode). EVENT_TYPE_CLOSE with the tuple (Unix: the path) in fd
// and a SocketDestroy. When the table knows the socket (inet: by its cookie; Unix: closed_unix
// carries its inode), fd.inode is its inode and, when its owner was recorded, pid/tid and fd.num
// name the owner (owner_known); otherwise pid 0 and fd.num -1.
v1::Event SocketCloseEvent(const SocketInfo& destroyed, const SocketTable& table);

}  // namespace bulwark::runtime::internal

#endif  // BULWARK_RUNTIME_INTERNAL_SOCKET_TABLE_H_
