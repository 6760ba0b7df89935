#include "bulwark/image/rootfs_source.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"

namespace bulwark::image {
namespace {

constexpr size_t kChunk = 64 * 1024;

// Closes a file descriptor on scope exit.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    Reset(std::exchange(other.fd_, -1));
    return *this;
  }
  ~Fd() { Reset(-1); }
  int get() const { return fd_; }
  void Reset(int fd) {
    if (fd_ >= 0) close(fd_);
    fd_ = fd;
  }

 private:
  int fd_;
};

struct EntryDeleter {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};
using EntryPtr = std::unique_ptr<archive_entry, EntryDeleter>;

// The tar stream of a directory tree, produced as Read() asks for it: each step writes one header
// or one chunk of file data into libarchive's writer, whose output lands in `pending_`. Memory is
// bounded by the open directory listings and one chunk.
class RootfsTarReader : public BlobReader {
 public:
  RootfsTarReader(std::string root, const core::Limits& limits)
      : root_(std::move(root)), limits_(limits), writer_(archive_write_new()) {}
  ~RootfsTarReader() override { archive_write_free(writer_); }
  RootfsTarReader(const RootfsTarReader&) = delete;
  RootfsTarReader& operator=(const RootfsTarReader&) = delete;

  absl::Status Start() {
    // pax keeps long names, large files, sub-second times and xattrs.
    archive_write_set_format_pax_restricted(writer_);
    archive_write_add_filter_none(writer_);
    if (archive_write_open(writer_, this, nullptr, &RootfsTarReader::Write, nullptr) !=
        ARCHIVE_OK) {
      return WriterError();
    }
    int fd = open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return core::ErrnoToStatus(errno, root_);
    return PushDirectory(Fd(fd), "");
  }

  absl::StatusOr<size_t> Read(char* buffer, size_t size) override {
    while (offset_ == pending_.size() && !finished_) {
      pending_.clear();
      offset_ = 0;
      BULWARK_RETURN_IF_ERROR(Step());
    }
    size_t n = std::min(size, pending_.size() - offset_);
    std::copy_n(pending_.data() + offset_, n, buffer);
    offset_ += n;
    return n;
  }

 private:
  struct Directory {
    Fd fd;
    std::string path;  // Relative to the root, "" for the root, else ending in "/".
    std::vector<std::string> names;
    size_t next = 0;
  };

  static la_ssize_t Write(archive*, void* self, const void* data, size_t size) {
    static_cast<RootfsTarReader*>(self)->pending_.append(static_cast<const char*>(data), size);
    return static_cast<la_ssize_t>(size);
  }

  absl::Status WriterError() const {
    const char* message = archive_error_string(writer_);
    return absl::InternalError(
        absl::StrCat(root_, ": writing tar stream: ", message ? message : "unknown error"));
  }

  absl::Status PushDirectory(Fd fd, std::string path) {
    Directory directory{std::move(fd), std::move(path), {}, 0};
    // fdopendir takes ownership of its descriptor; give it a duplicate.
    DIR* dir = fdopendir(dup(directory.fd.get()));
    if (dir == nullptr) return core::ErrnoToStatus(errno, absl::StrCat(root_, "/", directory.path));
    while (dirent* d = readdir(dir)) {
      absl::string_view name = d->d_name;
      if (name != "." && name != "..") directory.names.emplace_back(name);
    }
    closedir(dir);
    // Sorted, so that two passes (and two runs) produce the same bytes.
    std::sort(directory.names.begin(), directory.names.end());
    stack_.push_back(std::move(directory));
    return absl::OkStatus();
  }

  absl::Status Step() {
    if (file_.get() >= 0) return CopyFileChunk();
    while (!stack_.empty() && stack_.back().next == stack_.back().names.size()) stack_.pop_back();
    if (stack_.empty()) {
      if (archive_write_close(writer_) != ARCHIVE_OK) return WriterError();
      finished_ = true;
      return absl::OkStatus();
    }
    Directory& parent = stack_.back();
    const std::string name = parent.names[parent.next++];
    return AddEntry(parent.fd.get(), absl::StrCat(parent.path, name), name);
  }

  absl::Status AddEntry(int parent_fd, const std::string& path, const std::string& name) {
    const std::string where = absl::StrCat(root_, "/", path);
    if (++entries_ > limits_.max_entries) {
      return core::LimitExceeded("max_entries", limits_.max_entries, root_);
    }
    if (path.size() > limits_.max_path_length) {
      return core::LimitExceeded("max_path_length", limits_.max_path_length, where);
    }
    struct stat st;
    if (fstatat(parent_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      return core::ErrnoToStatus(errno, where);
    }
    if (S_ISSOCK(st.st_mode)) return absl::OkStatus();
    EntryPtr entry(archive_entry_new());
    archive_entry_set_pathname(entry.get(), path.c_str());
    archive_entry_set_mode(entry.get(), st.st_mode);
    archive_entry_set_uid(entry.get(), st.st_uid);
    archive_entry_set_gid(entry.get(), st.st_gid);
    archive_entry_set_mtime(entry.get(), st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    Fd file;
    if (S_ISDIR(st.st_mode)) {
      int fd = openat(parent_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0) return core::ErrnoToStatus(errno, where);
      BULWARK_RETURN_IF_ERROR(WriteHeader(entry.get()));
      return PushDirectory(Fd(fd), absl::StrCat(path, "/"));
    }
    if (S_ISLNK(st.st_mode)) {
      std::string target(static_cast<size_t>(st.st_size) + 1, '\0');
      ssize_t n = readlinkat(parent_fd, name.c_str(), target.data(), target.size());
      if (n < 0) return core::ErrnoToStatus(errno, where);
      target.resize(static_cast<size_t>(n));
      archive_entry_set_symlink(entry.get(), target.c_str());
      return WriteHeader(entry.get());
    }
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
      archive_entry_set_rdevmajor(entry.get(), major(st.st_rdev));
      archive_entry_set_rdevminor(entry.get(), minor(st.st_rdev));
    }
    if (!S_ISREG(st.st_mode)) return WriteHeader(entry.get());
    if (st.st_nlink > 1) {
      auto [it, inserted] = hardlinks_.emplace(std::make_pair(st.st_dev, st.st_ino), path);
      if (!inserted) {
        archive_entry_set_hardlink(entry.get(), it->second.c_str());
        archive_entry_set_size(entry.get(), 0);
        return WriteHeader(entry.get());
      }
    }
    file.Reset(openat(parent_fd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (file.get() < 0) return core::ErrnoToStatus(errno, where);
    BULWARK_RETURN_IF_ERROR(AddXattrs(file.get(), entry.get(), where));
    archive_entry_set_size(entry.get(), st.st_size);
    total_bytes_ += static_cast<uint64_t>(st.st_size);
    if (total_bytes_ > limits_.max_total_bytes) {
      return core::LimitExceeded("max_total_bytes", limits_.max_total_bytes, root_);
    }
    BULWARK_RETURN_IF_ERROR(WriteHeader(entry.get()));
    file_remaining_ = static_cast<uint64_t>(st.st_size);
    file_path_ = where;
    file_ = std::move(file);
    if (file_remaining_ == 0) return FinishFile();
    return absl::OkStatus();
  }

  absl::Status AddXattrs(int fd, archive_entry* entry, const std::string& where) {
    ssize_t size = flistxattr(fd, nullptr, 0);
    if (size <= 0) return absl::OkStatus();  // None, or a filesystem without xattrs.
    std::string names(static_cast<size_t>(size), '\0');
    size = flistxattr(fd, names.data(), names.size());
    if (size < 0) return core::ErrnoToStatus(errno, where);
    names.resize(static_cast<size_t>(size));
    for (absl::string_view name : absl::StrSplit(names, '\0', absl::SkipEmpty())) {
      const std::string key(name);
      ssize_t length = fgetxattr(fd, key.c_str(), nullptr, 0);
      if (length < 0) continue;  // Removed meanwhile.
      std::string value(static_cast<size_t>(length), '\0');
      length = fgetxattr(fd, key.c_str(), value.data(), value.size());
      if (length < 0) continue;
      archive_entry_xattr_add_entry(entry, key.c_str(), value.data(), static_cast<size_t>(length));
    }
    return absl::OkStatus();
  }

  absl::Status WriteHeader(archive_entry* entry) {
    if (archive_write_header(writer_, entry) < ARCHIVE_WARN) return WriterError();
    return absl::OkStatus();
  }

  absl::Status CopyFileChunk() {
    char buffer[kChunk];
    ssize_t n = read(file_.get(), buffer, std::min<uint64_t>(sizeof buffer, file_remaining_));
    if (n < 0) {
      if (errno == EINTR) return absl::OkStatus();
      return core::ErrnoToStatus(errno, file_path_);
    }
    // A file that shrank since its header was written ends early: libarchive pads the entry with
    // zeros, and the walker's digest check reports the change.
    if (n == 0) return FinishFile();
    if (archive_write_data(writer_, buffer, static_cast<size_t>(n)) < 0) return WriterError();
    file_remaining_ -= static_cast<uint64_t>(n);
    if (file_remaining_ == 0) return FinishFile();
    return absl::OkStatus();
  }

  absl::Status FinishFile() {
    file_.Reset(-1);
    if (archive_write_finish_entry(writer_) < ARCHIVE_WARN) return WriterError();
    return absl::OkStatus();
  }

  const std::string root_;
  const core::Limits limits_;
  archive* writer_;
  std::vector<Directory> stack_;
  std::map<std::pair<dev_t, ino_t>, std::string> hardlinks_;
  Fd file_;
  uint64_t file_remaining_ = 0;
  std::string file_path_;
  uint64_t entries_ = 0;
  uint64_t total_bytes_ = 0;
  std::string pending_;
  size_t offset_ = 0;
  bool finished_ = false;
};

absl::StatusOr<std::unique_ptr<BlobReader>> NewReader(const std::string& root,
                                                      const core::Limits& limits) {
  auto reader = std::make_unique<RootfsTarReader>(root, limits);
  BULWARK_RETURN_IF_ERROR(reader->Start());
  return reader;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RootfsSource>> RootfsSource::Open(absl::string_view directory,
                                                                 const core::Limits& limits) {
  std::unique_ptr<RootfsSource> source(new RootfsSource(std::string(directory), limits));
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<BlobReader> reader,
                           NewReader(source->directory_, limits));
  core::Hasher hasher(core::DigestAlgorithm::kSha256);
  int64_t size = 0;
  char buffer[kChunk];
  for (;;) {
    BULWARK_ASSIGN_OR_RETURN(size_t n, reader->Read(buffer, sizeof buffer));
    if (n == 0) break;
    hasher.Update(absl::string_view(buffer, n));
    size += static_cast<int64_t>(n);
  }
  source->layer_.media_type = std::string(media_type::kOciLayerTar);
  source->layer_.digest = hasher.Finish();
  source->layer_.size = size;
  return source;
}

absl::StatusOr<std::unique_ptr<BlobReader>> RootfsSource::OpenBlob(
    const Descriptor& descriptor) const {
  if (descriptor.digest != layer_.digest) {
    return absl::NotFoundError(absl::StrCat(directory_, ": blob ", descriptor.digest.ToString(),
                                            " not found (a root filesystem holds one layer, ",
                                            layer_.digest.ToString(), ")"));
  }
  return NewReader(directory_, limits_);
}

}  // namespace bulwark::image
