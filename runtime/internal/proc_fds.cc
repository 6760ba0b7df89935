#include "bulwark/runtime/internal/proc_fds.h"

#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "bulwark/runtime/internal/proc_reader.h"

namespace bulwark::runtime::internal {
namespace {

// Falco's fd types of the anonymous inodes the kernel names "anon_inode:<name>".
struct AnonInodeKind {
  absl::string_view name;
  v1::FdType type;
};
constexpr std::array<AnonInodeKind, 8> kAnonInodes = {{
    {"[eventfd]", v1::FD_TYPE_EVENT},
    {"[eventpoll]", v1::FD_TYPE_EVENTPOLL},
    {"inotify", v1::FD_TYPE_INOTIFY},
    {"[signalfd]", v1::FD_TYPE_SIGNALFD},
    {"[timerfd]", v1::FD_TYPE_TIMERFD},
    {"[userfaultfd]", v1::FD_TYPE_USERFAULTFD},
    {"[io_uring]", v1::FD_TYPE_IO_URING},
    {"bpf-", v1::FD_TYPE_BPF},
}};

// The inode in "socket:[123]" / "pipe:[456]" after `prefix`, or 0.
uint64_t BracketedInode(absl::string_view target, absl::string_view prefix) {
  if (!absl::ConsumePrefix(&target, prefix) || !absl::ConsumePrefix(&target, "[") ||
      !absl::ConsumeSuffix(&target, "]")) {
    return 0;
  }
  uint64_t inode = 0;
  return absl::SimpleAtoi(target, &inode) ? inode : 0;
}

// Calls `visit(num, target)` for each descriptor link of `pid`, at most `*budget` in all.
// Returns false when the process's fd directory cannot be opened.
template <typename Visit>
bool ForEachFdLink(const std::string& proc_root, int64_t pid, size_t* budget, Visit&& visit) {
  const std::string dir_path = absl::StrCat(proc_root, "/", pid, "/fd");
  DIR* dir = opendir(dir_path.c_str());
  if (dir == nullptr) return false;
  char target[4096];
  while (*budget > 0) {
    dirent* entry = readdir(dir);
    if (entry == nullptr) break;
    int64_t num = 0;
    if (!absl::SimpleAtoi(entry->d_name, &num)) continue;
    const ssize_t n = readlinkat(dirfd(dir), entry->d_name, target, sizeof(target));
    if (n <= 0) continue;  // Closed meanwhile.
    --*budget;
    visit(num, absl::string_view(target, static_cast<size_t>(n)));
  }
  closedir(dir);
  return true;
}

}  // namespace

v1::FileDescriptor DescribeFdLink(int64_t num, absl::string_view target) {
  v1::FileDescriptor fd;
  fd.set_num(num);
  if (uint64_t inode = BracketedInode(target, "socket:")) {
    fd.set_inode(inode);
    fd.set_name(std::string(target));
    return fd;
  }
  if (uint64_t inode = BracketedInode(target, "pipe:")) {
    fd.set_type(v1::FD_TYPE_PIPE);
    fd.set_inode(inode);
    return fd;
  }
  if (absl::string_view anon = target; absl::ConsumePrefix(&anon, "anon_inode:")) {
    for (const AnonInodeKind& kind : kAnonInodes) {
      if (absl::StartsWith(anon, kind.name)) fd.set_type(kind.type);
    }
    return fd;
  }
  if (absl::string_view memfd = target; absl::ConsumePrefix(&memfd, "/memfd:")) {
    absl::ConsumeSuffix(&memfd, " (deleted)");
    fd.set_type(v1::FD_TYPE_MEMFD);
    fd.set_name(absl::StrCat("memfd:", memfd));
    return fd;
  }
  if (absl::StartsWith(target, "/")) {
    fd.set_type(v1::FD_TYPE_FILE);
    fd.set_name(std::string(target));
  }
  return fd;
}

void DescribeSocket(const SocketInfo& socket, bool local_is_server, v1::FileDescriptor& fd) {
  fd.set_family(socket.family);
  fd.set_inode(socket.inode);
  if (socket.family == AF_UNIX) {
    fd.set_type(v1::FD_TYPE_UNIX);
    fd.set_name(socket.path);
    return;
  }
  fd.clear_name();  // fd.name is the tuple, built from the addresses.
  fd.set_type(socket.family == AF_INET6 ? v1::FD_TYPE_IPV6 : v1::FD_TYPE_IPV4);
  fd.set_l4proto(socket.protocol == IPPROTO_TCP ? "tcp" : "udp");
  fd.set_local_is_server(local_is_server);
  fd.set_connected(socket.remote_port != 0);
  const bool has_peer = socket.remote_port != 0;
  if (local_is_server || !has_peer) {
    fd.set_server_ip(socket.local_ip);
    fd.set_server_port(socket.local_port);
    if (has_peer) {
      fd.set_client_ip(socket.remote_ip);
      fd.set_client_port(socket.remote_port);
    }
  } else {
    fd.set_client_ip(socket.local_ip);
    fd.set_client_port(socket.local_port);
    fd.set_server_ip(socket.remote_ip);
    fd.set_server_port(socket.remote_port);
  }
}

absl::StatusOr<std::vector<v1::FileDescriptor>> ReadProcFds(int64_t pid, size_t max_fds,
                                                            const std::string& proc_root) {
  std::vector<v1::FileDescriptor> fds;
  size_t budget = max_fds;
  const bool found = ForEachFdLink(proc_root, pid, &budget, [&](int64_t num, absl::string_view t) {
    fds.push_back(DescribeFdLink(num, t));
  });
  if (!found) return absl::NotFoundError(absl::StrCat(proc_root, "/", pid, "/fd: unreadable"));
  // Directories look like files in the link; stat tells them apart.
  for (v1::FileDescriptor& fd : fds) {
    if (fd.type() != v1::FD_TYPE_FILE) continue;
    struct stat info {};
    const std::string link = absl::StrCat(proc_root, "/", pid, "/fd/", fd.num());
    if (stat(link.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) {
      fd.set_type(v1::FD_TYPE_DIRECTORY);
    }
  }
  return fds;
}

absl::flat_hash_map<uint64_t, std::pair<int64_t, int64_t>> ScanSocketOwners(
    size_t max_fds, const std::string& proc_root) {
  absl::flat_hash_map<uint64_t, std::pair<int64_t, int64_t>> owners;
  size_t budget = max_fds;
  for (int64_t pid : ListProcPids(proc_root)) {
    if (budget == 0) break;
    ForEachFdLink(proc_root, pid, &budget, [&](int64_t num, absl::string_view target) {
      if (uint64_t inode = BracketedInode(target, "socket:")) {
        owners.try_emplace(inode, pid, num);
      }
    });
  }
  return owners;
}

}  // namespace bulwark::runtime::internal
