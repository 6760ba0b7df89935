// `bulwark version`: the Bulwark version and the versions of the libraries this build links,
// for bug reports and for checking which OpenSSL a deployed binary really uses.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "bulwark/core/report_writer.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/core/value.h"
#include "bulwark/core/version.h"
#include "bulwark/examples/cli/command.h"
#include "bulwark/examples/cli/report_output.h"
#include "bulwark/examples/cli/stdout_writer.h"

namespace bulwark::cli {
namespace {

// {"version": "...", "dependencies": {"<library>": "<version>", ...}}
std::string VersionJson() {
  core::ValueMap dependencies;
  for (auto& [library, version] : core::DependencyVersions()) {
    dependencies.push_back({std::move(library), core::Value(std::move(version))});
  }
  core::ValueMap object;
  object.push_back({"version", core::Value(std::string(core::kVersion))});
  object.push_back({"dependencies", core::Value(std::move(dependencies))});
  return core::Value(std::move(object)).ToJson() + "\n";
}

std::string VersionText() {
  std::string text = absl::StrCat("bulwark ", core::kVersion, "\n");
  for (const auto& [library, version] : core::DependencyVersions()) {
    absl::StrAppend(&text, "  ", library, " ", version, "\n");
  }
  return text;
}

}  // namespace

absl::StatusOr<ExitCode> RunVersion(const ParsedArgs& args) {
  BULWARK_ASSIGN_OR_RETURN(core::ReportFormat format, ParseFormatFlag(args));
  switch (format) {
    case core::ReportFormat::kTable:
      WriteToStdout(VersionText());
      return ExitCode::kOk;
    case core::ReportFormat::kJson:
      WriteToStdout(VersionJson());
      return ExitCode::kOk;
    case core::ReportFormat::kSarif:
      break;
  }
  return absl::InvalidArgumentError("--format: version prints table or json, not sarif");
}

}  // namespace bulwark::cli
