// `bulwark`: the command-line face of the Bulwark library. Every command is a thin layer over the
// public C++ API (bulwark/core/...), so anything it does a C++ or Python caller can do too.
//
// Exit status (also printed by `bulwark --help`):
//   0  success
//   1  a finding at or above --fail-on SEVERITY
//   2  usage or input error: unknown command or flag, bad flag value, unreadable or invalid input
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/types/span.h"
#include "bulwark/core/file.h"
#include "bulwark/core/version.h"
#include "bulwark/examples/cli/command.h"
#include "bulwark/examples/cli/exit_codes.h"
#include "bulwark/examples/cli/flags.h"
#include "bulwark/examples/cli/stdout_writer.h"

namespace bulwark::cli {
namespace {

constexpr absl::string_view kHelpEpilogue = R"(
Flags take the forms --flag=value and --flag value, before or after arguments; "--" ends the
flags. Commands that print a report accept:
  --format table|json|sarif  Output format. Default: table.
  --fail-on SEVERITY         Exit 1 when a finding is at or above SEVERITY
                             (unknown, low, medium, high or critical).
The table is coloured only when standard output is a terminal and NO_COLOR is unset or empty.

Exit status:
  0  success
  1  a finding at or above --fail-on SEVERITY
  2  usage or input error

Environment:
  NO_COLOR                 When set and not empty, never print colours (no-color.org).
  BUILD_WORKING_DIRECTORY  Set by `bazel run`: relative paths are read from that directory.
)";

std::string TopLevelHelp() {
  std::string help = absl::StrCat(
      "bulwark ", core::kVersion, ": container security checks from the Bulwark library.\n\n",
      "usage: bulwark COMMAND [ARGUMENTS] [FLAGS]\n",
      "       bulwark help COMMAND   (or: bulwark COMMAND --help)\n\nCommands:\n");
  size_t name_width = 0;
  for (const Command& command : Commands()) name_width = std::max(name_width, command.name.size());
  for (const Command& command : Commands()) {
    absl::StrAppend(&help, "  ", command.name,
                    std::string(name_width + 2 - command.name.size(), ' '), command.summary, "\n");
  }
  return absl::StrCat(help, kHelpEpilogue);
}

// Prints a usage error and where to read the usage; `command` is empty for top-level errors.
ExitCode UsageError(absl::string_view command, absl::string_view message) {
  std::string prefix = command.empty() ? "bulwark" : absl::StrCat("bulwark ", command);
  std::string help = command.empty() ? "bulwark --help" : absl::StrCat("bulwark help ", command);
  std::fprintf(stderr, "%s: %s\nRun '%s' for usage.\n", prefix.c_str(),
               std::string(message).c_str(), help.c_str());
  return ExitCode::kUsageOrInputError;
}

std::string ArgumentCountError(const Command& command, size_t given) {
  auto arguments = [](size_t n) { return absl::StrCat(n, n == 1 ? " argument" : " arguments"); };
  std::string expected;
  if (command.min_arguments == command.max_arguments) {
    expected = command.max_arguments == 0
                   ? "no arguments"
                   : absl::StrCat("exactly ", arguments(command.min_arguments));
  } else if (command.max_arguments == kAnyNumberOfArguments) {
    expected = absl::StrCat("at least ", arguments(command.min_arguments));
  } else {
    expected = absl::StrCat(command.min_arguments, " to ", arguments(command.max_arguments));
  }
  return absl::StrCat("takes ", expected, ", got ", given);
}

// `bulwark help GROUP` and `bulwark GROUP --help`: the commands of the group.
std::string GroupHelp(absl::string_view group, absl::Span<const Command* const> commands) {
  std::string help = absl::StrCat("usage: bulwark ", group, " COMMAND [ARGUMENTS] [FLAGS]\n",
                                  "       bulwark help ", group, " COMMAND   (or: bulwark ", group,
                                  " COMMAND --help)\n\n", "Commands:\n");
  size_t name_width = 0;
  for (const Command* command : commands) name_width = std::max(name_width, command->name.size());
  for (const Command* command : commands) {
    absl::StrAppend(&help, "  ", command->name,
                    std::string(name_width + 2 - command->name.size(), ' '), command->summary,
                    "\n");
  }
  return help;
}

ExitCode RunHelp(absl::Span<const std::string> topics) {
  if (topics.empty() || AsksForHelp(topics)) {
    WriteToStdout(TopLevelHelp());
    return ExitCode::kOk;
  }
  std::optional<CommandMatch> match = MatchCommand(topics);
  if (match.has_value() && match->words == topics.size()) {
    WriteToStdout(match->command->usage);
    return ExitCode::kOk;
  }
  std::vector<const Command*> group = CommandsInGroup(topics[0]);
  if (!match.has_value() && topics.size() == 1 && !group.empty()) {
    WriteToStdout(GroupHelp(topics[0], group));
    return ExitCode::kOk;
  }
  if (match.has_value()) return UsageError("help", "takes at most one COMMAND");
  std::string name = group.empty() ? topics[0] : absl::StrJoin(topics.subspan(0, 2), " ");
  return UsageError("", absl::StrCat("unknown command \"", name, "\""));
}

ExitCode RunCommand(const Command& command, absl::Span<const std::string> args) {
  if (AsksForHelp(args)) {
    WriteToStdout(command.usage);
    return ExitCode::kOk;
  }
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(args, command.flags, command.switches);
  if (!parsed.ok()) return UsageError(command.name, parsed.status().message());
  size_t given = parsed->positional.size();
  if (given < command.min_arguments || given > command.max_arguments) {
    return UsageError(command.name, ArgumentCountError(command, given));
  }
  absl::StatusOr<ExitCode> exit_code = command.run(*parsed);
  if (!exit_code.ok()) {
    std::fprintf(stderr, "bulwark: %s\n", std::string(exit_code.status().message()).c_str());
    return ExitCode::kUsageOrInputError;
  }
  return *exit_code;
}

// `bulwark GROUP ...` where no command of the group was named.
ExitCode RunGroup(absl::string_view group, absl::Span<const Command* const> commands,
                  absl::Span<const std::string> args) {
  if (AsksForHelp(args)) {
    WriteToStdout(GroupHelp(group, commands));
    return ExitCode::kOk;
  }
  if (args.empty()) return UsageError(group, "missing COMMAND");
  return UsageError(group, absl::StrCat("unknown command \"", group, " ", args[0], "\""));
}

ExitCode Run(absl::Span<const std::string> args) {
  if (args.empty()) return UsageError("", "missing COMMAND");
  const std::string& first = args[0];
  if (first == "--help" || first == "-h") return RunHelp({});
  if (first == "help") return RunHelp(args.subspan(1));
  if (first.size() > 1 && first[0] == '-') {
    return UsageError("", absl::StrCat("unknown flag \"", first, "\" before COMMAND"));
  }
  if (std::optional<CommandMatch> match = MatchCommand(args)) {
    return RunCommand(*match->command, args.subspan(match->words));
  }
  std::vector<const Command*> group = CommandsInGroup(first);
  if (!group.empty()) return RunGroup(first, group, args.subspan(1));
  return UsageError("", absl::StrCat("unknown command \"", first, "\""));
}

// `bazel run` starts the binary inside its runfiles tree and names the directory the user ran it
// from in BUILD_WORKING_DIRECTORY. Moving there makes every relative path on the command line
// mean what it meant in the user's shell, and error messages repeat paths as the user typed them.
absl::Status EnterBazelRunWorkingDirectory() {
  const char* directory = std::getenv("BUILD_WORKING_DIRECTORY");
  if (directory == nullptr || directory[0] == '\0') return absl::OkStatus();
  if (::chdir(directory) != 0) {
    return core::ErrnoToStatus(errno, absl::StrCat("BUILD_WORKING_DIRECTORY ", directory));
  }
  return absl::OkStatus();
}

int Main(int argc, char** argv) {
  if (absl::Status status = EnterBazelRunWorkingDirectory(); !status.ok()) {
    std::fprintf(stderr, "bulwark: %s\n", std::string(status.message()).c_str());
    return static_cast<int>(ExitCode::kUsageOrInputError);
  }
  const std::vector<std::string> args(argv + 1, argv + argc);
  ExitCode exit_code = Run(args);
  if (absl::Status status = FlushStdout(); !status.ok()) {
    std::fprintf(stderr, "bulwark: %s\n", std::string(status.message()).c_str());
    return static_cast<int>(ExitCode::kUsageOrInputError);
  }
  return static_cast<int>(exit_code);
}

}  // namespace
}  // namespace bulwark::cli

int main(int argc, char** argv) { return bulwark::cli::Main(argc, argv); }
