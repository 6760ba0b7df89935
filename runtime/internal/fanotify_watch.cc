#include "bulwark/runtime/internal/fanotify_watch.h"

#include <fcntl.h>
#include <sys/fanotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "bulwark/core/file.h"

namespace bulwark::runtime::internal {

absl::StatusOr<std::unique_ptr<FanotifyWatch>> FanotifyWatch::Open(
    const std::vector<std::string>& mounts) {
  const int fd = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
                               O_RDONLY | O_LARGEFILE | O_CLOEXEC);
  if (fd < 0) return core::ErrnoToStatus(errno, "fanotify_init(FAN_CLASS_NOTIF)");
  std::unique_ptr<FanotifyWatch> watch(new FanotifyWatch(fd));
  for (const std::string& mount : mounts) {
    if (fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN | FAN_MODIFY | FAN_CLOSE_WRITE,
                      AT_FDCWD, mount.c_str()) != 0) {
      return core::ErrnoToStatus(errno, absl::StrCat("fanotify_mark(FAN_MARK_MOUNT, ", mount, ")"));
    }
  }
  return watch;
}

FanotifyWatch::~FanotifyWatch() { close(fd_); }

absl::Status FanotifyWatch::Drain(int64_t ignore_pid,
                                  const std::function<void(FileNotification&&)>& out) {
  alignas(fanotify_event_metadata) char buffer[16 * 1024];
  while (true) {
    const ssize_t n = read(fd_, buffer, sizeof(buffer));
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return absl::OkStatus();
      if (errno == EINTR) continue;
      return core::ErrnoToStatus(errno, "read(fanotify)");
    }
    if (n == 0) return absl::OkStatus();
    size_t offset = 0;
    while (offset + sizeof(fanotify_event_metadata) <= static_cast<size_t>(n)) {
      fanotify_event_metadata event;
      std::memcpy(&event, buffer + offset, sizeof(event));
      if (event.event_len < sizeof(event) || offset + event.event_len > static_cast<size_t>(n)) {
        break;
      }
      offset += event.event_len;
      if (event.fd < 0) continue;  // FAN_NOFD: the queue overflowed.
      std::string path;
      char target[4096];
      const std::string link = absl::StrCat("/proc/self/fd/", event.fd);
      const ssize_t length = readlink(link.c_str(), target, sizeof(target));
      if (length > 0) path.assign(target, static_cast<size_t>(length));
      close(event.fd);
      if (event.pid == ignore_pid || path.empty()) continue;
      const int64_t pid = event.pid;
      if (event.mask & FAN_OPEN) out({FileNotification::Kind::kOpen, pid, path});
      if (event.mask & FAN_MODIFY) out({FileNotification::Kind::kModify, pid, path});
      if (event.mask & FAN_CLOSE_WRITE) out({FileNotification::Kind::kCloseWrite, pid, path});
    }
  }
}

}  // namespace bulwark::runtime::internal
