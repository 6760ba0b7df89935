// Open descriptors of processes from /proc/<pid>/fd: what each refers to (a path, a socket, a
// pipe, an anonymous inode), and which process owns each socket inode. Thread safety: pure
// functions (they read /proc).
#ifndef BULWARK_RUNTIME_INTERNAL_PROC_FDS_H_
#define BULWARK_RUNTIME_INTERNAL_PROC_FDS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/runtime/event.pb.h"
#include "bulwark/runtime/internal/sock_diag.h"

namespace bulwark::runtime::internal {

// Descriptor `num` whose /proc/<pid>/fd link reads `target` ("/etc/passwd", "socket:[123]",
// "pipe:[456]", "anon_inode:[eventfd]", "/memfd:x (deleted)"). Sockets get only their inode.
v1::FileDescriptor DescribeFdLink(int64_t num, absl::string_view target);

// Fills a socket descriptor's type, family, protocol and address tuple (or Unix path) from the
// kernel's diagnostics. `local_is_server`: the local end listens or accepted the connection.
void DescribeSocket(const SocketInfo& socket, bool local_is_server, v1::FileDescriptor& fd);

// Every open descriptor of `pid`, at most `max_fds` (lowest numbers first is not guaranteed).
// NotFound when the process is gone; descriptors closed while reading are skipped.
absl::StatusOr<std::vector<v1::FileDescriptor>> ReadProcFds(int64_t pid, size_t max_fds,
                                                            const std::string& proc_root = "/proc");

// Socket inode -> (pid, fd) over every process, reading at most `max_fds` links in all. A
// socket shared by several processes maps to the first one found.
absl::flat_hash_map<uint64_t, std::pair<int64_t, int64_t>> ScanSocketOwners(
    size_t max_fds, const std::string& proc_root = "/proc");

}  // namespace bulwark::runtime::internal

#endif  // BULWARK_RUNTIME_INTERNAL_PROC_FDS_H_
