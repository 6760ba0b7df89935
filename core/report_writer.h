// Renders a v1::Report as JSON (protobuf's JSON mapping), SARIF 2.1.0, or a table for terminals,
// and reads the JSON form back.
//   BULWARK_ASSIGN_OR_RETURN(ReportFormat format, ParseReportFormat(flag));
//   BULWARK_ASSIGN_OR_RETURN(std::string text, WriteReport(report, format));
// Thread safety: the functions share no state.
#ifndef BULWARK_CORE_REPORT_WRITER_H_
#define BULWARK_CORE_REPORT_WRITER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/report.pb.h"

namespace bulwark::core {

enum class ReportFormat { kTable, kJson, kSarif };

// Reads "table", "json" or "sarif". Errors: InvalidArgument listing the formats.
absl::StatusOr<ReportFormat> ParseReportFormat(absl::string_view name);

struct WriteOptions {
  // Table only: ANSI colours for severities. See ShouldUseColor(). Default: false.
  bool color = false;
  // Table only: the widest a line may be; the title column is shortened to fit. 0 = no limit.
  // Default: 0.
  int max_width = 0;
};

// Renders `report` in `format`; the text ends with a newline.
// Errors: Internal only if protobuf cannot print the report.
absl::StatusOr<std::string> WriteReport(const v1::Report& report, ReportFormat format,
                                        const WriteOptions& options = {});

// Protobuf JSON mapping, indented, fields with default values left out.
absl::StatusOr<std::string> ReportToJson(const v1::Report& report);

// SARIF 2.1.0 (OASIS): one run, one rule per distinct rule id, one result per finding, with
// GitHub's "security-severity" rule property and our fingerprint as a partial fingerprint.
std::string ReportToSarif(const v1::Report& report);

// Findings sorted by severity (worst first), then rule id and path, then a summary line.
std::string ReportToTable(const v1::Report& report, const WriteOptions& options = {});

// Reads the JSON form (ReportToJson's output, or any proto3 JSON of v1::Report). Unknown fields
// are an error. Errors: InvalidArgument with protobuf's description of the problem.
absl::StatusOr<v1::Report> ReportFromJson(absl::string_view json);

// True when output to `fd` should carry colours: `fd` is a terminal and NO_COLOR is unset or
// empty (no-color.org).
bool ShouldUseColor(int fd);

}  // namespace bulwark::core

#endif  // BULWARK_CORE_REPORT_WRITER_H_
