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

absl::Status RunInNetworkNamespace(const std::string& netns_path, uint64_t expected_id,
                                   const std::function<absl::Status()>& work) {
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
  absl::Status result = absl::InternalError("not run");
  std::thread([&] {
    if (setns(netns.get(), CLONE_NEWNET) != 0) {
      result = core::ErrnoToStatus(errno, absl::StrCat("setns(", netns_path, ")"));
      return;
    }
    result = work();
  }).join();
  return result;
}

absl::StatusOr<std::unique_ptr<SockDiag>> OpenSockDiagInNamespace(const std::string& netns_path,
                                                                  uint64_t expected_id) {
  absl::StatusOr<std::unique_ptr<SockDiag>> diag = absl::InternalError("not run");
  const absl::Status entered = RunInNetworkNamespace(netns_path, expected_id, [&] {
    diag = SockDiag::Open();
    return diag.status();
  });
  if (!entered.ok()) return entered;
  return diag;
}

absl::StatusOr<std::unique_ptr<NamespacedSockDiag>> NamespacedSockDiag::Open(std::string proc_root,
                                                                             bool destroy_notices) {
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<SockDiag> own, SockDiag::Open());
  std::unique_ptr<SockDestroyListener> own_destroys;
  if (destroy_notices) {
    BULWARK_ASSIGN_OR_RETURN(own_destroys, SockDestroyListener::Open());
  }
  const uint64_t own_id = NamespaceId("/proc/thread-self/ns/net");
  return std::unique_ptr<NamespacedSockDiag>(new NamespacedSockDiag(
      std::move(proc_root), own_id, std::move(own), std::move(own_destroys)));
}

absl::StatusOr<NamespacedSockDiag::Namespace> NamespacedSockDiag::OpenNamespace(uint64_t id,
                                                                                int64_t pid) const {
  Namespace space;
  const bool destroy_notices = own_destroys_ != nullptr;
  auto open_sockets = [&]() -> absl::Status {
    BULWARK_ASSIGN_OR_RETURN(space.diag, SockDiag::Open());
    if (!destroy_notices) return absl::OkStatus();
    BULWARK_ASSIGN_OR_RETURN(space.destroys, SockDestroyListener::Open());
    return absl::OkStatus();
  };
  BULWARK_RETURN_IF_ERROR(
      RunInNetworkNamespace(absl::StrCat(proc_root_, "/", pid, "/ns/net"), id, open_sockets));
  return space;
}

bool NamespacedSockDiag::DrainNamespace(uint64_t id, Namespace& space, size_t max_sockets,
                                        std::vector<SocketInfo>& out) {
  if (space.destroys == nullptr) return true;
  const size_t first = out.size();
  const absl::Status status = space.destroys->Drain(max_sockets, out);
  for (size_t i = first; i < out.size(); ++i) out[i].netns = id;
  if (!status.ok()) ++failed_;
  return status.ok();
}

absl::Status NamespacedSockDiag::DrainDestroyed(size_t max_sockets, std::vector<SocketInfo>& out) {
  if (own_destroys_ == nullptr) return absl::OkStatus();
  for (SocketInfo& socket : dropped_notices_) {
    if (out.size() >= max_sockets) break;
    out.push_back(std::move(socket));
  }
  dropped_notices_.clear();
  const size_t first = out.size();
  BULWARK_RETURN_IF_ERROR(own_destroys_->Drain(max_sockets, out));
  for (size_t i = first; i < out.size(); ++i) out[i].netns = own_id_;
  for (auto it = others_.begin(); it != others_.end();) {
    if (DrainNamespace(it->first, it->second, max_sockets, out)) {
      ++it;
    } else {
      lost_of_dropped_ += it->second.destroys->lost();
      others_.erase(it++);
    }
  }
  return absl::OkStatus();
}

uint64_t NamespacedSockDiag::lost_destroy_notices() const {
  uint64_t lost = lost_of_dropped_ + (own_destroys_ != nullptr ? own_destroys_->lost() : 0);
  for (const auto& [id, space] : others_) {
    if (space.destroys != nullptr) lost += space.destroys->lost();
  }
  return lost;
}

absl::StatusOr<std::vector<SocketInfo>> NamespacedSockDiag::DumpOwn(size_t max_sockets) {
  BULWARK_ASSIGN_OR_RETURN(std::vector<SocketInfo> sockets, own_->Dump(max_sockets));
  for (SocketInfo& socket : sockets) socket.netns = own_id_;
  return sockets;
}

absl::StatusOr<std::vector<SocketInfo>> NamespacedSockDiag::Dump(size_t max_sockets) {
  BULWARK_ASSIGN_OR_RETURN(std::vector<SocketInfo> sockets, DumpOwn(max_sockets));
  undumped_.clear();
  absl::flat_hash_map<uint64_t, int64_t> namespaces =
      ListNetworkNamespaces(max_sockets, proc_root_);
  namespaces.erase(own_id_);
  for (auto it = others_.begin(); it != others_.end();) {
    if (namespaces.contains(it->first)) {
      ++it;
      continue;
    }
    // The last process left: its sockets were destroyed on the way out, so what the listener
    // heard is kept before it (and with it the namespace) is closed.
    (void)DrainNamespace(it->first, it->second, max_sockets, dropped_notices_);
    if (it->second.destroys != nullptr) lost_of_dropped_ += it->second.destroys->lost();
    others_.erase(it++);
  }
  for (const auto& [id, pid] : namespaces) {
    auto space = others_.find(id);
    if (space == others_.end()) {
      absl::StatusOr<Namespace> opened = OpenNamespace(id, pid);
      if (!opened.ok()) {
        ++failed_;  // The process left, or we may not enter; try again next time.
        undumped_.insert(id);
        continue;
      }
      space = others_.emplace(id, *std::move(opened)).first;
    }
    absl::StatusOr<std::vector<SocketInfo>> dump =
        space->second.diag->Dump(max_sockets - sockets.size());
    if (absl::IsResourceExhausted(dump.status())) {
      return core::LimitExceeded("max_entries", max_sockets, "sock_diag dump of all namespaces");
    }
    if (!dump.ok()) {
      ++failed_;
      undumped_.insert(id);
      others_.erase(space);
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
