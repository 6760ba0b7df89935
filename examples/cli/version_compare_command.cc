// `bulwark version compare ECOSYSTEM A B`: orders two package versions as the ecosystem's own
// tool does (dpkg, apk, rpm, pip, npm, ...), through bulwark::vuln::CompareVersions.
#include "absl/status/statusor.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/examples/cli/command.h"
#include "bulwark/examples/cli/stdout_writer.h"
#include "bulwark/image/vuln/version.h"

namespace bulwark::cli {

absl::StatusOr<ExitCode> RunVersionCompare(const ParsedArgs& args) {
  BULWARK_ASSIGN_OR_RETURN(
      int order, vuln::CompareVersions(args.positional[0], args.positional[1], args.positional[2]));
  WriteToStdout(order < 0 ? "<\n" : order > 0 ? ">\n" : "=\n");
  return ExitCode::kOk;
}

}  // namespace bulwark::cli
