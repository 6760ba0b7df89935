#include "bulwark/runtime/internal/sock_diag_netns.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "bulwark/core/file.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/runtime/internal/proc_reader.h"

namespace bulwark::runtime::internal {
namespace {

// The namespace id behind a /proc/<pid>/ns/net link, or 0.
uint64_t NamespaceId(const std::string& path) {
  struct stat info {};
  return stat(path.c_str(), &info) == 0 ? static_cast<uint64_t>(info.st_ino) : 0;
}

// A descriptor closed on scope exit.
class ScopedFd {
 public:
  explicit ScopedFd(int fd) : fd_(fd) {}
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  ~ScopedFd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

absl::flat_hash_map<uint64_t, int64_t> ListNetworkNamespaces(size_t max_namespaces,
                                                             const std::string& proc_root) {
  absl::flat_hash_map<uint64_t, int64_t> namespaces;
  for (int64_t pid : ListProcPids(proc_root)) {
    const uint64_t id = NamespaceId(absl::StrCat(proc_root, "/", pid, "/ns/net"));
    if (id == 0 || namespaces.contains(id)) continue;  // Gone, or a kernel thread.
    if (namespaces.size() >= max_namespaces) break;
    namespaces.emplace(id, pid);
  }
  return namespaces;
}

absl::StatusOr<std::unique_ptr<SockDiag>> OpenSockDiagInNamespace(const std::string& netns_path,
                                                                  uint64_t expected_id) {
  const ScopedFd netns(open(netns_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (netns.get() < 0) return core::ErrnoToStatus(errno, netns_path);
  struct stat info {};
  if (fstat(netns.get(), &info) != 0) return core::ErrnoToStatus(errno, netns_path);
  if (expected_id != 0 && static_cast<uint64_t>(info.st_ino) != expected_id) {
    return absl::FailedPreconditionError(
        absl::StrCat(netns_path, " is namespace ", info.st_ino, ", not ", expected_id));
  }
  // setns changes the network namespace of the calling thread only, and a netlink socket stays
  // in the namespace it was created in: a thread of its own enters, opens, and ends.
  absl::StatusOr<std::unique_ptr<SockDiag>> result = absl::InternalError("not run");
  std::thread([&] {
    if (setns(netns.get(), CLONE_NEWNET) != 0) {
      result = core::ErrnoToStatus(errno, absl::StrCat("setns(", netns_path, ")"));
      return;
    }
    result = SockDiag::Open();
  }).join();
  return result;
}

absl::StatusOr<std::unique_ptr<NamespacedSockDiag>> NamespacedSockDiag::Open(
    std::string proc_root) {
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<SockDiag> own, SockDiag::Open());
  const uint64_t own_id = NamespaceId("/proc/thread-self/ns/net");
  return std::unique_ptr<NamespacedSockDiag>(
      new NamespacedSockDiag(std::move(proc_root), own_id, std::move(own)));
}

absl::StatusOr<std::vector<SocketInfo>> NamespacedSockDiag::DumpOwn(size_t max_sockets) {
  BULWARK_ASSIGN_OR_RETURN(std::vector<SocketInfo> sockets, own_->Dump(max_sockets));
  for (SocketInfo& socket : sockets) socket.netns = own_id_;
  return sockets;
}

absl::StatusOr<std::vector<SocketInfo>> NamespacedSockDiag::Dump(size_t max_sockets) {
  BULWARK_ASSIGN_OR_RETURN(std::vector<SocketInfo> sockets, DumpOwn(max_sockets));
  absl::flat_hash_map<uint64_t, int64_t> namespaces =
      ListNetworkNamespaces(max_sockets, proc_root_);
  namespaces.erase(own_id_);
  absl::erase_if(others_, [&](const auto& entry) { return !namespaces.contains(entry.first); });
  for (const auto& [id, pid] : namespaces) {
    auto diag = others_.find(id);
    if (diag == others_.end()) {
      absl::StatusOr<std::unique_ptr<SockDiag>> opened =
          OpenSockDiagInNamespace(absl::StrCat(proc_root_, "/", pid, "/ns/net"), id);
      if (!opened.ok()) {
        ++failed_;  // The process left, or we may not enter; try again next time.
        continue;
      }
      diag = others_.emplace(id, *std::move(opened)).first;
    }
    absl::StatusOr<std::vector<SocketInfo>> dump = diag->second->Dump(max_sockets - sockets.size());
    if (absl::IsResourceExhausted(dump.status())) {
      return core::LimitExceeded("max_entries", max_sockets, "sock_diag dump of all namespaces");
    }
    if (!dump.ok()) {
      ++failed_;
      others_.erase(diag);
      continue;
    }
    for (SocketInfo& socket : *dump) {
      socket.netns = id;
      sockets.push_back(std::move(socket));
    }
  }
  return sockets;
}

}  // namespace bulwark::runtime::internal
