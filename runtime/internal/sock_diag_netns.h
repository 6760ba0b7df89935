// Socket dumps of every network namespace that processes live in, not only the caller's: a
// NETLINK_SOCK_DIAG socket answers for the namespace it was created in, so one is opened inside
// each namespace (on a short-lived thread that setns()es into it, leaving the caller's threads
// where they are) and kept while some process still lives there. Socket inodes are unique
// across namespaces, so the dumps merge into one table that /proc/<pid>/fd links index.
//   BULWARK_ASSIGN_OR_RETURN(auto diag, NamespacedSockDiag::Open());
//   BULWARK_ASSIGN_OR_RETURN(std::vector<SocketInfo> all, diag->Dump(limits.max_entries));
// With destroy notices on, a SockDestroyListener is opened next to each dump socket (the kernel
// multicasts a socket's destruction in the socket's own namespace only) and DrainDestroyed
// collects them all. Needs CAP_SYS_ADMIN to enter other namespaces; without it they are counted
// as failed and only the caller's namespace is dumped and heard. Thread safety: one thread per
// NamespacedSockDiag.
#ifndef BULWARK_RUNTIME_INTERNAL_SOCK_DIAG_NETNS_H_
#define BULWARK_RUNTIME_INTERNAL_SOCK_DIAG_NETNS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "bulwark/runtime/internal/sock_destroy.h"
#include "bulwark/runtime/internal/sock_diag.h"

namespace bulwark::runtime::internal {

// Network namespace id (the inode of /proc/<pid>/ns/net) -> one pid living in it, over every
// process of `proc_root`, at most `max_namespaces` namespaces.
absl::flat_hash_map<uint64_t, int64_t> ListNetworkNamespaces(
    size_t max_namespaces, const std::string& proc_root = "/proc");

// Runs `work` on a short-lived thread inside the network namespace `netns_path` names (e.g.
// /proc/<pid>/ns/net; only that thread moves), after checking that it is namespace `expected_id`
// (0: any). Returns work's status, or the errno of open/setns, FailedPrecondition when the
// namespace is another one.
absl::Status RunInNetworkNamespace(const std::string& netns_path, uint64_t expected_id,
                                   const std::function<absl::Status()>& work);

// A SockDiag whose netlink socket lives in the network namespace `netns_path` names (e.g.
// /proc/<pid>/ns/net). `expected_id` (0: any) must be that namespace's id, which guards against
// the pid having been reused since it was listed. Errors: the errno of open/setns/socket,
// FailedPrecondition when the namespace is another one.
absl::StatusOr<std::unique_ptr<SockDiag>> OpenSockDiagInNamespace(const std::string& netns_path,
                                                                  uint64_t expected_id);

class NamespacedSockDiag {
 public:
  // Opens the dump socket of the caller's own namespace and, with `destroy_notices`, its
  // destroy listener. Errors: what SockDiag::Open and SockDestroyListener::Open report.
  static absl::StatusOr<std::unique_ptr<NamespacedSockDiag>> Open(std::string proc_root = "/proc",
                                                                  bool destroy_notices = false);

  // The sockets of the caller's namespace (its errors are returned) and of every other network
  // namespace a process is in (a namespace that cannot be entered or dumped is skipped and
  // counted in failed_namespaces()). Each SocketInfo has its netns id. At most `max_sockets`
  // sockets in all (ResourceExhausted beyond) and as many namespaces.
  absl::StatusOr<std::vector<SocketInfo>> Dump(size_t max_sockets);
  // The sockets of the caller's namespace only.
  absl::StatusOr<std::vector<SocketInfo>> DumpOwn(size_t max_sockets);

  // With destroy notices: the sockets destroyed since the last call in the caller's namespace
  // and in every other namespace a Dump has opened (including namespaces a Dump has since
  // dropped, drained before closing), each with its netns id, at most `max_sockets` (the rest
  // stay queued). Errors: those of the caller's namespace's listener; another namespace's
  // failure is counted in failed_namespaces() and its listener closed.
  absl::Status DrainDestroyed(size_t max_sockets, std::vector<SocketInfo>& out);
  // The caller's namespace's destroy listener, readable when notices are queued; -1 without
  // destroy notices.
  int destroy_fd() const { return own_destroys_ != nullptr ? own_destroys_->fd() : -1; }
  // Destroy notices the kernel dropped because a listener's queue was full.
  uint64_t lost_destroy_notices() const;

  uint64_t own_namespace() const { return own_id_; }
  // Namespaces other than the caller's dumped by the last Dump.
  size_t other_namespaces() const { return others_.size(); }
  // Times a namespace could not be entered or dumped, over every Dump.
  uint64_t failed_namespaces() const { return failed_; }
  // The namespaces the last Dump found processes in but could not enter or dump: their sockets
  // are unknown this time, not gone (SocketTable::Update keeps them).
  const absl::flat_hash_set<uint64_t>& undumped_namespaces() const { return undumped_; }

 private:
  // The netlink sockets opened inside one other namespace.
  struct Namespace {
    std::unique_ptr<SockDiag> diag;
    std::unique_ptr<SockDestroyListener> destroys;  // Null without destroy notices.
  };

  NamespacedSockDiag(std::string proc_root, uint64_t own_id, std::unique_ptr<SockDiag> own,
                     std::unique_ptr<SockDestroyListener> own_destroys)
      : proc_root_(std::move(proc_root)),
        own_id_(own_id),
        own_(std::move(own)),
        own_destroys_(std::move(own_destroys)) {}
  absl::StatusOr<Namespace> OpenNamespace(uint64_t id, int64_t pid) const;
  // Drains the listener of namespace `id` into `out` with that id; false on failure (counted).
  bool DrainNamespace(uint64_t id, Namespace& space, size_t max_sockets,
                      std::vector<SocketInfo>& out);

  std::string proc_root_;
  uint64_t own_id_;
  std::unique_ptr<SockDiag> own_;
  std::unique_ptr<SockDestroyListener> own_destroys_;
  // Open sockets of other namespaces; each keeps its namespace alive, so namespaces no process
  // is in any more are dropped at the next Dump.
  absl::flat_hash_map<uint64_t, Namespace> others_;
  // Notices drained from the listeners of dropped namespaces, handed out by DrainDestroyed.
  std::vector<SocketInfo> dropped_notices_;
  uint64_t lost_of_dropped_ = 0;
  uint64_t failed_ = 0;
  absl::flat_hash_set<uint64_t> undumped_;
};

}  // namespace bulwark::runtime::internal

#endif  // BULWARK_RUNTIME_INTERNAL_SOCK_DIAG_NETNS_H_
