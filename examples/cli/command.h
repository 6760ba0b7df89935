// The table of `bulwark` subcommands: each row names a command, gives its one-line summary and
// usage text, the flags and number of arguments it accepts, and the function that runs it.
//   const Command* command = FindCommand("digest");
//   absl::StatusOr<ExitCode> exit_code = command->run(parsed_args);
// Adding a command is adding a row (commands.cc) and a file with its Run function.
// Thread safety: the table is immutable after its first use.
#ifndef BULWARK_EXAMPLES_CLI_COMMAND_H_
#define BULWARK_EXAMPLES_CLI_COMMAND_H_

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/examples/cli/exit_codes.h"
#include "bulwark/examples/cli/flags.h"

namespace bulwark::cli {

inline constexpr size_t kAnyNumberOfArguments = std::numeric_limits<size_t>::max();

struct Command {
  std::string name;
  // One line for the command list in `bulwark --help`.
  std::string summary;
  // Synopsis, description and flags, printed by `bulwark help NAME` and `bulwark NAME --help`.
  std::string usage;
  // Names of the flags the command accepts, without "--".
  std::vector<std::string> flags;
  // How many positional arguments the command takes; checked before `run` is called.
  size_t min_arguments;
  size_t max_arguments;
  // Runs the command with parsed arguments. A returned error is printed as
  // "bulwark: <message>" and exits with ExitCode::kUsageOrInputError.
  absl::StatusOr<ExitCode> (*run)(const ParsedArgs& args);
};

// Every command, sorted by name.
const std::vector<Command>& Commands();

// The command called `name`, or nullptr.
const Command* FindCommand(absl::string_view name);

// The Run functions, one file each.
absl::StatusOr<ExitCode> RunConvert(const ParsedArgs& args);
absl::StatusOr<ExitCode> RunDigest(const ParsedArgs& args);
absl::StatusOr<ExitCode> RunVersion(const ParsedArgs& args);

}  // namespace bulwark::cli

#endif  // BULWARK_EXAMPLES_CLI_COMMAND_H_
