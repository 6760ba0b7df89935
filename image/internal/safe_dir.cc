#include "bulwark/image/internal/safe_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bulwark/core/file.h"

namespace bulwark::image::internal {
namespace {

constexpr int kDirectoryFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

// Cleared the first time the kernel answers ENOSYS (openat2 arrived in Linux 5.6).
std::atomic<bool> openat2_available{true};

absl::Status OpenError(int error, absl::string_view where, absl::string_view path) {
  std::string context = absl::StrCat(where, ": \"", path, "\"");
  // ELOOP: a symlink (RESOLVE_NO_SYMLINKS, O_NOFOLLOW); EXDEV: a way out of the root;
  // ENOTDIR: a file where a directory should be.
  if (error == ELOOP || error == EXDEV || error == ENOTDIR) {
    return absl::FailedPreconditionError(
        absl::StrCat(context, ": a component is a symlink or not a directory"));
  }
  return core::ErrnoToStatus(error, context);
}

int RetryOpenat(int dir, const char* name, int flags) {
  int fd;
  do {
    fd = ::openat(dir, name, flags);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

bool IsPlainName(absl::string_view name) {
  return !name.empty() && name != "." && name != ".." &&
         name.find_first_of(absl::string_view("/\0", 2)) == absl::string_view::npos;
}

absl::StatusOr<UniqueFd> OpenDirectoryBeneath(int root_fd, absl::string_view path,
                                              absl::string_view where, BeneathMode mode) {
  std::vector<std::string> parts;
  if (!path.empty()) {
    for (absl::string_view part : absl::StrSplit(path, '/')) {
      if (!IsPlainName(part)) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": \"", path, "\" is not a normalised relative path"));
      }
      parts.emplace_back(part);
    }
  }
  if (parts.empty()) {
    int fd = RetryOpenat(root_fd, ".", kDirectoryFlags);
    if (fd < 0) return OpenError(errno, where, path);
    return UniqueFd(fd);
  }
  std::string joined(path);
  if (mode == BeneathMode::kAuto && openat2_available.load(std::memory_order_relaxed)) {
    struct open_how how = {};
    how.flags = kDirectoryFlags;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    long fd;
    do {
      fd = ::syscall(SYS_openat2, root_fd, joined.c_str(), &how, sizeof(how));
    } while (fd < 0 && (errno == EINTR || errno == EAGAIN));
    if (fd >= 0) return UniqueFd(static_cast<int>(fd));
    if (errno != ENOSYS) return OpenError(errno, where, path);
    openat2_available.store(false, std::memory_order_relaxed);
  }
  UniqueFd dir;
  int current = root_fd;
  for (const std::string& part : parts) {
    int fd = RetryOpenat(current, part.c_str(), kDirectoryFlags);
    if (fd < 0) return OpenError(errno, where, path);
    dir = UniqueFd(fd);
    current = fd;
  }
  return dir;
}

}  // namespace bulwark::image::internal
