#include "bulwark/image/internal/file_blob_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"

namespace bulwark::image::internal {
namespace {

// Reads [offset, end) of a file with pread; end is UINT64_MAX for "to the end of the file".
class FileBlobReader : public BlobReader {
 public:
  FileBlobReader(int fd, std::string path, uint64_t offset, uint64_t end)
      : fd_(fd), path_(std::move(path)), position_(offset), end_(end) {}
  ~FileBlobReader() override { close(fd_); }
  FileBlobReader(const FileBlobReader&) = delete;
  FileBlobReader& operator=(const FileBlobReader&) = delete;

  absl::StatusOr<size_t> Read(char* buffer, size_t size) override {
    size = static_cast<size_t>(std::min<uint64_t>(size, end_ - position_));
    if (size == 0) return 0;
    for (;;) {
      ssize_t n = pread(fd_, buffer, size, static_cast<off_t>(position_));
      if (n > 0) {
        position_ += static_cast<uint64_t>(n);
        return static_cast<size_t>(n);
      }
      if (n == 0) {
        if (end_ == UINT64_MAX) return 0;
        return absl::DataLossError(absl::StrCat(path_, ": file ends at ", position_,
                                                " bytes, before the member's end at ", end_));
      }
      if (errno == EINTR) continue;
      return absl::DataLossError(core::ErrnoToStatus(errno, path_).message());
    }
  }

 private:
  const int fd_;
  const std::string path_;
  uint64_t position_;
  const uint64_t end_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<BlobReader>> OpenFileBlob(const std::string& path) {
  // O_NOFOLLOW: callers resolve symlinks themselves and check that they stay inside the image.
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return core::ErrnoToStatus(errno, path);
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return absl::InvalidArgumentError(absl::StrCat(path, ": not a regular file"));
  }
  return std::make_unique<FileBlobReader>(fd, path, 0, UINT64_MAX);
}

std::unique_ptr<BlobReader> FileRangeReader(int fd, std::string path, uint64_t offset,
                                            uint64_t length) {
  return std::make_unique<FileBlobReader>(fd, std::move(path), offset, offset + length);
}

absl::StatusOr<std::string> ReadAllBlob(BlobReader& reader, uint64_t max_bytes,
                                        absl::string_view where) {
  std::string data;
  char buffer[64 * 1024];
  for (;;) {
    BULWARK_ASSIGN_OR_RETURN(size_t n, reader.Read(buffer, sizeof buffer));
    if (n == 0) return data;
    if (data.size() + n > max_bytes) return core::LimitExceeded("max_file_bytes", max_bytes, where);
    data.append(buffer, n);
  }
}

absl::StatusOr<std::string> ReadVerifiedBlob(const BlobSource& source, const Descriptor& descriptor,
                                             const core::Limits& limits) {
  const std::string where = absl::StrCat(source.Name(), ": blob ", descriptor.digest.ToString());
  if (descriptor.size < 0 || static_cast<uint64_t>(descriptor.size) > limits.max_file_bytes) {
    return core::LimitExceeded("max_file_bytes", limits.max_file_bytes,
                               absl::StrCat(where, " (descriptor size ", descriptor.size, ")"));
  }
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<BlobReader> reader, source.OpenBlob(descriptor));
  // Read one byte past the declared size, so that a longer blob is a mismatch, not a cap.
  const uint64_t expected = static_cast<uint64_t>(descriptor.size);
  absl::StatusOr<std::string> read = ReadAllBlob(*reader, expected + 1, where);
  if (absl::IsResourceExhausted(read.status())) {
    return absl::DataLossError(absl::StrCat(where, ": size mismatch: expected ", expected,
                                            ", actual more than ", expected + 1));
  }
  BULWARK_ASSIGN_OR_RETURN(std::string bytes, std::move(read));
  if (bytes.size() != expected) {
    return absl::DataLossError(
        absl::StrCat(where, ": size mismatch: expected ", expected, ", actual ",
                     bytes.size() > expected ? absl::StrCat("more than ", expected)
                                             : absl::StrCat(bytes.size())));
  }
  core::Digest actual = core::DigestBytes(descriptor.digest.algorithm(), bytes);
  if (actual != descriptor.digest) {
    return absl::DataLossError(absl::StrCat(where, ": digest mismatch: expected ",
                                            descriptor.digest.ToString(), ", actual ",
                                            actual.ToString()));
  }
  return bytes;
}

}  // namespace bulwark::image::internal
