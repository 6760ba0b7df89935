// The rows of the `bulwark` command table; see command.h.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/examples/cli/command.h"

namespace bulwark::cli {

const std::vector<Command>& Commands() {
  static const auto* const kCommands = new std::vector<Command>{
      {
          .name = "cel eval",
          .summary = "Evaluate a CEL expression against JSON or YAML documents",
          .usage = R"(usage: bulwark cel eval EXPR [--input FILE] [--var name=FILE[,name=FILE...]]

Compiles EXPR (Common Expression Language, cel-spec) and evaluates it once. --input binds the
document in FILE (JSON or YAML) to the variable `object`; --var binds more documents to other
names. Prints the result in CEL literal syntax. Compile errors show line:column and a caret;
runtime errors (no such key, overflow, cost limit) are reported on standard error.

Flags:
  --input FILE              Document bound to `object`.
  --var name=FILE,...       Documents bound to the given variable names.
)",
          .flags = {"input", "var"},
          .min_arguments = 1,
          .max_arguments = 1,
          .run = RunCelEval,
      },
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
          .name = "image files",
          .summary = "List the merged filesystem of an image, or its deleted-but-shipped files",
          .usage =
              R"(usage: bulwark image files PATH [--layer N] [--deleted] [--platform P] [--ref R]
                          [--format table|json]

Lists every path of the image's merged filesystem: its layers applied bottom to top with the OCI
whiteout rules (".wh.NAME" and ".wh..wh..opq" hide lower-layer files and never appear). Paths
are literal: a file below a lower layer's symlinked directory is listed under the symlink's path.
PATH and the image choice are as for `bulwark image inspect`. Every layer blob is read once and
verified against its digest and diff_id.

With --deleted, lists instead the files a layer ships that the merged tree does not show
("deleted but still shipped": hidden by a whiteout, an opaque directory or an overwrite), with the
layer that ships each one and the layer that hid it.

Flags:
  --layer N            Only entries that come from layer N (0 = bottom); with --deleted, files
                       that layer N ships.
  --deleted            List deleted-but-shipped files instead of the merged tree.
  --platform P, --ref R  As for `bulwark image inspect`.
  --format table|json  Default: table. Names in the table have control characters, backslashes
                       and bytes that are not UTF-8 escaped as \xNN, \\.

JSON (--format json), one object; keys always present, in this order:
  {"image": PATH,
   "files": [{"path": "/etc/passwd", "type": "regular", "mode": "0644", "uid": 0, "gid": 0,
              "size": 1024, "layer": 0, "link_target": "", "implicit": false}, ...]}
  or with --deleted:
  {"image": PATH,
   "deleted": [{"path": ..., "type": ..., "mode": ..., "uid": ..., "gid": ..., "size": ...,
                "layer": 0, "hidden_by_layer": 1, "hidden_by": "whiteout"}, ...]}
  Paths start with "/"; files come parents first, siblings in byte order; deleted files by path,
  then layer. type: regular, directory, symlink, hardlink, char-device, block-device, fifo,
  other. mode: permission bits in octal. link_target: a symlink's target as written, a
  hardlink's "/path", else "". implicit: a parent directory no layer declares. hidden_by:
  whiteout, opaque or overwrite. Strings that are not UTF-8 have each invalid byte written as
  \xNN.
)",
          .flags = {"layer", "platform", "ref", "format"},
          .switches = {"deleted"},
          .min_arguments = 1,
          .max_arguments = 1,
          .run = RunImageFiles,
      },
      {
          .name = "image inspect",
          .summary = "Show an image's format, digests, platforms, config, layers and history",
          .usage =
              R"(usage: bulwark image inspect PATH [--platform P] [--ref R] [--format table|json]

Opens the image at PATH (format detected: OCI image layout directory, OCI archive,
docker-archive, root-filesystem directory or single layer tarball), verifies the digests of the
index, manifest and config it reads, and shows what they say. Layer blobs are not read.

Flags:
  --platform P         os/arch[/variant] to choose from a multi-platform index.
                       Default: the host's, when several images are offered.
  --ref R              Choose an image by org.opencontainers.image.ref.name annotation,
                       docker-archive tag (name:tag) or manifest digest (sha256:...).
  --format table|json  Default: table. Text from the image has control characters,
                       backslashes and bytes that are not UTF-8 escaped as \xNN, \\.

JSON (--format json), one object; keys always present, in this order:
  {"image": PATH, "format": "oci-layout|oci-archive|docker-archive|rootfs|layer-tarball",
   "references": [...], "manifest_media_type": "...",
   "manifest_digest": "sha256:..." or null, "config_digest": "sha256:..." or null,
   "platform": "os/arch[/variant]" (from the config, "" when unknown),
   "platforms": ["linux/amd64", ...] (every image the input offers),
   "config": {"created", "author", "user": "...", "env": [...], "entrypoint": [...],
              "cmd": [...], "working_dir": "...", "exposed_ports": [...], "volumes": [...],
              "labels": {...}, "stop_signal": "...",
              "healthcheck": null or {"test": [...], "interval_ns", "timeout_ns",
                                      "start_period_ns", "retries"}},
   "layers": [{"index": 0, "media_type": "...", "size": 123, "digest": "sha256:...",
               "diff_id": "sha256:..." or ""}, ...],
   "history": [{"instruction": "RUN", "arguments": "...", "original": "...",
                "layer": 0 or null, "empty_layer": false, "created", "author", "comment"}, ...],
   "history_warnings": [...]}
  Strings that are not UTF-8 have each invalid byte written as \xNN.
)",
          .flags = {"platform", "ref", "format"},
          .min_arguments = 1,
          .max_arguments = 1,
          .run = RunImageInspect,
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

namespace {

const Command* FindCommand(absl::string_view name) {
  for (const Command& command : Commands()) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

}  // namespace

std::optional<CommandMatch> MatchCommand(absl::Span<const std::string> words) {
  if (words.empty()) return std::nullopt;
  if (const Command* command = FindCommand(words[0])) return CommandMatch{command, 1};
  if (words.size() < 2) return std::nullopt;
  if (const Command* command = FindCommand(absl::StrCat(words[0], " ", words[1]))) {
    return CommandMatch{command, 2};
  }
  return std::nullopt;
}

std::vector<const Command*> CommandsInGroup(absl::string_view group) {
  std::vector<const Command*> commands;
  for (const Command& command : Commands()) {
    if (absl::StartsWith(command.name, absl::StrCat(group, " "))) commands.push_back(&command);
  }
  return commands;
}

}  // namespace bulwark::cli
