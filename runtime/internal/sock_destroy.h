// Socket destruction notices over NETLINK_SOCK_DIAG: the kernel multicasts every TCP and UDP
// socket (IPv4 and IPv6) of a network namespace as it frees it, to the groups
// SKNLGRP_INET{,6}_{TCP,UDP}_DESTROY (linux/sock_diag.h), each as one inet_diag_msg with its
// addresses, ports, state, uid and cookie. The inode is 0 by then (the socket has left its
// file), so the cookie is what ties a notice to a socket seen in an earlier dump.
//   BULWARK_ASSIGN_OR_RETURN(auto destroys, SockDestroyListener::Open());
//   poll on destroys->fd(); then destroys->Drain(max, out);
// The kernel declares these groups NL_CFG_F_NONROOT_RECV: subscribing needs no capability
// (only SOCK_DESTROY, which kills sockets, needs CAP_NET_ADMIN); a refused bind (an LSM) is
// PermissionDenied. A listener hears the network namespace it was opened in
// (sock_diag_netns.h opens one per namespace). Thread safety: one thread per listener.
#ifndef BULWARK_RUNTIME_INTERNAL_SOCK_DESTROY_H_
#define BULWARK_RUNTIME_INTERNAL_SOCK_DESTROY_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "bulwark/runtime/internal/sock_diag.h"

namespace bulwark::runtime::internal {

class SockDestroyListener {
 public:
  // Subscribes to the four destroy groups in the caller's network namespace, non-blocking, with
  // a 4 MiB receive queue when the caller may force it. Errors: the errno of socket/bind
  // (PermissionDenied when refused).
  static absl::StatusOr<std::unique_ptr<SockDestroyListener>> Open();
  ~SockDestroyListener();
  SockDestroyListener(const SockDestroyListener&) = delete;
  SockDestroyListener& operator=(const SockDestroyListener&) = delete;

  // Readable when notices are queued (for poll).
  int fd() const { return fd_; }
  // Appends the notices queued so far to `out` without waiting, until `out` holds
  // `max_sockets`; the rest stay queued. Each SocketInfo has inode 0 and its cookie. Errors:
  // InvalidArgument for a malformed notice, the errno of recv.
  absl::Status Drain(size_t max_sockets, std::vector<SocketInfo>& out);
  // Notices the kernel dropped because the queue was full (ENOBUFS), over every Drain.
  uint64_t lost() const { return lost_; }

 private:
  explicit SockDestroyListener(int fd) : fd_(fd) {}
  int fd_;
  uint64_t lost_ = 0;
};

}  // namespace bulwark::runtime::internal

#endif  // BULWARK_RUNTIME_INTERNAL_SOCK_DESTROY_H_
