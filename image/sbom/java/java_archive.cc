#include "bulwark/image/sbom/java/java_archive.h"

#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/utf8.h"

namespace bulwark::sbom {
namespace {

constexpr absl::string_view kArchiveSuffixes[] = {".jar", ".war", ".ear", ".jpi", ".hpi", ".par",
                                                  ".sar", ".rar", ".nar", ".kar", ".lpkg"};

struct FreeArchive {
  void operator()(archive* a) const { archive_read_free(a); }
};

bool IsPomProperties(absl::string_view name) {
  return absl::StartsWith(name, "META-INF/maven/") && absl::EndsWith(name, "/pom.properties");
}

bool IsManifest(absl::string_view name) {
  return absl::EqualsIgnoreCase(name, "META-INF/MANIFEST.MF");
}

// One call's shared state: options, the byte budget and the results.
class Walker {
 public:
  Walker(const JavaArchiveOptions& options, JavaArchiveContents* contents)
      : options_(options), contents_(contents) {}

  // Reads one archive and, depth-first, the archives inside it. Only the top level's failure
  // to open is an error; everything below is a warning.
  absl::Status Walk(absl::string_view bytes, const std::string& path, uint32_t depth) {
    std::unique_ptr<archive, FreeArchive> reader(archive_read_new());
    archive_read_support_format_zip(reader.get());
    if (archive_read_open_memory(reader.get(), bytes.data(), bytes.size()) != ARCHIVE_OK) {
      return Fail(depth,
                  absl::StrCat(path, ": not a zip archive: ", archive_error_string(reader.get())));
    }
    const size_t index = contents_->archives.size();
    contents_->archives.push_back(JavaArchive{path, std::nullopt, {}});
    uint64_t entries = 0;
    while (true) {
      archive_entry* entry = nullptr;
      int rc = archive_read_next_header(reader.get(), &entry);
      if (rc == ARCHIVE_EOF) break;
      if (rc < ARCHIVE_WARN) {
        return Fail(depth, absl::StrCat(path, ": corrupt zip archive after ", entries,
                                        " entries: ", archive_error_string(reader.get())));
      }
      if (++entries > options_.limits.max_entries) {
        return core::LimitExceeded("max_entries", options_.limits.max_entries, path);
      }
      const char* raw_name = archive_entry_pathname(entry);
      if (raw_name == nullptr || archive_entry_filetype(entry) != AE_IFREG) continue;
      const std::string name = core::SanitizeUtf8(raw_name);
      const int64_t size = archive_entry_size_is_set(entry) ? archive_entry_size(entry) : -1;
      if (IsManifest(name) || IsPomProperties(name)) {
        std::string text;
        absl::Status read =
            ReadEntry(reader.get(), path, name, size, options_.max_metadata_bytes, &text);
        if (!read.ok()) {
          if (absl::IsResourceExhausted(read) && total_bytes_ > options_.limits.max_total_bytes) {
            return read;
          }
          Warn(read.message());
          continue;
        }
        const std::string where = absl::StrCat(path, "!/", name);
        if (IsManifest(name)) {
          contents_->archives[index].manifest =
              ParseJavaManifest(text, where, &contents_->warnings);
        } else {
          contents_->archives[index].pom_properties.push_back(
              ToPom(name, ParseJavaProperties(text)));
        }
      } else if (IsJavaArchiveName(name)) {
        const std::string nested = absl::StrCat(path, "!/", name);
        if (depth + 1 > options_.max_nesting) {
          Warn(absl::StrCat(nested, ": nested deeper than max_nesting ", options_.max_nesting,
                            "; not read"));
          continue;
        }
        std::string inner;
        absl::Status read =
            ReadEntry(reader.get(), path, name, size, options_.limits.max_file_bytes, &inner);
        if (!read.ok()) {
          if (absl::IsResourceExhausted(read) && total_bytes_ > options_.limits.max_total_bytes) {
            return read;
          }
          Warn(read.message());
          continue;
        }
        absl::Status status = Walk(inner, nested, depth + 1);
        if (!status.ok()) return status;
      }
    }
    return absl::OkStatus();
  }

 private:
  // Top-level failures are errors; nested ones become warnings and end that archive only.
  absl::Status Fail(uint32_t depth, const std::string& message) {
    if (depth == 0) return absl::InvalidArgumentError(message);
    Warn(message);
    return absl::OkStatus();
  }

  void Warn(absl::string_view message) { contents_->warnings.push_back(std::string(message)); }

  // Reads the current entry's data, at most `cap` bytes, charging the call's byte budget.
  absl::Status ReadEntry(archive* reader, const std::string& path, const std::string& name,
                         int64_t declared_size, uint64_t cap, std::string* out) {
    const std::string where = absl::StrCat(path, "!/", name);
    if (declared_size > 0 && static_cast<uint64_t>(declared_size) > cap) {
      return absl::ResourceExhaustedError(absl::StrCat(
          where, ": ", declared_size, " bytes is above the ", cap, "-byte cap; skipped"));
    }
    char buffer[65536];
    while (true) {
      la_ssize_t got = archive_read_data(reader, buffer, sizeof(buffer));
      if (got == 0) return absl::OkStatus();
      if (got < 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            where, ": cannot read entry: ", archive_error_string(reader), "; skipped"));
      }
      total_bytes_ += static_cast<uint64_t>(got);
      if (total_bytes_ > options_.limits.max_total_bytes) {
        return core::LimitExceeded("max_total_bytes", options_.limits.max_total_bytes, where);
      }
      if (out->size() + static_cast<uint64_t>(got) > cap) {
        return absl::ResourceExhaustedError(
            absl::StrCat(where, ": more than the ", cap, "-byte cap; skipped"));
      }
      out->append(buffer, static_cast<size_t>(got));
    }
  }

  static PomProperties ToPom(const std::string& name,
                             std::vector<std::pair<std::string, std::string>> properties) {
    PomProperties pom;
    pom.path = name;
    pom.properties = std::move(properties);
    // Later duplicates win, as java.util.Properties.load does.
    for (const auto& [key, value] : pom.properties) {
      if (key == "groupId") pom.group_id = core::SanitizeUtf8(value);
      if (key == "artifactId") pom.artifact_id = core::SanitizeUtf8(value);
      if (key == "version") pom.version = core::SanitizeUtf8(value);
    }
    return pom;
  }

  const JavaArchiveOptions& options_;
  JavaArchiveContents* contents_;
  uint64_t total_bytes_ = 0;
};

}  // namespace

bool IsJavaArchiveName(absl::string_view path) {
  for (absl::string_view suffix : kArchiveSuffixes) {
    if (path.size() > suffix.size() &&
        absl::EqualsIgnoreCase(path.substr(path.size() - suffix.size()), suffix)) {
      return true;
    }
  }
  return false;
}

absl::StatusOr<JavaArchiveContents> ReadJavaArchive(absl::string_view bytes, absl::string_view path,
                                                    const JavaArchiveOptions& options) {
  JavaArchiveContents contents;
  Walker walker(options, &contents);
  absl::Status status = walker.Walk(bytes, std::string(path), 0);
  if (!status.ok()) return status;
  return contents;
}

}  // namespace bulwark::sbom
