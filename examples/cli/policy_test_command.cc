// `bulwark policy test DIR`: runs every kyverno-test.yaml under DIR (Kyverno CLI test manifests)
// and reports each expected result that does not match.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/examples/cli/command.h"
#include "bulwark/examples/cli/stdout_writer.h"
#include "bulwark/examples/cli/text_table.h"
#include "bulwark/policy/admission/kyverno_test.h"

namespace bulwark::cli {

absl::StatusOr<ExitCode> RunPolicyTest(const ParsedArgs& args) {
  std::string file_name = args.Find("file-name") ? *args.Find("file-name") : "kyverno-test.yaml";
  BULWARK_ASSIGN_OR_RETURN(std::vector<policy::TestManifestReport> reports,
                           policy::RunKyvernoTests(args.positional[0], file_name));
  size_t passed = 0;
  size_t failed = 0;
  for (const policy::TestManifestReport& report : reports) {
    WriteToStdout(absl::StrCat("Test ", report.name.empty() ? "(unnamed)" : report.name, " (",
                               report.path, "): ", report.cases.size() - report.mismatches, "/",
                               report.cases.size(), " results as expected\n"));
    std::vector<std::vector<std::string>> rows = {
        {"", "POLICY", "RULE", "RESOURCE", "EXPECTED", "ACTUAL", "MESSAGE"}};
    for (const policy::TestCaseOutcome& c : report.cases) {
      (c.ok ? passed : failed)++;
      rows.push_back({c.ok ? "ok" : "MISMATCH", c.policy, c.rule,
                      absl::StrCat(c.kind, "/", c.resource), c.expected, c.actual, c.message});
    }
    if (report.cases.size() > 0) WriteToStdout(FormatTable(rows));
  }
  WriteToStdout(absl::StrCat(passed, " passed, ", failed, " failed\n"));
  BULWARK_RETURN_IF_ERROR(FlushStdout());
  return failed > 0 ? ExitCode::kFindingsAtOrAboveFailOn : ExitCode::kOk;
}

}  // namespace bulwark::cli
