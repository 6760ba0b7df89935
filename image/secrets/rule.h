// Secret-detection rules as gitleaks' TOML rule files describe them (gitleaks v8: [[rules]] with
// id, description, regex, secretGroup, entropy, keywords, path, tags and allowlists; global
// [allowlist] / [[allowlists]]). Plain data: a RuleFile is loaded by gitleaks_toml.h and compiled
// into a SecretScanner (secret_scanner.h).
//   BULWARK_ASSIGN_OR_RETURN(RuleFile rules, ParseGitleaksToml(text, "rules.toml"));
//   for (const Rule& rule : rules.rules) Print(rule.id);
// Thread safety: plain value types.
#ifndef BULWARK_IMAGE_SECRETS_RULE_H_
#define BULWARK_IMAGE_SECRETS_RULE_H_

#include <optional>
#include <string>
#include <vector>

namespace bulwark::secrets {

// Which text an allowlist's regexes are matched against (gitleaks' regexTarget).
enum class RegexTarget {
  kSecret,  // The secret (the secretGroup capture, or the whole match). gitleaks' default.
  kMatch,   // The whole regex match.
  kLine,    // The line(s) holding the match.
};

// How an allowlist's criteria combine (gitleaks' condition).
enum class AllowlistCondition {
  kOr,   // Any criterion that matches allows the finding. gitleaks' default.
  kAnd,  // Every criterion the allowlist sets must match.
};

// Findings an allowlist lets through. Regexes are Go/RE2 syntax as written in the file.
struct Allowlist {
  std::string description;
  AllowlistCondition condition = AllowlistCondition::kOr;
  RegexTarget regex_target = RegexTarget::kSecret;
  std::vector<std::string> paths;      // Regexes over the file path.
  std::vector<std::string> regexes;    // Regexes over regex_target.
  std::vector<std::string> stopwords;  // Case-insensitive substrings of the secret.
  // Commit hashes: meaningful for git history only; kept for round trips, never matched here.
  std::vector<std::string> commits;
  // Global allowlists only (gitleaks >= 8.25 targetRules): the rule ids it applies to; empty
  // means every rule.
  std::vector<std::string> target_rules;
};

// One detection rule.
struct Rule {
  std::string id;
  std::string description;
  // Go-syntax regex over the content; empty for a path-only rule (which reports the file).
  std::string regex;
  // The capture group holding the secret; 0 = the first non-empty group, or the whole match
  // when the regex has no group (gitleaks' rule).
  int secret_group = 0;
  // Minimum Shannon entropy (bits per byte) of the secret; a secret at or below it is dropped.
  std::optional<double> entropy;
  // Case-insensitive literals; the regex only runs on content containing one of them. Empty
  // means the regex runs on every content.
  std::vector<std::string> keywords;
  // Go-syntax regex over the file path; when set, only matching paths are scanned by this rule.
  std::string path;
  std::vector<std::string> tags;
  std::vector<Allowlist> allowlists;
};

// A whole rule file.
struct RuleFile {
  std::string title;
  std::vector<Rule> rules;
  std::vector<Allowlist> allowlists;  // Global: [allowlist] and [[allowlists]].
  // Things the file says that this engine reads but does not act on ([extend] of a default
  // config, unknown keys), one message each with line:column.
  std::vector<std::string> warnings;
};

}  // namespace bulwark::secrets

#endif  // BULWARK_IMAGE_SECRETS_RULE_H_
