// Archives inside an image's files (jar/war/zip/whl, tar, and gzip/bzip2/xz/zstd-compressed
// tars or single files), opened in memory with libarchive so that the secret and malware
// analyzers see their members too, nested up to a depth, with a decompressed-bytes budget that
// stops zip bombs.
//   if (IsArchiveName(entry.path) && LooksLikeArchive(content))
//     BULWARK_RETURN_IF_ERROR(ForEachArchiveMember(content, entry.path, limits, visit));
// Member paths read "<archive>!/<member>", nested "a.jar!/lib/b.jar!/c.properties".
// Thread safety: pure functions.
#ifndef BULWARK_IMAGE_RISK_NESTED_ARCHIVES_H_
#define BULWARK_IMAGE_RISK_NESTED_ARCHIVES_H_

#include <cstdint>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace bulwark::image {

struct NestedArchiveLimits {
  // Archive files larger than this (compressed) are not opened: the analyzers hold the whole
  // archive in memory. Default: 64 MiB.
  uint64_t max_archive_bytes = uint64_t{64} << 20;
  // Archive levels opened: 1 = members of the file only. Default: 3.
  uint32_t max_depth = 3;
  // Members larger than this are skipped (not read). Default: 8 MiB.
  uint64_t max_member_bytes = uint64_t{8} << 20;
  // Decompressed bytes read from one outermost archive, all levels together. Default: 256 MiB.
  uint64_t max_total_bytes = uint64_t{256} << 20;
  // Members visited in one outermost archive, all levels together. Default: 100,000.
  uint64_t max_members = 100'000;
  // Longest member path kept. Default: 4096.
  uint32_t max_path_length = 4096;
};

// True for names whose extension says archive: .zip .jar .war .ear .whl .egg .nupkg .apk .aar
// .tar .tgz .gz .bz2 .xz .zst .tbz2 .txz .tzst (case-insensitive).
bool IsArchiveName(absl::string_view path);

// True when an analyzer should read and open the file at `path` of `size` bytes: opening is on
// (max_depth > 0), the file is within max_archive_bytes and IsArchiveName(path).
bool ShouldOpenArchive(absl::string_view path, uint64_t size, const NestedArchiveLimits& limits);

// True when `content` starts with a zip, gzip, bzip2, xz or zstd magic number or is a ustar tar.
bool LooksLikeArchive(absl::string_view content);

// Calls `visit(member_path, member_content)` for every regular member of the archive `content`
// (whose path is `path`), then opens the members that are archives themselves, up to
// max_depth. `visit`'s error stops the walk and is returned.
// Errors: DataLoss "<member path>: <libarchive message>" for a corrupt or unsupported archive
// (members visited before it stay visited); ResourceExhausted naming the cap when
// max_total_bytes or max_members is reached.
absl::Status ForEachArchiveMember(
    absl::string_view content, absl::string_view path, const NestedArchiveLimits& limits,
    absl::FunctionRef<absl::Status(const std::string& member_path, absl::string_view content)>
        visit);

}  // namespace bulwark::image

#endif  // BULWARK_IMAGE_RISK_NESTED_ARCHIVES_H_
