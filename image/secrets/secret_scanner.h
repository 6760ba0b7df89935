// A compiled set of secret-detection rules (gitleaks semantics) that scans text for secrets.
// Content reaches a rule's regex only when it holds one of the rule's keywords, found for all
// rules at once in one ASCII-case-insensitive pass (Hyperscan, keyword_set.h). Matches are
// then filtered by secretGroup, entropy and allowlists, and only ever leave the scanner masked.
//   BULWARK_ASSIGN_OR_RETURN(auto scanner, SecretScanner::Builtin());
//   for (const SecretMatch& m : scanner->Scan(text, "app/.env")) Print(m.rule_id, m.masked_secret);
// Thread safety: a SecretScanner is immutable after Create(); Scan may run concurrently.
#ifndef BULWARK_IMAGE_SECRETS_SECRET_SCANNER_H_
#define BULWARK_IMAGE_SECRETS_SECRET_SCANNER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/image/secrets/rule.h"

namespace bulwark::secrets {

// One secret found. Nothing in it holds the secret in clear.
struct SecretMatch {
  std::string rule_id;
  std::string description;  // The rule's description.
  std::vector<std::string> tags;
  uint32_t line = 0;    // 1-based line of the match start; 0 for a path-only rule.
  uint32_t column = 0;  // 1-based byte column of the match start.
  uint32_t end_line = 0;
  // The secret masked by MaskSecret (masking.h), and the whole match with the secret part
  // replaced by it (both empty for a path-only rule).
  std::string masked_secret;
  std::string masked_match;
  double entropy = 0;  // Shannon entropy of the secret, bits per byte.
  // Where the secret is in the scanned content (bytes); 0 and 0 for a path-only rule.
  size_t offset = 0;
  size_t length = 0;
};

struct ScannerOptions {
  // Matches kept per rule and content; the rest are counted in ScanStats::dropped_matches.
  // Default: 100.
  size_t max_matches_per_rule = 100;
  // When false, every rule's regex runs on every content, as if no rule had keywords (for
  // measuring what the keyword prefilter saves). Default: true.
  bool keyword_prefilter = true;
};

// Counters one Scan call adds to, for benchmarks and "how much did the prefilter save".
struct ScanStats {
  uint64_t bytes = 0;          // Content bytes scanned.
  uint64_t regex_runs = 0;     // Rule regexes run over a whole content.
  uint64_t regex_skipped = 0;  // Rule regexes not run because no keyword was present.
  uint64_t dropped_matches = 0;
};

class SecretScanner {
 public:
  // Compiles `rules`. A rule whose regex (or path, or allowlist regex) RE2 cannot compile, or
  // whose secretGroup exceeds its groups, is left out and named in warnings() (Go-only syntax,
  // e.g. lookarounds); Go's "(?<name>" groups are rewritten to RE2's "(?P<name>".
  // Errors: InvalidArgument when two rules share an id or a keyword is longer than
  // KeywordSet::kMaxKeywordBytes; Internal if the keyword set cannot be built.
  static absl::StatusOr<std::unique_ptr<const SecretScanner>> Create(
      RuleFile rules, const ScannerOptions& options = {});

  // The rule set bundled with Bulwark (builtin_rules.toml), compiled once and shared.
  // Errors: Internal if the bundled file does not load (a build defect).
  static absl::StatusOr<std::shared_ptr<const SecretScanner>> Builtin();

  ~SecretScanner();

  // True when a global allowlist excludes `path` entirely (its content need not be read).
  bool PathAllowed(absl::string_view path) const;

  // Secrets in `content`, the file at `path` ("" for text that is not a file, e.g. an
  // environment variable: path rules and path allowlists then never match). Path-only rules
  // whose path regex matches add one match each. A match of a rule tagged "generic" is dropped
  // when a rule without that tag matched overlapping text. Ordered by line, then rule id.
  std::vector<SecretMatch> Scan(absl::string_view content, absl::string_view path,
                                ScanStats* stats = nullptr) const;

  // Rules in use, and the problems that left rules out or that the rule file reported.
  size_t rule_count() const;
  const std::vector<std::string>& warnings() const;

 private:
  struct Compiled;
  explicit SecretScanner(std::unique_ptr<Compiled> compiled);
  std::unique_ptr<Compiled> compiled_;
};

// The text of builtin_rules.toml.
absl::string_view BuiltinRulesToml();

}  // namespace bulwark::secrets

#endif  // BULWARK_IMAGE_SECRETS_SECRET_SCANNER_H_
