// The rows of the `bulwark` command table; see command.h.
#include "bulwark/examples/cli/command.h"

namespace bulwark::cli {

const std::vector<Command>& Commands() {
  static const auto* const kCommands = new std::vector<Command>{
      {
          .name = "convert",
          .summary = "Convert a Bulwark JSON report to a table, JSON or SARIF",
          .usage =
              R"(usage: bulwark convert REPORT.json [--format table|json|sarif] [--fail-on SEVERITY]

Reads a report in Bulwark's JSON form (the protobuf JSON mapping of bulwark.core.v1.Report, as
written by --format json) and prints it again in another format, like `trivy convert`. REPORT.json
may be - for standard input.

Flags:
  --format table|json|sarif  Output format. Default: table.
  --fail-on SEVERITY         Exit 1 when a finding is at or above SEVERITY
                             (unknown, low, medium, high or critical).
)",
          .flags = {"format", "fail-on"},
          .min_arguments = 1,
          .max_arguments = 1,
          .run = RunConvert,
      },
      {
          .name = "digest",
          .summary = "Print file checksums exactly as sha256sum, sha512sum or md5sum do",
          .usage = R"(usage: bulwark digest [--algorithm sha256|sha512|md5] [FILE...]

Prints one "<hex>  <name>" line per FILE, byte for byte as GNU coreutils sha256sum, sha512sum
and md5sum print it, so `sha256sum --check` reads the output. With no FILE, or when FILE is -,
reads standard input. A name holding a backslash, newline or carriage return is escaped as
coreutils escapes it: the line starts with "\" and the name shows "\\", "\n" and "\r".
A FILE that cannot be read is reported on standard error; the other files are still digested
and the exit status is 2.

Flags:
  --algorithm sha256|sha512|md5  Default: sha256. md5 is for legacy checksum lists only.
)",
          .flags = {"algorithm"},
          .min_arguments = 0,
          .max_arguments = kAnyNumberOfArguments,
          .run = RunDigest,
      },
      {
          .name = "version",
          .summary = "Print the Bulwark version and the versions of the libraries it links",
          .usage = R"(usage: bulwark version [--format table|json]

Prints "bulwark <version>" and one line per linked library. With --format json, prints one
JSON object: {"version": "...", "dependencies": {"<library>": "<version>", ...}}.

Flags:
  --format table|json  Default: table.
)",
          .flags = {"format"},
          .min_arguments = 0,
          .max_arguments = 0,
          .run = RunVersion,
      },
  };
  return *kCommands;
}

const Command* FindCommand(absl::string_view name) {
  for (const Command& command : Commands()) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

}  // namespace bulwark::cli
