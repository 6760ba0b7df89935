// File opens and modifications on chosen mounts through fanotify (FAN_CLASS_NOTIF, mount
// marks): who (pid) touched which path. Needs CAP_SYS_ADMIN. Thread safety: one thread per
// FanotifyWatch.
#ifndef BULWARK_RUNTIME_INTERNAL_FANOTIFY_WATCH_H_
#define BULWARK_RUNTIME_INTERNAL_FANOTIFY_WATCH_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace bulwark::runtime::internal {

struct FileNotification {
  enum class Kind { kOpen, kModify, kCloseWrite };
  Kind kind;
  int64_t pid;
  std::string path;
};

class FanotifyWatch {
 public:
  // Marks the mounts holding each path. Errors name the call and errno (PermissionDenied
  // without CAP_SYS_ADMIN).
  static absl::StatusOr<std::unique_ptr<FanotifyWatch>> Open(
      const std::vector<std::string>& mounts);
  ~FanotifyWatch();
  int fd() const { return fd_; }
  // Reads every pending notification (non-blocking); events of `ignore_pid` are dropped.
  absl::Status Drain(int64_t ignore_pid, const std::function<void(FileNotification&&)>& out);

 private:
  explicit FanotifyWatch(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace bulwark::runtime::internal

#endif  // BULWARK_RUNTIME_INTERNAL_FANOTIFY_WATCH_H_
