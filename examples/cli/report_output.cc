#include "bulwark/examples/cli/report_output.h"

#include <unistd.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "bulwark/core/report.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/examples/cli/stdout_writer.h"

namespace bulwark::cli {
namespace {

// Prefixes a flag's parse error with the flag, so the user sees which one was wrong.
absl::Status FlagError(absl::string_view flag, const absl::Status& status) {
  return absl::InvalidArgumentError(absl::StrCat("--", flag, ": ", status.message()));
}

}  // namespace

absl::StatusOr<core::ReportFormat> ParseFormatFlag(const ParsedArgs& args) {
  const std::string* format = args.Find("format");
  if (format == nullptr) return core::ReportFormat::kTable;
  absl::StatusOr<core::ReportFormat> parsed = core::ParseReportFormat(*format);
  if (!parsed.ok()) return FlagError("format", parsed.status());
  return *parsed;
}

absl::StatusOr<ReportOutput> ParseReportOutputFlags(const ParsedArgs& args) {
  ReportOutput output;
  BULWARK_ASSIGN_OR_RETURN(output.format, ParseFormatFlag(args));
  if (const std::string* fail_on = args.Find("fail-on")) {
    absl::StatusOr<core::v1::Severity> severity = core::ParseSeverity(*fail_on);
    if (!severity.ok()) return FlagError("fail-on", severity.status());
    output.fail_on = *severity;
  }
  return output;
}

absl::StatusOr<ExitCode> PrintReport(const core::v1::Report& report, const ReportOutput& output) {
  core::WriteOptions options;
  options.color = core::ShouldUseColor(STDOUT_FILENO);
  options.max_width = TerminalWidth(STDOUT_FILENO);
  BULWARK_ASSIGN_OR_RETURN(std::string text, core::WriteReport(report, output.format, options));
  WriteToStdout(text);
  if (output.fail_on.has_value() && core::HasFindingAtOrAbove(report, *output.fail_on)) {
    return ExitCode::kFindingsAtOrAboveFailOn;
  }
  return ExitCode::kOk;
}

}  // namespace bulwark::cli
