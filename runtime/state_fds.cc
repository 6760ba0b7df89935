// RuntimeState's file-descriptor table and namespace bookkeeping: which descriptor an event
// opens, duplicates, closes or acts on, and the host's namespace ids.
#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/runtime/namespaces.h"
#include "bulwark/runtime/state.h"

namespace bulwark::runtime {
namespace {

// Whether `fd` says what the descriptor is, beyond its number.
bool HasContent(const v1::FileDescriptor& fd) {
  return fd.type() != v1::FD_TYPE_UNSPECIFIED || !fd.name().empty() || !fd.client_ip().empty() ||
         !fd.server_ip().empty();
}

// Falco's fd type of a socket(2) domain.
v1::FdType SocketFdType(int domain) {
  switch (domain) {
    case AF_INET:
      return v1::FD_TYPE_IPV4;
    case AF_INET6:
      return v1::FD_TYPE_IPV6;
    case AF_UNIX:
      return v1::FD_TYPE_UNIX;
    case AF_NETLINK:
      return v1::FD_TYPE_NETLINK;
    case AF_PACKET:
      return v1::FD_TYPE_PACKET;
    default:
      return v1::FD_TYPE_UNSPECIFIED;
  }
}

std::string L4Proto(int domain, int type) {
  if (domain != AF_INET && domain != AF_INET6) return "";
  switch (type & 0xf) {
    case SOCK_STREAM:
      return "tcp";
    case SOCK_DGRAM:
      return "udp";
    case SOCK_RAW:
      return "raw";
    default:
      return "";
  }
}

// The descriptor number an event acts on (not the one it creates), or -1.
int64_t ActedOnFd(const v1::Event& event) {
  if (event.has_file() && (event.file().fd() != 0 || !event.has_fd())) {
    switch (event.type()) {
      case v1::EVENT_TYPE_WRITE:
      case v1::EVENT_TYPE_READ:
      case v1::EVENT_TYPE_CLOSE:
      case v1::EVENT_TYPE_DUP:
      case v1::EVENT_TYPE_DUP2:
      case v1::EVENT_TYPE_DUP3:
      case v1::EVENT_TYPE_FCHMOD:
      case v1::EVENT_TYPE_FCHOWN:
      case v1::EVENT_TYPE_FTRUNCATE:
      case v1::EVENT_TYPE_IOCTL:
      case v1::EVENT_TYPE_FSTAT:
      case v1::EVENT_TYPE_FCNTL:
      case v1::EVENT_TYPE_MMAP:
        return event.file().fd();
      default:
        break;
    }
  }
  if (event.has_namespace_op()) return event.namespace_op().fd();
  if (event.has_module() && event.type() == v1::EVENT_TYPE_FINIT_MODULE) {
    return event.module().fd();
  }
  if (event.has_fd()) return event.fd().num();
  return -1;
}

// The absolute path an open of `path` names: relative paths resolve against the directory
// descriptor or the process's working directory, when known.
std::string ResolvePath(const std::string& path, int64_t dirfd, const FdTable& fds, int64_t pid,
                        const ProcessInfo* info) {
  if (path.empty() || path[0] == '/') return path;
  std::string base;
  if (dirfd == AT_FDCWD || dirfd == 0) {
    if (info != nullptr) base = info->process.cwd();
  } else if (const v1::FileDescriptor* dir = fds.Find(pid, dirfd)) {
    base = dir->name();
  }
  if (base.empty()) return path;
  return absl::EndsWith(base, "/") ? absl::StrCat(base, path) : absl::StrCat(base, "/", path);
}

// Whether a successful call of `type` creates a descriptor (see CreatedFd).
bool CreatesFd(v1::EventType type) {
  switch (type) {
    case v1::EVENT_TYPE_OPEN:
    case v1::EVENT_TYPE_OPENAT:
    case v1::EVENT_TYPE_OPENAT2:
    case v1::EVENT_TYPE_CREAT:
    case v1::EVENT_TYPE_SOCKET:
    case v1::EVENT_TYPE_ACCEPT:
    case v1::EVENT_TYPE_ACCEPT4:
    case v1::EVENT_TYPE_MEMFD_CREATE:
    case v1::EVENT_TYPE_USERFAULTFD:
      return true;
    default:
      return false;
  }
}

// The descriptor a successful call creates (open, socket, accept, memfd_create, userfaultfd),
// or false when the event creates none.
// `out` is overwritten (a reused scratch message).
bool CreatedFd(const v1::Event& event, const FdTable& fds, const ProcessInfo* info,
               v1::FileDescriptor& out) {
  if (event.result() < 0 || !CreatesFd(event.type())) return false;
  if (HasContent(event.fd())) {
    out = event.fd();
  } else {
    out.Clear();
  }
  out.set_num(event.result());
  switch (event.type()) {
    case v1::EVENT_TYPE_OPEN:
    case v1::EVENT_TYPE_OPENAT:
    case v1::EVENT_TYPE_OPENAT2:
    case v1::EVENT_TYPE_CREAT: {
      const v1::FileOp& file = event.file();
      if (out.type() == v1::FD_TYPE_UNSPECIFIED) {
        out.set_type((file.flags() & O_DIRECTORY) != 0 ? v1::FD_TYPE_DIRECTORY : v1::FD_TYPE_FILE);
      }
      if (out.name().empty()) {
        out.set_name(ResolvePath(file.path(), file.dirfd(), fds, event.pid(), info));
      }
      // fd.nameraw falls back to fd.name; keep the raw path only when resolution changed it.
      if (out.name_raw().empty() && out.name() != file.path()) out.set_name_raw(file.path());
      out.set_close_on_exec((file.flags() & O_CLOEXEC) != 0);
      return true;
    }
    case v1::EVENT_TYPE_SOCKET: {
      const v1::Socket& socket = event.socket();
      if (out.type() == v1::FD_TYPE_UNSPECIFIED) out.set_type(SocketFdType(socket.domain()));
      if (out.family() == 0) out.set_family(socket.domain());
      if (out.l4proto().empty()) out.set_l4proto(L4Proto(socket.domain(), socket.type()));
      out.set_close_on_exec((socket.type() & SOCK_CLOEXEC) != 0);
      return true;
    }
    case v1::EVENT_TYPE_ACCEPT:
    case v1::EVENT_TYPE_ACCEPT4: {
      // The listening socket gives type and protocol when the event does not.
      if (const v1::FileDescriptor* listener = fds.Find(event.pid(), event.fd().num());
          listener != nullptr && out.type() == v1::FD_TYPE_UNSPECIFIED) {
        out.set_type(listener->type());
        out.set_family(listener->family());
        out.set_l4proto(listener->l4proto());
      }
      out.set_num(event.result());
      out.set_connected(true);
      out.set_local_is_server(true);
      out.set_close_on_exec((event.network().flags() & SOCK_CLOEXEC) != 0);
      return true;
    }
    case v1::EVENT_TYPE_MEMFD_CREATE:
      out.set_type(v1::FD_TYPE_MEMFD);
      if (out.name().empty()) out.set_name(absl::StrCat("memfd:", event.memfd_create().name()));
      out.set_close_on_exec((event.memfd_create().flags() & MFD_CLOEXEC) != 0);
      return true;
    case v1::EVENT_TYPE_USERFAULTFD:
      out.set_type(v1::FD_TYPE_USERFAULTFD);
      out.set_close_on_exec((event.userfaultfd().flags() & O_CLOEXEC) != 0);
      return true;
    default:
      return false;
  }
}

// Copies the socket tuple an event reports (connect, bind, sendto ...) onto a known descriptor.
// Strings are assigned only when they change: the calls on one socket mostly repeat them.
void MergeSocketTuple(const v1::Event& event, v1::FileDescriptor& known) {
  const v1::FileDescriptor& reported = event.fd();
  if (!reported.client_ip().empty()) {
    if (known.client_ip() != reported.client_ip()) known.set_client_ip(reported.client_ip());
    known.set_client_port(reported.client_port());
  }
  if (!reported.server_ip().empty()) {
    if (known.server_ip() != reported.server_ip()) known.set_server_ip(reported.server_ip());
    known.set_server_port(reported.server_port());
  }
  // An inet socket's name is its tuple: drop a placeholder such as "socket:[123]".
  if ((!reported.name().empty() || !reported.server_ip().empty()) &&
      known.name() != reported.name()) {
    known.set_name(reported.name());
  }
  if (reported.family() != 0) known.set_family(reported.family());
  if (!reported.l4proto().empty() && known.l4proto() != reported.l4proto()) {
    known.set_l4proto(reported.l4proto());
  }
  if (reported.type() != v1::FD_TYPE_UNSPECIFIED) known.set_type(reported.type());
  if (event.type() == v1::EVENT_TYPE_CONNECT && event.result() >= 0) known.set_connected(true);
  if (event.type() == v1::EVENT_TYPE_LISTEN || event.type() == v1::EVENT_TYPE_BIND) {
    known.set_local_is_server(true);
  }
}

}  // namespace

void RuntimeState::ApplyFds(const v1::Event& event, int64_t pid, const ProcessInfo* info) {
  event_fd_ = nullptr;
  if (!fds_.enabled()) {
    if (event.has_fd()) event_fd_ = &event.fd();
    return;
  }
  const bool ok = event.result() >= 0;
  if (!event.open_fds().empty()) {
    fds_.ReplaceProcess(pid, event.open_fds());
  } else if (ok &&
             (event.type() == v1::EVENT_TYPE_EXECVE || event.type() == v1::EVENT_TYPE_EXECVEAT)) {
    fds_.CloseOnExec(pid);
  }
  switch (event.type()) {
    case v1::EVENT_TYPE_CLONE:
    case v1::EVENT_TYPE_CLONE3:
    case v1::EVENT_TYPE_FORK:
    case v1::EVENT_TYPE_VFORK: {
      const int64_t child =
          event.clone().child_pid() != 0 ? event.clone().child_pid() : event.result();
      // A new thread shares its process's table, which is keyed by the process.
      const bool thread = (event.clone().flags() & CLONE_THREAD) != 0;
      if (ok && child > 0 && child != pid && !thread) fds_.CopyProcess(pid, child);
      break;
    }
    case v1::EVENT_TYPE_DUP:
    case v1::EVENT_TYPE_DUP2:
    case v1::EVENT_TYPE_DUP3:
      if (ok) {
        fds_.Duplicate(pid, ActedOnFd(event), event.result(),
                       (event.file().flags() & O_CLOEXEC) != 0);
        event_fd_ = std::as_const(fds_).Find(pid, event.result());
      }
      break;
    case v1::EVENT_TYPE_CLOSE:
      if (ok) closing_fd_ = std::make_pair(pid, ActedOnFd(event));
      break;
    case v1::EVENT_TYPE_CONNECT:
    case v1::EVENT_TYPE_BIND:
    case v1::EVENT_TYPE_LISTEN:
    case v1::EVENT_TYPE_SENDTO:
    case v1::EVENT_TYPE_SENDMSG:
    case v1::EVENT_TYPE_RECVFROM:
    case v1::EVENT_TYPE_RECVMSG:
      if (v1::FileDescriptor* known = fds_.Find(pid, ActedOnFd(event))) {
        MergeSocketTuple(event, *known);
        event_fd_ = known;
      } else if (ok && HasContent(event.fd())) {
        event_fd_ = fds_.Set(pid, event.fd());
      }
      break;
    default:
      // Moved in: the entry it replaces leaves its storage to the scratch message.
      if (CreatedFd(event, fds_, info, created_fd_)) {
        event_fd_ = fds_.Set(pid, std::move(created_fd_));
      }
      break;
  }
  // The event's own description wins over the table's when it has one.
  if (event_fd_ == nullptr && !HasContent(event.fd())) {
    const int64_t num = ActedOnFd(event);
    if (num >= 0) event_fd_ = std::as_const(fds_).Find(pid, num);
  }
  if (event_fd_ == nullptr && event.has_fd()) event_fd_ = &event.fd();
}

void RuntimeState::NoteHostNamespaces(const v1::Process& process) {
  const v1::Namespaces& ns = process.namespaces();
  // Host pid 1 (init) lives in every initial namespace.
  if (process.pid() == 1 && process.vpid() <= 1 && process.container_id() == "host" &&
      ns.mnt() != 0) {
    host_namespaces_ = ns;
    host_namespaces_.clear_host_kinds();
    return;
  }
  for (const std::string& kind : ns.host_kinds()) {
    if (std::optional<uint64_t> id = NamespaceId(ns, kind); id.has_value() && *id != 0) {
      SetNamespaceId(host_namespaces_, kind, *id);
    }
  }
}

}  // namespace bulwark::runtime
