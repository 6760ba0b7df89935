#include "bulwark/image/risk/nested_archives.h"

#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/status_macros.h"

namespace bulwark::image {
namespace {

struct Budget {
  uint64_t bytes = 0;
  uint64_t members = 0;
};

using ArchivePtr = std::unique_ptr<archive, int (*)(archive*)>;

absl::Status ArchiveError(archive* reader, absl::string_view path) {
  const char* message = archive_error_string(reader);
  return absl::DataLossError(
      absl::StrCat(path, ": ", message != nullptr ? message : "unreadable archive"));
}

absl::Status Walk(absl::string_view content, absl::string_view path, uint32_t depth,
                  const NestedArchiveLimits& limits, Budget& budget,
                  absl::FunctionRef<absl::Status(const std::string&, absl::string_view)> visit) {
  ArchivePtr reader(archive_read_new(), archive_read_free);
  if (reader == nullptr) return absl::ResourceExhaustedError("libarchive: out of memory");
  archive_read_support_filter_all(reader.get());
  archive_read_support_format_tar(reader.get());
  archive_read_support_format_gnutar(reader.get());
  archive_read_support_format_zip(reader.get());
  // A compressed single file (config.json.gz) has no archive format: raw gives its bytes.
  archive_read_support_format_raw(reader.get());
  if (archive_read_open_memory(reader.get(), content.data(), content.size()) != ARCHIVE_OK) {
    return ArchiveError(reader.get(), path);
  }
  // Nested archives are opened after this one is done, so that one level is open at a time.
  std::vector<std::pair<std::string, std::string>> nested;
  archive_entry* entry = nullptr;
  std::string member;
  while (true) {
    const int status = archive_read_next_header(reader.get(), &entry);
    if (status == ARCHIVE_EOF) break;
    if (status < ARCHIVE_WARN) return ArchiveError(reader.get(), path);
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    if (++budget.members > limits.max_members) {
      return core::LimitExceeded("max_members", limits.max_members, path);
    }
    const char* name = archive_entry_pathname(entry);
    std::string member_path = absl::StrCat(path, "!/", name != nullptr ? name : "");
    if (member_path.size() > limits.max_path_length) continue;
    // Sizes may be unknown (raw, streamed zip): read up to the cap and skip what is larger.
    if (archive_entry_size_is_set(entry) &&
        static_cast<uint64_t>(archive_entry_size(entry)) > limits.max_member_bytes) {
      continue;
    }
    member.clear();
    char buffer[64 * 1024];
    bool too_big = false;
    while (true) {
      const la_ssize_t n = archive_read_data(reader.get(), buffer, sizeof(buffer));
      if (n < 0) return ArchiveError(reader.get(), member_path);
      if (n == 0) break;
      budget.bytes += static_cast<uint64_t>(n);
      if (budget.bytes > limits.max_total_bytes) {
        return core::LimitExceeded("max_total_bytes", limits.max_total_bytes, member_path);
      }
      if (member.size() + static_cast<size_t>(n) > limits.max_member_bytes) {
        too_big = true;
        break;
      }
      member.append(buffer, static_cast<size_t>(n));
    }
    if (too_big) continue;
    BULWARK_RETURN_IF_ERROR(visit(member_path, member));
    if (depth < limits.max_depth && LooksLikeArchive(member)) {
      nested.emplace_back(std::move(member_path), std::move(member));
      member = std::string();
    }
  }
  reader.reset();
  for (const auto& [nested_path, nested_content] : nested) {
    BULWARK_RETURN_IF_ERROR(Walk(nested_content, nested_path, depth + 1, limits, budget, visit));
  }
  return absl::OkStatus();
}

}  // namespace

bool IsArchiveName(absl::string_view path) {
  static constexpr absl::string_view kExtensions[] = {
      ".zip", ".jar", ".war", ".ear", ".whl", ".egg", ".nupkg", ".apk", ".aar",
      ".tar", ".tgz", ".gz",  ".bz2", ".xz",  ".zst", ".tbz2",  ".txz", ".tzst"};
  for (absl::string_view extension : kExtensions) {
    if (absl::EndsWithIgnoreCase(path, extension)) return true;
  }
  return false;
}

bool ShouldOpenArchive(absl::string_view path, uint64_t size, const NestedArchiveLimits& limits) {
  return limits.max_depth > 0 && size <= limits.max_archive_bytes && IsArchiveName(path);
}

bool LooksLikeArchive(absl::string_view content) {
  static constexpr absl::string_view kMagics[] = {
      absl::string_view("PK\x03\x04", 4),  // zip (jar, war, whl...)
      absl::string_view("\x1f\x8b", 2),    // gzip
      absl::string_view("BZh", 3),         // bzip2
      absl::string_view("\xfd"
                        "7zXZ\x00",
                        6),                      // xz
      absl::string_view("\x28\xb5\x2f\xfd", 4),  // zstd
  };
  for (absl::string_view magic : kMagics) {
    if (absl::StartsWith(content, magic)) return true;
  }
  constexpr size_t kUstarOffset = 257;
  return content.size() >= 512 && content.substr(kUstarOffset, 5) == "ustar";
}

absl::Status ForEachArchiveMember(
    absl::string_view content, absl::string_view path, const NestedArchiveLimits& limits,
    absl::FunctionRef<absl::Status(const std::string& member_path, absl::string_view content)>
        visit) {
  if (limits.max_depth == 0) return absl::OkStatus();
  Budget budget;
  return Walk(content, path, 1, limits, budget, visit);
}

}  // namespace bulwark::image
