#include "bulwark/image/tar_archive_source.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/internal/file_blob_reader.h"
#include "bulwark/image/oci_layout_source.h"

namespace bulwark::image {
namespace {

// Symlink chains longer than this are treated as loops (Linux allows 40; archives need ~1).
constexpr int kMaxLinkHops = 16;

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveDeleter>;

// A libarchive reader of the archive open as `fd` (which it does not close). It moves the file
// offset (skipping uncompressed members by lseek): only for the single-threaded scan in Open().
absl::StatusOr<ArchivePtr> OpenArchive(int fd, const std::string& path) {
  ArchivePtr a(archive_read_new());
  // Docker tooling writes plain tar; compressed archives (Trivy's alpine-*.tar.gz) are common.
  archive_read_support_filter_all(a.get());
  archive_read_support_format_tar(a.get());
  if (archive_read_open_fd(a.get(), fd, 64 * 1024) != ARCHIVE_OK) {
    std::string message = archive_error_string(a.get()) ? archive_error_string(a.get()) : "";
    return absl::InvalidArgumentError(absl::StrCat(path, ": not a tar archive: ", message));
  }
  return a;
}

std::string ArchiveError(archive* a) {
  const char* message = archive_error_string(a);
  return message ? message : "unknown libarchive error";
}

// Reads the archive file from its start with pread, so that scans on several threads share the
// file descriptor without sharing a file offset.
struct PreadState {
  int fd;
  int64_t offset = 0;
  std::vector<char> buffer = std::vector<char>(64 * 1024);
};

la_ssize_t PreadCallback(archive* a, void* client, const void** buffer) {
  auto* state = static_cast<PreadState*>(client);
  for (;;) {
    ssize_t n = pread(state->fd, state->buffer.data(), state->buffer.size(), state->offset);
    if (n >= 0) {
      state->offset += n;
      *buffer = state->buffer.data();
      return n;
    }
    if (errno != EINTR) {
      archive_set_error(a, errno, "read error");
      return ARCHIVE_FATAL;
    }
  }
}

// Streams the data of the member at which the archive handle stands.
class MemberReader : public BlobReader {
 public:
  MemberReader(ArchivePtr archive, std::unique_ptr<PreadState> state, std::string where)
      : state_(std::move(state)), archive_(std::move(archive)), where_(std::move(where)) {}

  absl::StatusOr<size_t> Read(char* buffer, size_t size) override {
    la_ssize_t n = archive_read_data(archive_.get(), buffer, size);
    if (n < 0) {
      return absl::DataLossError(absl::StrCat(where_, ": ", ArchiveError(archive_.get())));
    }
    return static_cast<size_t>(n);
  }

 private:
  const std::unique_ptr<PreadState> state_;  // Outlives archive_, which reads through it.
  ArchivePtr archive_;
  std::string where_;
};

}  // namespace

std::optional<std::string> NormalizeMemberPath(absl::string_view path) {
  std::vector<absl::string_view> parts;
  for (absl::string_view part : absl::StrSplit(path, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (parts.empty()) return std::nullopt;
      parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  return absl::StrJoin(parts, "/");
}

TarArchive::~TarArchive() { close(fd_); }

absl::StatusOr<std::unique_ptr<TarArchive>> TarArchive::Open(const std::string& path,
                                                             const core::Limits& limits) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return core::ErrnoToStatus(errno, path);
  std::unique_ptr<TarArchive> result(new TarArchive(path, fd));
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": not a regular file"));
  }
  BULWARK_ASSIGN_OR_RETURN(ArchivePtr a, OpenArchive(fd, path));
  // Only the "none" filter: file offsets are tar stream offsets.
  const bool uncompressed = archive_filter_count(a.get()) == 1;
  archive_entry* entry = nullptr;
  for (uint64_t ordinal = 0;; ++ordinal) {
    int rc = archive_read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) {
      // Failing on the first header means the bytes are no tar at all.
      if (ordinal == 0) {
        return absl::InvalidArgumentError(
            absl::StrCat(path, ": not a tar archive: ", ArchiveError(a.get())));
      }
      return absl::DataLossError(
          absl::StrCat(path, ": member ", ordinal, ": ", ArchiveError(a.get())));
    }
    if (ordinal >= limits.max_entries) {
      return core::LimitExceeded("max_entries", limits.max_entries, path);
    }
    const char* raw_name = archive_entry_pathname(entry);
    absl::string_view name = raw_name ? raw_name : "";
    if (name.size() > limits.max_path_length) {
      return core::LimitExceeded("max_path_length", limits.max_path_length,
                                 absl::StrCat(path, ": member ", ordinal));
    }
    std::optional<std::string> normalized = NormalizeMemberPath(name);
    if (normalized.has_value()) {
      Member member;
      member.ordinal = ordinal;
      const mode_t type = archive_entry_filetype(entry);
      const char* hardlink = archive_entry_hardlink(entry);
      const char* symlink = archive_entry_symlink(entry);
      if (hardlink != nullptr) {
        member.hardlink = true;
        member.link = NormalizeMemberPath(hardlink).value_or("");
      } else if (type == AE_IFLNK && symlink != nullptr) {
        member.symlink = true;
        // A symlink target is relative to the link's directory ("../<id>/layer.tar").
        absl::string_view directory = *normalized;
        size_t slash = directory.rfind('/');
        directory = slash == absl::string_view::npos ? "" : directory.substr(0, slash);
        absl::string_view target = symlink;
        member.link =
            NormalizeMemberPath(target.substr(0, 1) == "/" ? std::string(target)
                                                           : absl::StrCat(directory, "/", target))
                .value_or("");
      } else {
        member.regular = type == AE_IFREG;
        member.size = archive_entry_size(entry);
        // After the header, the reader stands at the member's data (bytes consumed so far).
        if (member.regular && uncompressed && archive_entry_sparse_count(entry) == 0 &&
            member.size >= 0 && archive_filter_bytes(a.get(), 0) + member.size <= st.st_size) {
          member.data_offset = archive_filter_bytes(a.get(), 0);
        }
      }
      result->members_[*normalized] = std::move(member);
    }
    // Skipping a member of a compressed archive decompresses it: a compression bomb must stop
    // at max_total_bytes before it is expanded (an uncompressed archive is skipped by seeking).
    const la_int64_t size = std::max<la_int64_t>(archive_entry_size(entry), 0);
    if (archive_filter_count(a.get()) > 1 &&
        static_cast<uint64_t>(archive_filter_bytes(a.get(), 0)) + static_cast<uint64_t>(size) >
            limits.max_total_bytes) {
      return core::LimitExceeded("max_total_bytes", limits.max_total_bytes,
                                 absl::StrCat(path, ": member ", ordinal));
    }
    if (archive_read_data_skip(a.get()) < ARCHIVE_WARN) {
      return absl::DataLossError(absl::StrCat(path, ": ", name, ": ", ArchiveError(a.get())));
    }
  }
  return result;
}

absl::StatusOr<const TarArchive::Member*> TarArchive::Resolve(absl::string_view name) const {
  std::string current = NormalizeMemberPath(name).value_or("");
  for (int hop = 0; hop <= kMaxLinkHops; ++hop) {
    auto it = members_.find(current);
    if (it == members_.end()) {
      return absl::NotFoundError(absl::StrCat(
          path_, ": no member ", name, current == name ? "" : absl::StrCat(" (-> ", current, ")")));
    }
    const Member& member = it->second;
    if (member.regular) return &member;
    if (!member.symlink && !member.hardlink) {
      return absl::InvalidArgumentError(
          absl::StrCat(path_, ": member ", current, " is not a file"));
    }
    if (member.link.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path_, ": member ", current, " links outside the archive"));
    }
    current = member.link;
  }
  return absl::InvalidArgumentError(absl::StrCat(path_, ": member ", name, ": link loop"));
}

bool TarArchive::Contains(absl::string_view name) const { return Resolve(name).ok(); }

absl::StatusOr<int64_t> TarArchive::MemberSize(absl::string_view name) const {
  BULWARK_ASSIGN_OR_RETURN(const Member* member, Resolve(name));
  return member->size;
}

absl::StatusOr<std::unique_ptr<BlobReader>> TarArchive::OpenMember(absl::string_view name) const {
  BULWARK_ASSIGN_OR_RETURN(const Member* member, Resolve(name));
  std::string where = absl::StrCat(path_, ": ", name);
  if (member->data_offset < 0) return ScanToMember(*member, where);
  const int fd = fcntl(fd_, F_DUPFD_CLOEXEC, 0);
  if (fd < 0) return core::ErrnoToStatus(errno, path_);
  return internal::FileRangeReader(fd, std::move(where), member->data_offset, member->size);
}

absl::StatusOr<std::unique_ptr<BlobReader>> TarArchive::ScanToMember(
    const Member& member, const std::string& where) const {
  auto state = std::make_unique<PreadState>(PreadState{.fd = fd_});
  ArchivePtr a(archive_read_new());
  archive_read_support_filter_all(a.get());
  archive_read_support_format_tar(a.get());
  if (archive_read_open(a.get(), state.get(), nullptr, &PreadCallback, nullptr) != ARCHIVE_OK) {
    return absl::DataLossError(absl::StrCat(where, ": ", ArchiveError(a.get())));
  }
  archive_entry* entry = nullptr;
  for (uint64_t ordinal = 0;; ++ordinal) {
    if (archive_read_next_header(a.get(), &entry) < ARCHIVE_WARN) {
      return absl::DataLossError(absl::StrCat(where, ": ", ArchiveError(a.get())));
    }
    if (ordinal == member.ordinal) break;
    if (archive_read_data_skip(a.get()) < ARCHIVE_WARN) {
      return absl::DataLossError(absl::StrCat(where, ": ", ArchiveError(a.get())));
    }
  }
  // The archive was indexed earlier; a different member here means it changed since.
  if (archive_entry_filetype(entry) != AE_IFREG || archive_entry_size(entry) != member.size) {
    return absl::DataLossError(absl::StrCat(where, ": archive changed since it was opened"));
  }
  return std::make_unique<MemberReader>(std::move(a), std::move(state), where);
}

absl::StatusOr<std::string> TarArchive::ReadMember(absl::string_view name,
                                                   uint64_t max_bytes) const {
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<BlobReader> reader, OpenMember(name));
  return internal::ReadAllBlob(*reader, max_bytes, absl::StrCat(path_, ": ", name));
}

absl::StatusOr<std::unique_ptr<BlobReader>> TarArchiveSource::OpenBlob(
    const Descriptor& descriptor) const {
  std::string member;
  if (auto it = members_by_digest_.find(descriptor.digest.ToString());
      it != members_by_digest_.end()) {
    member = it->second;
  } else {
    BULWARK_ASSIGN_OR_RETURN(member, BlobPath(descriptor.digest));
  }
  absl::StatusOr<std::unique_ptr<BlobReader>> reader = archive_->OpenMember(member);
  if (absl::IsNotFound(reader.status())) {
    return absl::NotFoundError(absl::StrCat(archive_->path(), ": blob ",
                                            descriptor.digest.ToString(), " not found (member ",
                                            member, ")"));
  }
  return reader;
}

}  // namespace bulwark::image
