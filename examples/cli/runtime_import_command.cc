// `bulwark runtime import tetragon|tracee FILE`: converts another sensor's JSON events into
// JSON Lines of bulwark.runtime.v1.Event (what `bulwark runtime replay` reads).
#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/examples/cli/command.h"
#include "bulwark/examples/cli/stdout_writer.h"
#include "bulwark/runtime/event_source.h"
#include "bulwark/runtime/importer.h"

namespace bulwark::cli {

absl::StatusOr<ExitCode> RunRuntimeImport(const ParsedArgs& args) {
  BULWARK_ASSIGN_OR_RETURN(runtime::ImportFormat format,
                           runtime::ParseImportFormat(args.positional[0]));
  const std::string& path = args.positional[1];
  const core::Limits limits;
  BULWARK_ASSIGN_OR_RETURN(std::string text, core::ReadFileToString(path, limits.max_file_bytes));
  runtime::ImportStats stats;
  BULWARK_RETURN_IF_ERROR(runtime::ImportEvents(
      format, text, path, limits,
      [](runtime::v1::Event&& event) {
        WriteToStdout(absl::StrCat(runtime::EventToJsonLine(event), "\n"));
        return absl::OkStatus();
      },
      &stats));
  BULWARK_RETURN_IF_ERROR(FlushStdout());
  std::string summary = absl::StrCat(stats.records, " records, ", stats.events, " events");
  for (const auto& [kind, count] : stats.skipped) {
    absl::StrAppend(&summary, ", ", count, " skipped ", kind);
  }
  std::fprintf(stderr, "%s\n", summary.c_str());
  return ExitCode::kOk;
}

}  // namespace bulwark::cli
