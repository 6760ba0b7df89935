#include "bulwark/image/sbom/rpm/rpmdb.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/sbom/binfmt/bytes.h"
#include "bulwark/image/sbom/rpm/internal/rpmdb_stores.h"

namespace bulwark::sbom {
namespace {

constexpr absl::string_view kSqliteMagic("SQLite format 3\0", 16);

struct KnownPath {
  absl::string_view suffix;
  RpmdbFormat format;
};

// Where distributions keep the database: /var/lib/rpm, and /usr/lib/sysimage/rpm (openSUSE,
// Fedora 36+), whose /var/lib/rpm is then a symlink.
constexpr KnownPath kKnownPaths[] = {
    {"var/lib/rpm/Packages", RpmdbFormat::kBerkeleyDb},
    {"var/lib/rpm/Packages.db", RpmdbFormat::kNdb},
    {"var/lib/rpm/rpmdb.sqlite", RpmdbFormat::kSqlite},
    {"usr/lib/sysimage/rpm/Packages", RpmdbFormat::kBerkeleyDb},
    {"usr/lib/sysimage/rpm/Packages.db", RpmdbFormat::kNdb},
    {"usr/lib/sysimage/rpm/rpmdb.sqlite", RpmdbFormat::kSqlite},
};

}  // namespace

absl::string_view RpmdbFormatName(RpmdbFormat format) {
  switch (format) {
    case RpmdbFormat::kBerkeleyDb:
      return "bdb";
    case RpmdbFormat::kNdb:
      return "ndb";
    case RpmdbFormat::kSqlite:
      return "sqlite";
  }
  return "unknown";
}

std::optional<RpmdbFormat> DetectRpmdbFormat(absl::string_view bytes) {
  if (absl::StartsWith(bytes, "RpmP")) return RpmdbFormat::kNdb;
  if (absl::StartsWith(bytes, kSqliteMagic)) return RpmdbFormat::kSqlite;
  uint32_t little = 0, big = 0;
  if (binfmt::ReadU32(bytes, 12, binfmt::ByteOrder::kLittle, &little) &&
      binfmt::ReadU32(bytes, 12, binfmt::ByteOrder::kBig, &big) &&
      (little == 0x061561 || big == 0x061561)) {
    return RpmdbFormat::kBerkeleyDb;
  }
  return std::nullopt;
}

std::optional<RpmdbFormat> RpmdbFormatForPath(absl::string_view path) {
  for (const KnownPath& known : kKnownPaths) {
    if (path == known.suffix || (absl::EndsWith(path, known.suffix) &&
                                 path[path.size() - known.suffix.size() - 1] == '/')) {
      return known.format;
    }
  }
  return std::nullopt;
}

absl::StatusOr<RpmdbContents> ReadRpmdb(absl::string_view bytes, absl::string_view source,
                                        const RpmdbOptions& options) {
  std::optional<RpmdbFormat> format = DetectRpmdbFormat(bytes);
  if (!format.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": not an rpm database (no Berkeley DB hash, NDB or SQLite magic)"));
  }
  RpmdbContents contents;
  contents.format = *format;
  internal::StoreLimits limits;
  limits.max_blob_bytes = options.limits.max_file_bytes;
  limits.max_records = options.limits.max_entries;
  RpmPackageOptions package_options;
  package_options.include_files = options.include_files;
  package_options.max_path_length = options.limits.max_path_length;
  auto visit = [&](uint64_t key, absl::string_view blob) {
    std::string where = absl::StrCat(source, "#", key);
    absl::StatusOr<RpmPackage> package =
        ParseRpmPackage(blob, where, package_options, &contents.warnings);
    if (!package.ok()) {
      contents.warnings.push_back(absl::StrCat(package.status().message(), "; package skipped"));
      return;
    }
    contents.packages.push_back(*std::move(package));
  };
  switch (*format) {
    case RpmdbFormat::kBerkeleyDb:
      BULWARK_RETURN_IF_ERROR(
          internal::ForEachBdbHashBlob(bytes, source, limits, visit, &contents.warnings));
      break;
    case RpmdbFormat::kNdb:
      BULWARK_RETURN_IF_ERROR(
          internal::ForEachNdbBlob(bytes, source, limits, visit, &contents.warnings));
      break;
    case RpmdbFormat::kSqlite:
      BULWARK_RETURN_IF_ERROR(
          internal::ForEachSqliteBlob(bytes, source, limits, visit, &contents.warnings));
      break;
  }
  return contents;
}

absl::StatusOr<RpmdbContents> ReadRpmdbFile(const std::string& path, const RpmdbOptions& options) {
  BULWARK_ASSIGN_OR_RETURN(std::string bytes,
                           core::ReadFileToString(path, options.limits.max_file_bytes));
  return ReadRpmdb(bytes, path, options);
}

}  // namespace bulwark::sbom
