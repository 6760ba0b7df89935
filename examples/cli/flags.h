// Command-line parsing for the `bulwark` subcommands: GNU-style long flags in the forms
// --flag=value and --flag value, anywhere among the positional arguments; "--" ends the flags
// and "-" alone is a positional argument (standard input).
//   BULWARK_ASSIGN_OR_RETURN(ParsedArgs parsed, ParseArgs(args, {"format", "fail-on"}));
//   if (const std::string* format = parsed.Find("format")) ...
// Thread safety: the functions share no state.
#ifndef BULWARK_EXAMPLES_CLI_FLAGS_H_
#define BULWARK_EXAMPLES_CLI_FLAGS_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace bulwark::cli {

struct ParsedArgs {
  // Arguments that are not flags, in command-line order.
  std::vector<std::string> positional;
  // Flag name (without "--") to value. A flag given twice keeps the last value, so a wrapper
  // script can override a default it was handed.
  std::map<std::string, std::string, std::less<>> flags;
  // Every value of each flag that takes one, in command-line order (--vex A --vex B).
  std::map<std::string, std::vector<std::string>, std::less<>> all_values;

  // The value of --`name`, or nullptr when the flag was not given. Borrows from this object.
  const std::string* Find(absl::string_view name) const;
  // Every value given to --`name`, in order; empty when the flag was not given.
  std::vector<std::string> FindAll(absl::string_view name) const;
};

// Splits `args` (the arguments after the subcommand name) into flags and positionals.
// `known_flags` take a value; `switches` take none and are recorded with the value "true" when
// given. Errors: InvalidArgument for an unknown flag (naming it), a flag without a value or a
// switch with one.
absl::StatusOr<ParsedArgs> ParseArgs(absl::Span<const std::string> args,
                                     absl::Span<const std::string> known_flags,
                                     absl::Span<const std::string> switches = {});

// True when --help or -h appears before any "--": help wins over every other argument, even
// ones that would not parse.
bool AsksForHelp(absl::Span<const std::string> args);

}  // namespace bulwark::cli

#endif  // BULWARK_EXAMPLES_CLI_FLAGS_H_
