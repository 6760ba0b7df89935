// What every report-printing command shares: the --format and --fail-on flags, printing the
// report to standard output (colours only on a terminal without NO_COLOR), and the exit status
// --fail-on asks for.
//   BULWARK_ASSIGN_OR_RETURN(ReportOutput output, ParseReportOutputFlags(args));
//   return PrintReport(report, output);  // ExitCode::kFindingsAtOrAboveFailOn or kOk
// Thread safety: writes to standard output; call from one thread.
#ifndef BULWARK_EXAMPLES_CLI_REPORT_OUTPUT_H_
#define BULWARK_EXAMPLES_CLI_REPORT_OUTPUT_H_

#include <optional>

#include "absl/status/statusor.h"
#include "bulwark/core/report.pb.h"
#include "bulwark/core/report_writer.h"
#include "bulwark/examples/cli/exit_codes.h"
#include "bulwark/examples/cli/flags.h"

namespace bulwark::cli {

struct ReportOutput {
  // --format. Default: table.
  core::ReportFormat format = core::ReportFormat::kTable;
  // --fail-on; unset means findings never change the exit status. Default: unset.
  std::optional<core::v1::Severity> fail_on;
};

// Reads --format and --fail-on. Errors: InvalidArgument naming the flag and the accepted values.
absl::StatusOr<ReportOutput> ParseReportOutputFlags(const ParsedArgs& args);

// Reads --format alone, for commands whose output is not a report.
absl::StatusOr<core::ReportFormat> ParseFormatFlag(const ParsedArgs& args);

// Prints `report` in `output.format` and returns kFindingsAtOrAboveFailOn when a finding is at or
// above `output.fail_on`, kOk otherwise. Errors: those of core::WriteReport.
absl::StatusOr<ExitCode> PrintReport(const core::v1::Report& report, const ReportOutput& output);

}  // namespace bulwark::cli

#endif  // BULWARK_EXAMPLES_CLI_REPORT_OUTPUT_H_
