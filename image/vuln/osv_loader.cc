// Database::LoadSources: finding and reading OSV sources (directories, JSON, YAML, JSON Lines,
// zip exports, Alpine secdb).
#include <archive.h>
#include <archive_entry.h>
#include <malloc.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bulwark/core/document.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/vuln/alpine_secdb.h"
#include "bulwark/image/vuln/database.h"
#include "bulwark/image/vuln/osv_record.h"
#include "bulwark/image/vuln/trivy_fixture.h"

namespace bulwark::vuln {
namespace {

namespace fs = std::filesystem;

enum class Format { kJson, kYaml, kJsonLines, kZip, kOther };

Format FormatOf(absl::string_view name) {
  if (absl::EndsWithIgnoreCase(name, ".json")) return Format::kJson;
  if (absl::EndsWithIgnoreCase(name, ".yaml") || absl::EndsWithIgnoreCase(name, ".yml")) {
    return Format::kYaml;
  }
  if (absl::EndsWithIgnoreCase(name, ".jsonl")) return Format::kJsonLines;
  if (absl::EndsWithIgnoreCase(name, ".zip")) return Format::kZip;
  return Format::kOther;
}

// Hands records to a Database::Builder as sources are read, and counts what it reads: each
// file's text and parsed documents are freed before the next file is read.
class Collector {
 public:
  explicit Collector(const LoadOptions& options)
      : options_(options), builder_(options.max_warnings), stats_(builder_.stats()) {}

  void Malformed(const absl::Status& status) {
    stats_.set_malformed_records(stats_.malformed_records() + 1);
    Warn(std::string(status.message()));
  }

  void Warn(std::string warning) {
    if (static_cast<size_t>(stats_.warnings_size()) < options_.max_warnings) {
      stats_.add_warnings(std::move(warning));
    } else {
      stats_.set_warnings_dropped(stats_.warnings_dropped() + 1);
    }
  }

  // One parsed document: an OSV record, a list of them, or an Alpine secdb.
  void AddDocument(const core::Value& document, const std::string& source) {
    if (IsAlpineSecdb(document)) {
      absl::StatusOr<std::vector<v1::Record>> converted = ConvertAlpineSecdb(document, source);
      if (!converted.ok()) return Malformed(converted.status());
      for (v1::Record& record : *converted) builder_.Add(std::move(record));
      return;
    }
    if (IsTrivyFixture(document)) {
      uint64_t skipped = 0;
      absl::StatusOr<std::vector<v1::Record>> converted =
          ConvertTrivyFixture(document, source, &skipped);
      if (!converted.ok()) return Malformed(converted.status());
      for (v1::Record& record : *converted) builder_.Add(std::move(record));
      if (skipped > 0) {
        Warn(absl::StrCat(source, ": ", skipped,
                          " Trivy buckets are not distribution advisories and were not read"));
      }
      return;
    }
    if (document.is_list()) {
      for (size_t i = 0; i < document.list_value().size(); ++i) {
        AddDocument(document.list_value()[i], absl::StrCat(source, "[", i, "]"));
      }
      return;
    }
    uint64_t git = 0;
    absl::StatusOr<v1::Record> record = ParseOsvRecord(document, source, &git);
    if (!record.ok()) return Malformed(record.status());
    stats_.set_git_ranges_skipped(stats_.git_ranges_skipped() + git);
    builder_.Add(*std::move(record));
  }

  // The text of one file or archive member.
  void AddText(absl::string_view text, Format format, const std::string& source) {
    stats_.set_files(stats_.files() + 1);
    switch (format) {
      case Format::kJson: {
        absl::StatusOr<core::Value> value = core::ParseJson(text, options_.limits, source);
        if (!value.ok()) return Malformed(value.status());
        return AddDocument(*value, source);
      }
      case Format::kYaml: {
        absl::StatusOr<std::vector<core::Value>> docs =
            core::ParseYaml(text, options_.limits, source);
        if (!docs.ok()) return Malformed(docs.status());
        for (size_t i = 0; i < docs->size(); ++i) {
          AddDocument((*docs)[i], docs->size() == 1 ? source : absl::StrCat(source, "#", i));
        }
        return;
      }
      case Format::kJsonLines: {
        size_t line_number = 0;
        for (absl::string_view line : absl::StrSplit(text, '\n')) {
          ++line_number;
          if (absl::StripAsciiWhitespace(line).empty()) continue;
          std::string line_source = absl::StrCat(source, ":", line_number);
          absl::StatusOr<core::Value> value = core::ParseJson(line, options_.limits, line_source);
          if (!value.ok()) {
            Malformed(value.status());
            continue;
          }
          AddDocument(*value, line_source);
        }
        return;
      }
      default:
        return;
    }
  }

  absl::Status AddZip(const std::string& path) {
    std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(),
                                                             &archive_read_free);
    archive_read_support_format_zip(a.get());
    if (archive_read_open_filename(a.get(), path.c_str(), 64 * 1024) != ARCHIVE_OK) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": not a readable zip archive: ", archive_error_string(a.get())));
    }
    uint64_t entries = 0, total = 0;
    archive_entry* entry = nullptr;
    int r;
    while ((r = archive_read_next_header(a.get(), &entry)) == ARCHIVE_OK) {
      if (++entries > options_.limits.max_entries) {
        return core::LimitExceeded("max_entries", options_.limits.max_entries, path);
      }
      const char* name = archive_entry_pathname(entry);
      std::string member = absl::StrCat(path, "!", name == nullptr ? "" : name);
      Format format = FormatOf(member);
      if (archive_entry_filetype(entry) != AE_IFREG || format == Format::kOther ||
          format == Format::kZip) {
        continue;
      }
      std::string text;
      char buffer[64 * 1024];
      la_ssize_t n;
      while ((n = archive_read_data(a.get(), buffer, sizeof(buffer))) > 0) {
        text.append(buffer, static_cast<size_t>(n));
        total += static_cast<uint64_t>(n);
        if (text.size() > options_.limits.max_file_bytes) {
          return core::LimitExceeded("max_file_bytes", options_.limits.max_file_bytes, member);
        }
        if (total > options_.limits.max_total_bytes) {
          return core::LimitExceeded("max_total_bytes", options_.limits.max_total_bytes, path);
        }
      }
      if (n < 0) {
        return absl::DataLossError(
            absl::StrCat(member, ": cannot read: ", archive_error_string(a.get())));
      }
      AddText(text, format, member);
    }
    if (r != ARCHIVE_EOF) {
      return absl::DataLossError(
          absl::StrCat(path, ": corrupt zip archive: ", archive_error_string(a.get())));
    }
    return absl::OkStatus();
  }

  absl::Status AddFile(const std::string& path) {
    Format format = FormatOf(path);
    if (format == Format::kOther) return absl::OkStatus();
    if (format == Format::kZip) return AddZip(path);
    BULWARK_ASSIGN_OR_RETURN(std::string text,
                             core::ReadFileToString(path, options_.limits.max_file_bytes));
    AddText(text, format, path);
    return absl::OkStatus();
  }

  absl::Status AddPath(const std::string& path) {
    std::error_code error;
    fs::file_status status = fs::status(path, error);
    if (error) return core::ErrnoToStatus(error.value(), path);
    if (!fs::is_directory(status)) {
      if (FormatOf(path) == Format::kOther) {
        return absl::InvalidArgumentError(
            absl::StrCat(path,
                         ": not an OSV source (.json, .yaml, .yml, .jsonl, .zip or a "
                         "directory)"));
      }
      return AddFile(path);
    }
    std::vector<std::string> files;
    for (fs::recursive_directory_iterator it(path, error), end; !error && it != end;
         it.increment(error)) {
      if (it->is_regular_file(error) && FormatOf(it->path().native()) != Format::kOther) {
        files.push_back(it->path().native());
      }
    }
    if (error) return core::ErrnoToStatus(error.value(), path);
    std::sort(files.begin(), files.end());
    for (const std::string& file : files) BULWARK_RETURN_IF_ERROR(AddFile(file));
    return absl::OkStatus();
  }

  std::unique_ptr<const Database> Finish() && { return std::move(builder_).Finish(); }

 private:
  const LoadOptions& options_;
  Database::Builder builder_;
  v1::LoadStats& stats_;  // builder_'s.
};

}  // namespace

absl::StatusOr<std::unique_ptr<const Database>> Database::LoadSources(
    const std::vector<std::string>& paths, const LoadOptions& options) {
  Collector collector(options);
  for (const std::string& path : paths) BULWARK_RETURN_IF_ERROR(collector.AddPath(path));
  std::unique_ptr<const Database> db = std::move(collector).Finish();
  // Reading the sources freed tens of MiB of documents and records in small pieces, scattered
  // below what the database keeps: glibc would hold those pages as free heap for the life of the
  // process (a later scan's large buffers are mapped, not carved from it). Return them.
  malloc_trim(0);
  return db;
}

}  // namespace bulwark::vuln
