// `bulwark convert`: reads a report in Bulwark's JSON form and prints it in another format, the
// way `trivy convert` turns a saved JSON report into SARIF or a table without scanning again.
#include <string>

#include "absl/strings/str_cat.h"
#include "bulwark/core/file.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/report_writer.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/examples/cli/command.h"
#include "bulwark/examples/cli/report_output.h"
#include "bulwark/examples/cli/stdin_reader.h"

namespace bulwark::cli {
namespace {

absl::StatusOr<std::string> ReadReportText(const std::string& path) {
  // A report is loaded whole, so the cap on one loaded file applies.
  const uint64_t max_bytes = core::Limits().max_file_bytes;
  if (path == "-") return ReadStdinToString(max_bytes);
  return core::ReadFileToString(path, max_bytes);
}

}  // namespace

absl::StatusOr<ExitCode> RunConvert(const ParsedArgs& args) {
  BULWARK_ASSIGN_OR_RETURN(ReportOutput output, ParseReportOutputFlags(args));
  const std::string& path = args.positional.front();
  BULWARK_ASSIGN_OR_RETURN(std::string json, ReadReportText(path));
  absl::StatusOr<core::v1::Report> report = core::ReportFromJson(json);
  if (!report.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", report.status().message()));
  }
  return PrintReport(*report, output);
}

}  // namespace bulwark::cli
