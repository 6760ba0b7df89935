#include "bulwark/core/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"
#include "bulwark/core/limits.h"

namespace bulwark::core {
namespace {

constexpr size_t kChunkBytes = size_t{1} << 20;

// Owns a file descriptor opened for reading.
class ReadOnlyFile {
 public:
  static absl::StatusOr<ReadOnlyFile> Open(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoToStatus(errno, path);
    ReadOnlyFile file(fd);
    struct stat st;
    if (::fstat(fd, &st) != 0) return ErrnoToStatus(errno, path);
    if (S_ISDIR(st.st_mode)) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": is a directory, not a file"));
    }
    return file;
  }
  ReadOnlyFile(ReadOnlyFile&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  ReadOnlyFile& operator=(ReadOnlyFile&&) = delete;
  ~ReadOnlyFile() {
    if (fd_ >= 0) ::close(fd_);
  }

  // Reads up to `size` bytes, retrying on EINTR; returns 0 at end of file.
  absl::StatusOr<size_t> Read(char* buffer, size_t size, const std::string& path) {
    while (true) {
      ssize_t n = ::read(fd_, buffer, size);
      if (n >= 0) return static_cast<size_t>(n);
      if (errno != EINTR) return ErrnoToStatus(errno, path);
    }
  }

 private:
  explicit ReadOnlyFile(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace

absl::Status ErrnoToStatus(int error_number, absl::string_view context) {
  std::string message = absl::StrCat(context, ": ", std::strerror(error_number));
  switch (error_number) {
    case ENOENT:
    case ENOTDIR:
      return absl::NotFoundError(message);
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(message);
    case EISDIR:
    case EINVAL:
    case ENAMETOOLONG:
    case ELOOP:
      return absl::InvalidArgumentError(message);
    case ENOMEM:
    case EMFILE:
    case ENFILE:
    case ENOSPC:
      return absl::ResourceExhaustedError(message);
    default:
      return absl::UnknownError(message);
  }
}

absl::StatusOr<std::string> ReadFileToString(const std::string& path, uint64_t max_bytes) {
  auto file = ReadOnlyFile::Open(path);
  if (!file.ok()) return file.status();
  std::string contents;
  // Not make_unique: it would zero the 1 MiB buffer on every call (a third of the time spent
  // reading many small files, e.g. OSV advisories).
  std::unique_ptr<char[]> buffer(new char[kChunkBytes]);
  while (true) {
    auto n = file->Read(buffer.get(), kChunkBytes, path);
    if (!n.ok()) return n.status();
    if (*n == 0) return contents;
    if (contents.size() + *n > max_bytes) return LimitExceeded("max_file_bytes", max_bytes, path);
    contents.append(buffer.get(), *n);
  }
}

absl::Status ForEachFileChunk(const std::string& path,
                              absl::FunctionRef<void(absl::string_view chunk)> consume) {
  auto file = ReadOnlyFile::Open(path);
  if (!file.ok()) return file.status();
  // Not make_unique: it would zero the 1 MiB buffer on every call (a third of the time spent
  // reading many small files, e.g. OSV advisories).
  std::unique_ptr<char[]> buffer(new char[kChunkBytes]);
  while (true) {
    auto n = file->Read(buffer.get(), kChunkBytes, path);
    if (!n.ok()) return n.status();
    if (*n == 0) return absl::OkStatus();
    consume(absl::string_view(buffer.get(), *n));
  }
}

}  // namespace bulwark::core
