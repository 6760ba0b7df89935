#include "bulwark/runtime/internal/socket_table.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <optional>
#include <utility>

#include "bulwark/runtime/internal/proc_fds.h"

namespace bulwark::runtime::internal {

std::vector<const SocketInfo*> SocketTable::Update(
    std::vector<SocketInfo> dump, const absl::flat_hash_set<uint64_t>& undumped_namespaces) {
  std::vector<SocketInfo> previous = std::move(sockets_);
  const absl::flat_hash_map<uint64_t, size_t> previous_by_inode = std::move(by_inode_);
  sockets_ = std::move(dump);
  if (!undumped_namespaces.empty()) {
    for (SocketInfo& socket : previous) {
      if (sockets_.size() >= max_sockets_) break;
      if (undumped_namespaces.contains(socket.netns)) sockets_.push_back(std::move(socket));
    }
  }
  by_inode_.clear();
  listening_.clear();
  ++dumps_;
  for (const SocketInfo& socket : sockets_) {
    if (socket.state == TCP_LISTEN && socket.protocol == IPPROTO_TCP) {
      listening_.emplace(socket.netns, socket.family, socket.protocol, socket.local_port);
    }
  }
  std::vector<const SocketInfo*> fresh;
  for (size_t i = 0; i < sockets_.size(); ++i) {
    SocketInfo& socket = sockets_[i];
    if (socket.cookie != 0 && socket.family != AF_UNIX) {
      Remembered& remembered = by_cookie_[socket.cookie];
      if (socket.inode == 0) socket.inode = remembered.inode;  // Orphaned since.
      remembered.inode = socket.inode;
      remembered.local_is_server |= LocalIsServer(socket);
      remembered.last_dump = dumps_;
    }
    if (socket.inode == 0) continue;  // TIME_WAIT and orphans belong to nobody.
    by_inode_.emplace(socket.inode, i);
    auto before = previous_by_inode.find(socket.inode);
    if (before == previous_by_inode.end() || previous[before->second].cookie != socket.cookie) {
      fresh.push_back(&socket);
    } else if (socket.family == AF_UNIX && socket.path.empty()) {
      // A client whose peer has closed no longer names it; it keeps the name it had.
      socket.path = previous[before->second].path;
    }
  }
  // A client waiting for accept has no listed peer yet; its listener lists it as pending.
  absl::flat_hash_map<uint64_t, size_t> listener_of_pending;
  for (size_t i = 0; i < sockets_.size(); ++i) {
    for (uint64_t client : sockets_[i].pending_clients) listener_of_pending.emplace(client, i);
  }
  for (SocketInfo& socket : sockets_) {
    if (socket.family != AF_UNIX || !socket.path.empty()) continue;
    if (auto peer = by_inode_.find(socket.peer_inode);
        socket.peer_inode != 0 && peer != by_inode_.end()) {
      socket.path = sockets_[peer->second].path;
    } else if (auto listener = listener_of_pending.find(socket.inode);
               listener != listener_of_pending.end()) {
      socket.path = sockets_[listener->second].path;
    }
  }
  closed_unix_.clear();
  absl::flat_hash_set<uint64_t> closed_inodes;
  for (SocketInfo& socket : previous) {
    if (socket.family != AF_UNIX || socket.inode == 0) continue;
    if (undumped_namespaces.contains(socket.netns)) continue;  // Kept, or beyond max_sockets.
    auto now = by_inode_.find(socket.inode);
    if (now != by_inode_.end() && sockets_[now->second].cookie == socket.cookie) continue;
    closed_inodes.insert(socket.inode);
    closed_unix_.push_back(std::move(socket));
  }
  absl::flat_hash_set<uint64_t> remembered_inodes;
  absl::erase_if(by_cookie_, [&](const auto& entry) {
    if (entry.second.last_dump + 1 < dumps_) return true;
    remembered_inodes.insert(entry.second.inode);
    return false;
  });
  absl::erase_if(owners_, [&](const auto& owner) {
    return !by_inode_.contains(owner.first) && !remembered_inodes.contains(owner.first) &&
           !closed_inodes.contains(owner.first);
  });
  return fresh;
}

const SocketTable::Remembered* SocketTable::FindByCookie(uint64_t cookie) const {
  auto it = by_cookie_.find(cookie);
  return cookie == 0 || it == by_cookie_.end() ? nullptr : &it->second;
}

void SocketTable::SetOwner(uint64_t inode, int64_t pid, int64_t fd) {
  owners_[inode] = std::make_pair(pid, fd);
}

const std::pair<int64_t, int64_t>* SocketTable::Owner(uint64_t inode) const {
  auto it = owners_.find(inode);
  return it == owners_.end() ? nullptr : &it->second;
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

v1::Event SocketCloseEvent(const SocketInfo& destroyed, const SocketTable& table) {
  v1::Event event;
  event.set_type(v1::EVENT_TYPE_CLOSE);
  SocketInfo described = destroyed;
  const bool unix_socket = destroyed.family == AF_UNIX;
  // Unix sockets come from the table's own diff, inode included; an inet notice has none.
  const SocketTable::Remembered* known =
      unix_socket ? nullptr : table.FindByCookie(destroyed.cookie);
  // A closed listener is in state CLOSE by now, and an accepted connection's listener may be
  // gone: the dumps that saw them open know which end served.
  const bool server = known != nullptr ? known->local_is_server : table.LocalIsServer(destroyed);
  if (!unix_socket) described.inode = known != nullptr ? known->inode : 0;
  v1::FileDescriptor* fd = event.mutable_fd();
  DescribeSocket(described, server, *fd);
  fd->set_num(-1);
  v1::SocketDestroy* destroy = event.mutable_socket_destroy();
  destroy->set_cookie(destroyed.cookie);
  destroy->set_state(static_cast<uint32_t>(destroyed.state));
  destroy->set_uid(destroyed.uid);
  destroy->set_netns(destroyed.netns);
  destroy->set_socket_type(unix_socket                         ? destroyed.type
                           : destroyed.protocol == IPPROTO_TCP ? SOCK_STREAM
                                                               : SOCK_DGRAM);
  const std::pair<int64_t, int64_t>* owner =
      described.inode != 0 ? table.Owner(described.inode) : nullptr;
  if (owner != nullptr) {
    event.set_pid(owner->first);
    event.set_tid(owner->first);
    fd->set_num(owner->second);
    destroy->set_owner_known(true);
  }
  return event;
}

}  // namespace bulwark::runtime::internal
