// The exit statuses of the `bulwark` command, documented in `bulwark --help`:
//   0  success
//   1  a finding at or above --fail-on SEVERITY
//   2  usage or input error (unknown command or flag, unreadable or invalid input)
// CI scripts branch on these numbers, so they never change meaning.
#ifndef BULWARK_EXAMPLES_CLI_EXIT_CODES_H_
#define BULWARK_EXAMPLES_CLI_EXIT_CODES_H_

namespace bulwark::cli {

enum class ExitCode : int {
  kOk = 0,
  kFindingsAtOrAboveFailOn = 1,
  kUsageOrInputError = 2,
};

}  // namespace bulwark::cli

#endif  // BULWARK_EXAMPLES_CLI_EXIT_CODES_H_
