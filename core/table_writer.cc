// The terminal table, and the format dispatch shared by every command that prints a report.
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bulwark/core/report.h"
#include "bulwark/core/report_writer.h"

namespace bulwark::core {
namespace {

constexpr absl::string_view kReset = "\033[0m";

absl::string_view SeverityColor(v1::Severity severity) {
  switch (severity) {
    case v1::SEVERITY_CRITICAL:
      return "\033[1;31m";  // Bold red.
    case v1::SEVERITY_HIGH:
      return "\033[31m";  // Red.
    case v1::SEVERITY_MEDIUM:
      return "\033[33m";  // Yellow.
    case v1::SEVERITY_LOW:
      return "\033[34m";  // Blue.
    default:
      return "\033[2m";  // Dim.
  }
}

// Display width in terminal columns, counting each UTF-8 code point as one column.
size_t DisplayWidth(absl::string_view text) {
  size_t width = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++width;
  }
  return width;
}

// Shortens `text` to at most `width` columns, marking the cut with "…"; never splits a code
// point.
std::string Truncate(absl::string_view text, size_t width) {
  if (DisplayWidth(text) <= width) return std::string(text);
  if (width == 0) return "";
  std::string out;
  size_t columns = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = text[i];
    if ((c & 0xC0) != 0x80) {
      if (columns + 1 == width) break;
      ++columns;
    }
    out.push_back(static_cast<char>(c));
  }
  return out + "\u2026";
}

// Control characters from untrusted fields must not reach the terminal as escape sequences.
std::string Printable(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) out.push_back(c < 0x20 || c == 0x7F ? ' ' : static_cast<char>(c));
  return out;
}

std::string LocationText(const v1::Finding& finding) {
  const v1::Location& location = finding.location();
  std::string text = location.path().empty() ? finding.target() : location.path();
  if (location.start_line() > 0) absl::StrAppend(&text, ":", location.start_line());
  return Printable(text);
}

}  // namespace

std::string ReportToTable(const v1::Report& report, const WriteOptions& options) {
  std::vector<const v1::Finding*> findings;
  for (const v1::Finding& finding : report.findings()) findings.push_back(&finding);
  std::stable_sort(findings.begin(), findings.end(),
                   [](const v1::Finding* a, const v1::Finding* b) {
                     if (a->severity() != b->severity()) return a->severity() > b->severity();
                     if (a->rule_id() != b->rule_id()) return a->rule_id() < b->rule_id();
                     return a->location().path() < b->location().path();
                   });

  constexpr size_t kColumns = 4;
  const std::array<std::string, kColumns> header = {"SEVERITY", "RULE", "LOCATION", "TITLE"};
  std::vector<std::array<std::string, kColumns>> rows;
  for (const v1::Finding* finding : findings) {
    rows.push_back({std::string(SeverityName(finding->severity())), Printable(finding->rule_id()),
                    LocationText(*finding), Printable(finding->title())});
  }
  std::array<size_t, kColumns> widths;
  for (size_t c = 0; c < kColumns; ++c) {
    widths[c] = DisplayWidth(header[c]);
    for (const auto& row : rows) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  if (options.max_width > 0) {
    size_t fixed = widths[0] + widths[1] + widths[2] + 2 * (kColumns - 1);
    size_t room = static_cast<size_t>(options.max_width) > fixed + 8
                      ? static_cast<size_t>(options.max_width) - fixed
                      : 8;
    widths[3] = std::min(widths[3], room);
  }

  std::string out;
  if (!report.target().empty()) absl::StrAppend(&out, Printable(report.target()), "\n\n");
  auto append_row = [&](const std::array<std::string, kColumns>& row, absl::string_view color) {
    std::string line;
    for (size_t c = 0; c < kColumns; ++c) {
      std::string cell = c == kColumns - 1 ? Truncate(row[c], widths[c]) : row[c];
      if (c == 0 && !color.empty()) {
        absl::StrAppend(&line, color, cell, kReset);
      } else {
        absl::StrAppend(&line, cell);
      }
      if (c + 1 < kColumns) line.append(widths[c] - DisplayWidth(cell) + 2, ' ');
    }
    absl::StrAppend(&out, line, "\n");
  };
  append_row(header, "");
  for (size_t i = 0; i < rows.size(); ++i) {
    append_row(rows[i], options.color ? SeverityColor(findings[i]->severity()) : "");
  }

  std::array<int, v1::Severity_ARRAYSIZE> counts = {};
  for (const v1::Finding* finding : findings) ++counts[finding->severity()];
  std::vector<std::string> parts;
  for (int s = v1::Severity_MAX; s >= v1::Severity_MIN; --s) {
    parts.push_back(absl::StrCat(SeverityName(static_cast<v1::Severity>(s)), ": ", counts[s]));
  }
  absl::StrAppend(&out, "\nTotal: ", findings.size(), " (", absl::StrJoin(parts, ", "), ")\n");
  return out;
}

absl::StatusOr<ReportFormat> ParseReportFormat(absl::string_view name) {
  if (name == "table") return ReportFormat::kTable;
  if (name == "json") return ReportFormat::kJson;
  if (name == "sarif") return ReportFormat::kSarif;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown format \"", name, "\" (expected table, json or sarif)"));
}

absl::StatusOr<std::string> WriteReport(const v1::Report& report, ReportFormat format,
                                        const WriteOptions& options) {
  switch (format) {
    case ReportFormat::kTable:
      return ReportToTable(report, options);
    case ReportFormat::kJson:
      return ReportToJson(report);
    case ReportFormat::kSarif:
      return ReportToSarif(report);
  }
  return absl::InvalidArgumentError("unknown report format");
}

bool ShouldUseColor(int fd) {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  return ::isatty(fd) == 1;
}

}  // namespace bulwark::core
