#include "bulwark/image/vuln/internal/compiled_bytes.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/file.h"

namespace bulwark::vuln::internal {
namespace {

class StringBytes : public CompiledBytes {
 public:
  explicit StringBytes(std::string bytes) : bytes_(std::move(bytes)) {}
  uint64_t size() const override { return bytes_.size(); }
  absl::StatusOr<absl::string_view> Read(uint64_t offset, uint64_t length,
                                         std::string& /*scratch*/) const override {
    return absl::string_view(bytes_).substr(offset, length);
  }

 private:
  const std::string bytes_;
};

class BufferBytes : public CompiledBytes {
 public:
  BufferBytes(std::unique_ptr<char[]> bytes, uint64_t size)
      : bytes_(std::move(bytes)), size_(size) {}
  uint64_t size() const override { return size_; }
  absl::StatusOr<absl::string_view> Read(uint64_t offset, uint64_t length,
                                         std::string& /*scratch*/) const override {
    return absl::string_view(bytes_.get() + offset, length);
  }

 private:
  const std::unique_ptr<char[]> bytes_;
  const uint64_t size_;
};

class FileBytes : public CompiledBytes {
 public:
  FileBytes(int fd, uint64_t size, std::string path)
      : fd_(fd), size_(size), path_(std::move(path)) {}
  ~FileBytes() override { close(fd_); }
  FileBytes(const FileBytes&) = delete;
  FileBytes& operator=(const FileBytes&) = delete;

  uint64_t size() const override { return size_; }

  absl::StatusOr<absl::string_view> Read(uint64_t offset, uint64_t length,
                                         std::string& scratch) const override {
    scratch.resize(length);
    uint64_t done = 0;
    while (done < length) {
      const ssize_t n =
          pread(fd_, scratch.data() + done, length - done, static_cast<off_t>(offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return core::ErrnoToStatus(errno, path_);
      if (n == 0) {
        return absl::DataLossError(
            absl::StrCat(path_, ": the file became shorter while the database was open (it was ",
                         size_, " bytes; reading ", length, " at ", offset, " reached its end)"));
      }
      done += static_cast<uint64_t>(n);
    }
    return absl::string_view(scratch);
  }

 private:
  const int fd_;
  const uint64_t size_;
  const std::string path_;
};

}  // namespace

std::unique_ptr<CompiledBytes> InMemory(std::string bytes) {
  return std::make_unique<StringBytes>(std::move(bytes));
}

std::unique_ptr<CompiledBytes> InMemory(std::unique_ptr<char[]> bytes, uint64_t size) {
  return std::make_unique<BufferBytes>(std::move(bytes), size);
}

absl::StatusOr<std::unique_ptr<CompiledBytes>> OpenCompiledFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return core::ErrnoToStatus(errno, path);
  struct stat info {};
  if (fstat(fd, &info) != 0) {
    const int error = errno;
    close(fd);
    return core::ErrnoToStatus(error, path);
  }
  if (!S_ISREG(info.st_mode)) {
    close(fd);
    return absl::InvalidArgumentError(absl::StrCat(path, ": not a regular file"));
  }
  return std::make_unique<FileBytes>(fd, static_cast<uint64_t>(info.st_size), path);
}

}  // namespace bulwark::vuln::internal
