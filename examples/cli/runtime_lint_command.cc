// `bulwark runtime lint`: loads Falco rule files as the engine would and prints every error and
// warning with file:line:column.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/examples/cli/command.h"
#include "bulwark/examples/cli/stdout_writer.h"
#include "bulwark/runtime/rule_set.h"

namespace bulwark::cli {

absl::StatusOr<ExitCode> RunRuntimeLint(const ParsedArgs& args) {
  std::vector<runtime::RulesContent> contents;
  for (const std::string& path : args.positional) {
    BULWARK_ASSIGN_OR_RETURN(std::string text,
                             core::ReadFileToString(path, core::Limits().max_file_bytes));
    contents.push_back(runtime::RulesContent{path, std::move(text)});
  }
  runtime::RuleSet::Validation result = runtime::RuleSet::Validate(contents);
  for (const runtime::LoadMessage& error : result.errors) {
    WriteToStdout(absl::StrCat("error: ", error.ToString(), "\n"));
  }
  for (const runtime::LoadMessage& warning : result.warnings) {
    WriteToStdout(absl::StrCat("warning: ", warning.ToString(), "\n"));
  }
  if (result.rule_set != nullptr) {
    WriteToStdout(absl::StrCat(result.rule_set->rules().size(), " rules, ",
                               result.rule_set->enabled_rule_count(), " enabled and compiled, ",
                               result.warnings.size(), " warnings\n"));
  }
  BULWARK_RETURN_IF_ERROR(FlushStdout());
  return result.errors.empty() ? ExitCode::kOk : ExitCode::kUsageOrInputError;
}

}  // namespace bulwark::cli
