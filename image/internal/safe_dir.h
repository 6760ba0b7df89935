// Opening directories below a root directory without following any symlink and without leaving
// the root, which is what keeps Extract's writes inside its destination. Every write then uses a
// *at() call on the opened parent with one plain name and a no-follow flag.
//   BULWARK_ASSIGN_OR_RETURN(UniqueFd dir, OpenDirectoryBeneath(root.get(), "usr/bin"));
//   int fd = ::openat(dir.get(), "env", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
// Thread safety: plain functions; a UniqueFd is owned by one thread at a time.
#ifndef BULWARK_IMAGE_INTERNAL_SAFE_DIR_H_
#define BULWARK_IMAGE_INTERNAL_SAFE_DIR_H_

#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bulwark::image::internal {

// An owned file descriptor, closed on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  ~UniqueFd();
  int get() const { return fd_; }

 private:
  int fd_ = -1;
};

enum class BeneathMode {
  kAuto,           // openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) when the kernel has it.
  kComponentwise,  // One openat(O_NOFOLLOW | O_DIRECTORY) per component (Linux < 5.6).
};

// Opens the directory `path` below `root_fd`: `path` is relative and normalised ("a/b", "" for
// the root itself). Errors: InvalidArgument for an absolute path or an empty, "." or ".."
// component; FailedPrecondition when a component is a symlink or not a directory; NotFound
// when one is missing; other errno values as core::ErrnoToStatus. `where` prefixes messages.
absl::StatusOr<UniqueFd> OpenDirectoryBeneath(int root_fd, absl::string_view path,
                                              absl::string_view where,
                                              BeneathMode mode = BeneathMode::kAuto);

// True when "name" is one plain path component (not "", ".", "..", no "/" or NUL).
bool IsPlainName(absl::string_view name);

}  // namespace bulwark::image::internal

#endif  // BULWARK_IMAGE_INTERNAL_SAFE_DIR_H_
