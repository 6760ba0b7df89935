// Socket dumps of every network namespace that processes live in, not only the caller's: a
// NETLINK_SOCK_DIAG socket answers for the namespace it was created in, so one is opened inside
// each namespace (on a short-lived thread that setns()es into it, leaving the caller's threads
// where they are) and kept while some process still lives there. Socket inodes are unique
// across namespaces, so the dumps merge into one table that /proc/<pid>/fd links index.
//   BULWARK_ASSIGN_OR_RETURN(auto diag, NamespacedSockDiag::Open());
//   BULWARK_ASSIGN_OR_RETURN(std::vector<SocketInfo> all, diag->Dump(limits.max_entries));
// Needs CAP_SYS_ADMIN to enter other namespaces; without it they are counted as failed and only
// the caller's namespace is dumped. Thread safety: one thread per NamespacedSockDiag.
#ifndef BULWARK_RUNTIME_INTERNAL_SOCK_DIAG_NETNS_H_
#define BULWARK_RUNTIME_INTERNAL_SOCK_DIAG_NETNS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "bulwark/runtime/internal/sock_diag.h"

namespace bulwark::runtime::internal {

// Network namespace id (the inode of /proc/<pid>/ns/net) -> one pid living in it, over every
// process of `proc_root`, at most `max_namespaces` namespaces.
absl::flat_hash_map<uint64_t, int64_t> ListNetworkNamespaces(
    size_t max_namespaces, const std::string& proc_root = "/proc");

// A SockDiag whose netlink socket lives in the network namespace `netns_path` names (e.g.
// /proc/<pid>/ns/net). `expected_id` (0: any) must be that namespace's id, which guards against
// the pid having been reused since it was listed. Errors: the errno of open/setns/socket,
// FailedPrecondition when the namespace is another one.
absl::StatusOr<std::unique_ptr<SockDiag>> OpenSockDiagInNamespace(const std::string& netns_path,
                                                                  uint64_t expected_id);

class NamespacedSockDiag {
 public:
  // Opens the dump socket of the caller's own namespace. Errors: what SockDiag::Open reports.
  static absl::StatusOr<std::unique_ptr<NamespacedSockDiag>> Open(std::string proc_root = "/proc");

  // The sockets of the caller's namespace (its errors are returned) and of every other network
  // namespace a process is in (a namespace that cannot be entered or dumped is skipped and
  // counted in failed_namespaces()). Each SocketInfo has its netns id. At most `max_sockets`
  // sockets in all (ResourceExhausted beyond) and as many namespaces.
  absl::StatusOr<std::vector<SocketInfo>> Dump(size_t max_sockets);
  // The sockets of the caller's namespace only.
  absl::StatusOr<std::vector<SocketInfo>> DumpOwn(size_t max_sockets);

  uint64_t own_namespace() const { return own_id_; }
  // Namespaces other than the caller's dumped by the last Dump.
  size_t other_namespaces() const { return others_.size(); }
  // Times a namespace could not be entered or dumped, over every Dump.
  uint64_t failed_namespaces() const { return failed_; }

 private:
  NamespacedSockDiag(std::string proc_root, uint64_t own_id, std::unique_ptr<SockDiag> own)
      : proc_root_(std::move(proc_root)), own_id_(own_id), own_(std::move(own)) {}

  std::string proc_root_;
  uint64_t own_id_;
  std::unique_ptr<SockDiag> own_;
  // Open sockets of other namespaces; each keeps its namespace alive, so namespaces no process
  // is in any more are dropped at the next Dump.
  absl::flat_hash_map<uint64_t, std::unique_ptr<SockDiag>> others_;
  uint64_t failed_ = 0;
};

}  // namespace bulwark::runtime::internal

#endif  // BULWARK_RUNTIME_INTERNAL_SOCK_DIAG_NETNS_H_
