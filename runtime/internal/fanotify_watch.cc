#include "bulwark/runtime/internal/fanotify_watch.h"

#include <fcntl.h>
#include <sys/fanotify.h>
#include <unistd.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/runtime/internal/fanotify_records.h"

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
    BULWARK_RETURN_IF_ERROR(ForEachFanotifyRecord(
        absl::MakeConstSpan(buffer, static_cast<size_t>(n)), [&](FanotifyRecord record) {
          if (record.pid() == ignore_pid || record.path().empty()) return;
          const int64_t pid = record.pid();
          const uint64_t mask = record.mask();
          if (mask & FAN_OPEN) out({FileNotification::Kind::kOpen, pid, record.path()});
          if (mask & FAN_MODIFY) out({FileNotification::Kind::kModify, pid, record.path()});
          if (mask & FAN_CLOSE_WRITE)
            out({FileNotification::Kind::kCloseWrite, pid, record.path()});
        }));
  }
}

}  // namespace bulwark::runtime::internal
