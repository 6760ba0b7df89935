// The table of `bulwark` subcommands: each row names a command, gives its one-line summary and
// usage text, the flags and number of arguments it accepts, and the function that runs it.
// A name may be two words, a group and a verb ("image files"): the group then has its own help
// (`bulwark image --help`, `bulwark help image`) listing its commands.
//   std::optional<CommandMatch> match = MatchCommand(args);  // {"image", "files", "x.tar"}
//   absl::StatusOr<ExitCode> exit_code = match->command->run(parsed_args);
// Adding a command is adding a row (commands.cc) and a file with its Run function.
// Thread safety: the table is immutable after its first use.
#ifndef BULWARK_EXAMPLES_CLI_COMMAND_H_
#define BULWARK_EXAMPLES_CLI_COMMAND_H_

#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bulwark/examples/cli/exit_codes.h"
#include "bulwark/examples/cli/flags.h"

namespace bulwark::cli {

inline constexpr size_t kAnyNumberOfArguments = std::numeric_limits<size_t>::max();

struct Command {
  // One word ("digest"), or a group and a verb separated by one space ("image files").
  std::string name;
  // One line for the command list in `bulwark --help`.
  std::string summary;
  // Synopsis, description and flags, printed by `bulwark help NAME` and `bulwark NAME --help`.
  std::string usage;
  // Names of the flags the command accepts, without "--".
  std::vector<std::string> flags;
  // Names of the flags that take no value (--deleted), without "--".
  std::vector<std::string> switches;
  // How many positional arguments the command takes; checked before `run` is called.
  size_t min_arguments;
  size_t max_arguments;
  // Runs the command with parsed arguments. A returned error is printed as
  // "bulwark: <message>" and exits with ExitCode::kUsageOrInputError.
  absl::StatusOr<ExitCode> (*run)(const ParsedArgs& args);
};

// Every command, sorted by name.
const std::vector<Command>& Commands();

// The command named by the first words of `words`, and how many words its name took.
struct CommandMatch {
  const Command* command;
  size_t words;
};
// Finds the command named by the first three, two or one words (longest first); nullopt when
// none is.
std::optional<CommandMatch> MatchCommand(absl::Span<const std::string> words);

// The commands of the group `group` ("image" gives "image files", "image inspect"), by name;
// empty when `group` is not a group.
std::vector<const Command*> CommandsInGroup(absl::string_view group);

// The Run functions, one file each.
absl::StatusOr<ExitCode> RunAttestSign(const ParsedArgs& args);
absl::StatusOr<ExitCode> RunAttestVerify(const ParsedArgs& args);
absl::StatusOr<ExitCode> RunAttestVerifyGcb(const ParsedArgs& args);
absl::StatusOr<ExitCode> RunCelEval(const ParsedArgs& args);
absl::StatusOr<ExitCode> RunConvert(const ParsedArgs& args);
absl::StatusOr<ExitCode> RunDbBuild(const ParsedArgs& args);
absl::StatusOr<ExitCode> RunDigest(const ParsedArgs& args);
absl::StatusOr<ExitCode> RunImageFiles(const ParsedArgs& args);
absl::StatusOr<ExitCode> RunImageInspect(const ParsedArgs& args);
absl::StatusOr<ExitCode> RunNotationVerify(const ParsedArgs& args);
absl::StatusOr<ExitCode> RunPolicyApply(const ParsedArgs& args);
absl::StatusOr<ExitCode> RunPolicyTest(const ParsedArgs& args);
absl::StatusOr<ExitCode> RunRuntimeImport(const ParsedArgs& args);
absl::StatusOr<ExitCode> RunRuntimeLint(const ParsedArgs& args);
absl::StatusOr<ExitCode> RunRuntimeReplay(const ParsedArgs& args);
absl::StatusOr<ExitCode> RunRuntimeWatch(const ParsedArgs& args);
absl::StatusOr<ExitCode> RunSbom(const ParsedArgs& args);
absl::StatusOr<ExitCode> RunSign(const ParsedArgs& args);
absl::StatusOr<ExitCode> RunSigstoreVerifyBundle(const ParsedArgs& args);
absl::StatusOr<ExitCode> RunTrustPolicyEvaluate(const ParsedArgs& args);
absl::StatusOr<ExitCode> RunVerify(const ParsedArgs& args);
absl::StatusOr<ExitCode> RunScan(const ParsedArgs& args);
absl::StatusOr<ExitCode> RunVersion(const ParsedArgs& args);
absl::StatusOr<ExitCode> RunVersionCompare(const ParsedArgs& args);
absl::StatusOr<ExitCode> RunVuln(const ParsedArgs& args);

}  // namespace bulwark::cli

#endif  // BULWARK_EXAMPLES_CLI_COMMAND_H_
