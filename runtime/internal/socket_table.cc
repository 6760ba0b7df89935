#include "bulwark/runtime/internal/socket_table.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <optional>
#include <utility>

#include "bulwark/runtime/internal/proc_fds.h"

namespace bulwark::runtime::internal {

std::vector<const SocketInfo*> SocketTable::Update(std::vector<SocketInfo> dump) {
  absl::flat_hash_map<uint64_t, size_t> previous = std::move(by_inode_);
  sockets_ = std::move(dump);
  by_inode_.clear();
  listening_.clear();
  std::vector<const SocketInfo*> fresh;
  for (size_t i = 0; i < sockets_.size(); ++i) {
    const SocketInfo& socket = sockets_[i];
    if (socket.state == TCP_LISTEN && socket.protocol == IPPROTO_TCP) {
      listening_.emplace(socket.netns, socket.family, socket.protocol, socket.local_port);
    }
    if (socket.inode == 0) continue;  // TIME_WAIT and orphans belong to nobody.
    by_inode_.emplace(socket.inode, i);
    if (!previous.contains(socket.inode)) fresh.push_back(&socket);
  }
  return fresh;
}

const SocketInfo* SocketTable::Find(uint64_t inode) const {
  auto it = by_inode_.find(inode);
  return it == by_inode_.end() ? nullptr : &sockets_[it->second];
}

bool SocketTable::LocalIsServer(const SocketInfo& socket) const {
  if (socket.state == TCP_LISTEN) return true;
  return socket.protocol == IPPROTO_TCP &&
         listening_.contains(
             std::make_tuple(socket.netns, socket.family, socket.protocol, socket.local_port));
}

std::optional<v1::Event> SocketEvent(const SocketInfo& socket, const SocketTable& table,
                                     int64_t pid, int64_t fd) {
  if (socket.family != AF_INET && socket.family != AF_INET6) return std::nullopt;
  v1::Event event;
  event.set_pid(pid);
  event.set_tid(pid);
  const bool server = table.LocalIsServer(socket);
  DescribeSocket(socket, server, *event.mutable_fd());
  event.mutable_fd()->set_num(fd);
  if (socket.protocol == IPPROTO_TCP) {
    switch (socket.state) {
      case TCP_LISTEN:
        event.set_type(v1::EVENT_TYPE_LISTEN);
        return event;
      case TCP_ESTABLISHED:
      case TCP_SYN_SENT:
      case TCP_SYN_RECV:
        break;
      default:
        return std::nullopt;  // Closing: it was never seen open.
    }
  } else if (socket.remote_port == 0) {
    event.set_type(v1::EVENT_TYPE_BIND);
    return event;
  }
  if (server) {
    event.set_type(v1::EVENT_TYPE_ACCEPT);
    event.set_result(fd);
  } else {
    event.set_type(v1::EVENT_TYPE_CONNECT);
  }
  return event;
}

}  // namespace bulwark::runtime::internal
