// `bulwark digest`: file checksums in the exact output format of GNU coreutils sha256sum,
// sha512sum and md5sum (coreutils 9.1, src/digest.c), so existing `sha256sum --check` scripts and
// checksum files keep working.
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/examples/cli/command.h"
#include "bulwark/examples/cli/stdin_reader.h"
#include "bulwark/examples/cli/stdout_writer.h"

namespace bulwark::cli {
namespace {

constexpr absl::string_view kStdinName = "-";

// One "<hex>  <name>\n" line. coreutils keeps each line one record by escaping the name when it
// holds a backslash, newline or carriage return: "\\", "\n", "\r", with a "\" before the hex
// telling `--check` to unescape.
std::string ChecksumLine(const core::Digest& digest, absl::string_view name) {
  std::string escaped_name;
  bool escaped = false;
  for (char c : name) {
    switch (c) {
      case '\\':
        escaped_name += "\\\\";
        escaped = true;
        break;
      case '\n':
        escaped_name += "\\n";
        escaped = true;
        break;
      case '\r':
        escaped_name += "\\r";
        escaped = true;
        break;
      default:
        escaped_name.push_back(c);
    }
  }
  return absl::StrCat(escaped ? "\\" : "", digest.Hex(), "  ", escaped_name, "\n");
}

absl::StatusOr<core::Digest> DigestStdin(core::DigestAlgorithm algorithm) {
  core::Hasher hasher(algorithm);
  BULWARK_RETURN_IF_ERROR(ForEachStdinChunk([&](absl::string_view chunk) {
    hasher.Update(chunk);
    return absl::OkStatus();
  }));
  return hasher.Finish();
}

absl::StatusOr<core::DigestAlgorithm> ParseAlgorithmFlag(const ParsedArgs& args) {
  const std::string* name = args.Find("algorithm");
  if (name == nullptr) return core::DigestAlgorithm::kSha256;
  absl::StatusOr<core::DigestAlgorithm> algorithm = core::ParseDigestAlgorithm(*name);
  if (!algorithm.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--algorithm: ", algorithm.status().message()));
  }
  return *algorithm;
}

}  // namespace

absl::StatusOr<ExitCode> RunDigest(const ParsedArgs& args) {
  BULWARK_ASSIGN_OR_RETURN(core::DigestAlgorithm algorithm, ParseAlgorithmFlag(args));
  std::vector<std::string> names = args.positional;
  if (names.empty()) names.emplace_back(kStdinName);

  ExitCode exit_code = ExitCode::kOk;
  for (const std::string& name : names) {
    absl::StatusOr<core::Digest> digest =
        name == kStdinName ? DigestStdin(algorithm) : core::DigestFile(name, algorithm);
    if (!digest.ok()) {
      // Like coreutils: report this file, keep going, and fail at the end.
      std::fprintf(stderr, "bulwark: %s\n", std::string(digest.status().message()).c_str());
      exit_code = ExitCode::kUsageOrInputError;
      continue;
    }
    WriteToStdout(ChecksumLine(*digest, name));
  }
  return exit_code;
}

}  // namespace bulwark::cli
