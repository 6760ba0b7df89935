// `bulwark runtime replay`: runs Falco-syntax rules over a JSON Lines file of runtime events and
// prints the alerts, as Falco prints them or as JSON Lines of bulwark.runtime.v1.Alert.
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/examples/cli/command.h"
#include "bulwark/examples/cli/stdout_writer.h"
#include "bulwark/runtime/engine.h"
#include "bulwark/runtime/event_source.h"
#include "bulwark/runtime/rule_set.h"

namespace bulwark::cli {

absl::StatusOr<ExitCode> RunRuntimeReplay(const ParsedArgs& args) {
  const std::string* rules_flag = args.Find("rules");
  if (rules_flag == nullptr) return absl::InvalidArgumentError("--rules FILE_OR_DIR is required");
  const std::string* format = args.Find("format");
  const bool json = format != nullptr && *format == "json";
  if (format != nullptr && !json && *format != "text") {
    return absl::InvalidArgumentError(absl::StrCat("unknown --format '", *format, "'"));
  }
  std::vector<std::string> paths = absl::StrSplit(*rules_flag, ',', absl::SkipEmpty());
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<const runtime::RuleSet> rules,
                           runtime::RuleSet::Load(paths));
  runtime::EngineOptions options;
  if (const std::string* matching = args.Find("matching"); matching != nullptr) {
    if (*matching == "all") {
      options.matching = runtime::EngineOptions::Matching::kAll;
    } else if (*matching != "first") {
      return absl::InvalidArgumentError(absl::StrCat("unknown --matching '", *matching, "'"));
    }
  }
  runtime::Engine engine(*rules, options);
  const std::string& events_path = args.positional[0];
  BULWARK_ASSIGN_OR_RETURN(std::string text,
                           core::ReadFileToString(events_path, core::Limits().max_file_bytes));
  size_t alerts = 0;
  BULWARK_RETURN_IF_ERROR(
      runtime::ReadEventLines(text, events_path, core::Limits(), [&](runtime::v1::Event&& event) {
        engine.Process(event, [&](runtime::v1::Alert&& alert) {
          ++alerts;
          if (json) {
            std::ostringstream line;
            runtime::WriteAlertJsonLine(alert, line);
            WriteToStdout(line.str());
            return;
          }
          WriteToStdout(absl::StrCat(
              absl::FormatTime("%Y-%m-%dT%H:%M:%E9S%z", absl::FromUnixNanos(alert.timestamp_ns()),
                               absl::UTCTimeZone()),
              ": ", runtime::PriorityName(alert.priority()), " ", alert.output(), "\n"));
        });
        return absl::OkStatus();
      }));
  BULWARK_RETURN_IF_ERROR(FlushStdout());
  return alerts > 0 ? ExitCode::kFindingsAtOrAboveFailOn : ExitCode::kOk;
}

}  // namespace bulwark::cli
