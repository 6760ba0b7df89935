// Random access to the members of a tar archive (plain or gzip/zstd/xz-compressed) without
// extracting it: one libarchive scan indexes member names and, in an uncompressed archive, where
// each member's data lies, so that a member is read in place (pread on the file opened once).
// A member of a compressed archive is read by decompressing the archive again up to it.
// TarArchiveSource serves an OCI archive's or a docker-archive's blobs from it.
//   BULWARK_ASSIGN_OR_RETURN(auto archive, TarArchive::Open("alpine.tar", limits));
//   BULWARK_ASSIGN_OR_RETURN(std::string text, archive->ReadMember("manifest.json", 1 << 20));
// Thread safety: immutable after Open(); members may be opened from several threads (each
// reader has its own libarchive handle).
#ifndef BULWARK_IMAGE_TAR_ARCHIVE_SOURCE_H_
#define BULWARK_IMAGE_TAR_ARCHIVE_SOURCE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/limits.h"
#include "bulwark/image/blob_source.h"
#include "bulwark/image/oci.h"

namespace bulwark::image {

class TarArchive {
 public:
  // Scans the archive at `path` once. Member names are normalised ("./a//b" is "a/b"); names
  // that would leave the archive root ("../x", "/x" is read as "x") are not indexed; a later
  // member of the same name replaces an earlier one, as when tar extracts. Errors: NotFound /
  // PermissionDenied naming the path; InvalidArgument when the file is not a tar archive;
  // DataLoss for a truncated or corrupt one; ResourceExhausted for limits.max_entries and
  // limits.max_path_length.
  static absl::StatusOr<std::unique_ptr<TarArchive>> Open(const std::string& path,
                                                          const core::Limits& limits);

  // True when `name` is a regular file (after following symlinks and hardlinks in the archive).
  bool Contains(absl::string_view name) const;

  // Size in bytes of the regular file `name` resolves to. Errors as OpenMember.
  absl::StatusOr<int64_t> MemberSize(absl::string_view name) const;

  // Streams the regular file `name`. Symlinks resolve relative to their directory and hardlinks
  // to the member they name, inside the archive only. Errors: NotFound naming the member;
  // InvalidArgument for a link that leaves the archive, a link loop, or a non-regular member;
  // DataLoss when the archive changed or is corrupt.
  absl::StatusOr<std::unique_ptr<BlobReader>> OpenMember(absl::string_view name) const;

  // Reads the regular file `name` whole, at most `max_bytes` (ResourceExhausted beyond).
  absl::StatusOr<std::string> ReadMember(absl::string_view name, uint64_t max_bytes) const;

  const std::string& path() const { return path_; }

  ~TarArchive();
  TarArchive(const TarArchive&) = delete;
  TarArchive& operator=(const TarArchive&) = delete;

 private:
  struct Member {
    uint64_t ordinal = 0;  // Position in the archive, 0-based.
    bool regular = false;
    bool symlink = false;
    bool hardlink = false;
    int64_t size = 0;
    // Where the data of a regular member of an uncompressed archive starts; -1 when it must be
    // reached by scanning (compressed archive, sparse member).
    int64_t data_offset = -1;
    std::string link;  // Normalised target for links ("" when it leaves the archive).
  };

  TarArchive(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  // Follows links from `name` to a regular member.
  absl::StatusOr<const Member*> Resolve(absl::string_view name) const;
  // Scans the archive to the member at `ordinal` (compressed archives).
  absl::StatusOr<std::unique_ptr<BlobReader>> ScanToMember(const Member& member,
                                                           const std::string& where) const;

  const std::string path_;
  const int fd_;  // The archive, open from Open() on; read with pread only.
  absl::flat_hash_map<std::string, Member> members_;
};

// Serves blobs from an archive: a descriptor's digest maps to a member named in `members`
// (docker-archive layers and configs), or else to the OCI layout path blobs/<algorithm>/<hex>.
class TarArchiveSource : public BlobSource {
 public:
  TarArchiveSource(std::shared_ptr<const TarArchive> archive,
                   absl::flat_hash_map<std::string, std::string> members_by_digest = {})
      : archive_(std::move(archive)), members_by_digest_(std::move(members_by_digest)) {}

  // Errors: NotFound naming the digest and member; others as TarArchive::OpenMember.
  absl::StatusOr<std::unique_ptr<BlobReader>> OpenBlob(const Descriptor& descriptor) const override;
  std::string Name() const override { return archive_->path(); }

 private:
  std::shared_ptr<const TarArchive> archive_;
  absl::flat_hash_map<std::string, std::string> members_by_digest_;
};

// The normalised form of an archive member path: no leading "/" or "./", no "." components or
// repeated "/"; ".." removes the previous component. Returns nullopt when ".." would leave the
// root.
std::optional<std::string> NormalizeMemberPath(absl::string_view path);

}  // namespace bulwark::image

#endif  // BULWARK_IMAGE_TAR_ARCHIVE_SOURCE_H_
