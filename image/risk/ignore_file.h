// Findings a team has accepted, in Trivy's ignore-file formats, applied to a scan report.
//   BULWARK_ASSIGN_OR_RETURN(IgnoreList ignore, LoadIgnoreFile(".trivyignore"));
//   IgnoreStats stats = ignore.Apply(report, absl::Now());
// Text form (.trivyignore): one id a line, optionally followed by `exp:YYYY-MM-DD`; `#` starts a
// comment; blank lines are skipped:
//   CVE-2023-1234
//   aws-access-key-id exp:2026-12-31     # until the key is rotated
// YAML form (.trivyignore.yaml, chosen by a .yaml/.yml name): lists of entries under
// `vulnerabilities`, `misconfigurations`, `secrets`, `licenses` (Trivy's sections) and
// `malware`, `files` (Bulwark's), each entry a map with `id` (required), `paths` (glob patterns,
// fnmatch(3) without FNM_PATHNAME; "/" prefix optional), `expired_at` (YYYY-MM-DD) and
// `statement` (free text):
//   secrets:
//     - id: github-token
//       paths: ["app/tests/*"]
//       expired_at: 2026-12-31
//       statement: test fixtures
// An id matches a finding's rule_id or its fingerprint; the section is not checked (ids are
// unique across categories). An entry stops applying at 00:00 UTC of its expiry date.
// Thread safety: an IgnoreList is a value; Apply is const.
#ifndef BULWARK_IMAGE_RISK_IGNORE_FILE_H_
#define BULWARK_IMAGE_RISK_IGNORE_FILE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/report.pb.h"

namespace bulwark::image {

// One accepted finding (or family of findings).
struct IgnoreEntry {
  std::string id;  // A rule id (CVE-..., BWK-DF-001, aws-access-key-id) or fingerprint.
  std::vector<std::string> paths;     // Globs; empty: every path.
  std::optional<absl::Time> expires;  // Start of the expiry date (UTC); none: never.
  std::string statement;
  std::string where;  // "<file>:<line>" for messages.
};

// What Apply did.
struct IgnoreStats {
  size_t suppressed = 0;             // Findings removed.
  std::vector<std::string> expired;  // "<where>: <id> expired on <date>" for expired entries.
};

class IgnoreList {
 public:
  IgnoreList() = default;
  explicit IgnoreList(std::vector<IgnoreEntry> entries) : entries_(std::move(entries)) {}

  // Removes the findings an unexpired entry matches, at time `now`; sets report metadata
  // "ignore.suppressed" (count) and "ignore.expired" (the expired entries, "; "-joined).
  IgnoreStats Apply(core::v1::Report& report, absl::Time now) const;

  const std::vector<IgnoreEntry>& entries() const { return entries_; }

 private:
  std::vector<IgnoreEntry> entries_;
};

// Parses the text form. Errors: InvalidArgument "<source_name>:<line>: ..." for an unknown
// token after the id or a malformed date.
absl::StatusOr<IgnoreList> ParseIgnoreText(absl::string_view text, absl::string_view source_name);

// Parses the YAML form. Errors: InvalidArgument "<source_name>:<line>:<column>: ..." for YAML
// errors, an entry without `id`, wrong types, unknown sections or keys, malformed dates;
// ResourceExhausted for Limits caps.
absl::StatusOr<IgnoreList> ParseIgnoreYaml(absl::string_view text, absl::string_view source_name,
                                           const core::Limits& limits = {});

// Reads `path` and parses it as YAML when its name ends in .yaml or .yml, as text otherwise.
// Errors: those of core::ReadFileToString and the parsers.
absl::StatusOr<IgnoreList> LoadIgnoreFile(const std::string& path, const core::Limits& limits = {});

}  // namespace bulwark::image

#endif  // BULWARK_IMAGE_RISK_IGNORE_FILE_H_
