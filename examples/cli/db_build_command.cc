// `bulwark db build SRC... --output FILE`: reads OSV sources (directories, JSON, YAML, JSON Lines,
// zip exports, Alpine secdb) once and writes the compiled vulnerability database.
#include <cstdio>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/examples/cli/command.h"
#include "bulwark/examples/cli/stdout_writer.h"
#include "bulwark/image/vuln/database.h"

namespace bulwark::cli {

absl::StatusOr<ExitCode> RunDbBuild(const ParsedArgs& args) {
  const std::string* output = args.Find("output");
  if (output == nullptr) return absl::InvalidArgumentError("--output FILE is required");
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<const vuln::Database> db,
                           vuln::Database::LoadSources(args.positional));
  const vuln::v1::LoadStats& stats = db->stats();
  for (const std::string& warning : stats.warnings()) {
    std::fprintf(stderr, "bulwark: warning: %s\n", warning.c_str());
  }
  if (stats.warnings_dropped() > 0) {
    std::fprintf(stderr, "bulwark: warning: %llu more warnings not shown\n",
                 static_cast<unsigned long long>(stats.warnings_dropped()));
  }
  BULWARK_RETURN_IF_ERROR(db->SaveCompiled(*output));
  WriteToStdout(absl::StrCat(*output, ": ", stats.records(), " records from ", stats.files(),
                             " files (", stats.malformed_records(), " malformed skipped, ",
                             stats.invalid_ranges_skipped(), " invalid ranges skipped, ",
                             stats.git_ranges_skipped(), " GIT ranges skipped, ",
                             stats.withdrawn_records(), " withdrawn)\n"));
  return ExitCode::kOk;
}

}  // namespace bulwark::cli
