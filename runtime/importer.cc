#include "bulwark/runtime/importer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "bulwark/core/document.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/runtime/internal/import_fields.h"

namespace bulwark::runtime {
namespace {

// Calls `record` for each JSON record of `text`: the elements of a top-level array, the single
// top-level object, or each non-empty line of JSON Lines.
absl::Status ForEachRecord(absl::string_view text, absl::string_view source_name,
                           const core::Limits& limits,
                           const std::function<absl::Status(const core::Value&)>& record) {
  // Errors of a record inside a whole document name the source; its position is inside them.
  auto in_source = [&](const core::Value& value) {
    absl::Status status = record(value);
    if (status.ok()) return status;
    return absl::Status(status.code(), absl::StrCat(source_name, ":", status.message()));
  };
  absl::string_view trimmed = absl::StripLeadingAsciiWhitespace(text);
  if (absl::StartsWith(trimmed, "[")) {
    BULWARK_ASSIGN_OR_RETURN(core::Value document, core::ParseJson(text, limits, source_name));
    for (const core::Value& element : document.list_value()) {
      BULWARK_RETURN_IF_ERROR(in_source(element));
    }
    return absl::OkStatus();
  }
  // One pretty-printed object spans lines; JSON Lines has one object per line. A text whose
  // first line is not a whole object is read as one document.
  const size_t first_newline = trimmed.find('\n');
  if (first_newline != absl::string_view::npos &&
      !core::ParseJson(trimmed.substr(0, first_newline), limits, source_name).ok()) {
    BULWARK_ASSIGN_OR_RETURN(core::Value document, core::ParseJson(text, limits, source_name));
    return in_source(document);
  }
  size_t line_number = 0;
  uint64_t records = 0;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    absl::string_view line = text.substr(0, end);
    text = end == absl::string_view::npos ? absl::string_view() : text.substr(end + 1);
    ++line_number;
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    const std::string where = absl::StrCat(source_name, ":", line_number);
    if (++records > limits.max_entries) {
      return core::LimitExceeded("max_entries", limits.max_entries, where);
    }
    absl::StatusOr<core::Value> value = core::ParseJson(line, limits, where);
    if (!value.ok()) return value.status();
    absl::Status status = record(*value);
    if (!status.ok()) {
      return absl::Status(status.code(), absl::StrCat(where, ": ", status.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ImportFormat> ParseImportFormat(absl::string_view name) {
  if (name == "tetragon") return ImportFormat::kTetragon;
  if (name == "tracee") return ImportFormat::kTracee;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown import format '", name, "' (expected tetragon or tracee)"));
}

absl::Status ImportRecord(ImportFormat format, const core::Value& record,
                          std::vector<v1::Event>& out, ImportStats* stats) {
  if (!record.is_map()) return internal::RecordError(record, "a record must be a JSON object");
  if (stats != nullptr) ++stats->records;
  const size_t before = out.size();
  absl::Status status = format == ImportFormat::kTetragon
                            ? internal::ImportTetragonRecord(record, out, stats)
                            : internal::ImportTraceeRecord(record, out, stats);
  if (stats != nullptr) stats->events += out.size() - before;
  return status;
}

absl::Status ImportEvents(ImportFormat format, absl::string_view text,
                          absl::string_view source_name, const core::Limits& limits,
                          const std::function<absl::Status(v1::Event&&)>& consume,
                          ImportStats* stats) {
  std::vector<v1::Event> events;
  return ForEachRecord(text, source_name, limits, [&](const core::Value& record) {
    events.clear();
    BULWARK_RETURN_IF_ERROR(ImportRecord(format, record, events, stats));
    for (v1::Event& event : events) BULWARK_RETURN_IF_ERROR(consume(std::move(event)));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<v1::Event>> ImportEventsFile(ImportFormat format,
                                                        const std::string& path,
                                                        const core::Limits& limits,
                                                        ImportStats* stats) {
  BULWARK_ASSIGN_OR_RETURN(std::string text, core::ReadFileToString(path, limits.max_file_bytes));
  std::vector<v1::Event> events;
  BULWARK_RETURN_IF_ERROR(ImportEvents(
      format, text, path, limits,
      [&events](v1::Event&& event) {
        events.push_back(std::move(event));
        return absl::OkStatus();
      },
      stats));
  return events;
}

}  // namespace bulwark::runtime
