#include "bulwark/image/secrets/secret_scanner.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/secrets/gitleaks_toml.h"
#include "bulwark/image/secrets/keyword_set.h"
#include "bulwark/image/secrets/masking.h"
#include "re2/re2.h"

namespace bulwark::secrets {
namespace {

// RE2 speaks re2::StringPiece; Debian's Abseil has its own string_view.
re2::StringPiece Piece(absl::string_view text) {
  return re2::StringPiece(text.data(), text.size());
}
absl::string_view View(re2::StringPiece text) {
  return absl::string_view(text.data(), text.size());
}

// Go's regexp accepts "(?<name>" (Go >= 1.22) where RE2 of Debian 12 wants "(?P<name>"; every
// other construct gitleaks rules use means the same in both (Go's regexp is RE2's syntax).
std::string GoRegexToRe2(absl::string_view regex) {
  std::string out;
  out.reserve(regex.size() + 8);
  bool in_class = false;
  for (size_t i = 0; i < regex.size(); ++i) {
    const char c = regex[i];
    if (c == '\\' && i + 1 < regex.size()) {
      out += c;
      out += regex[++i];
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      out += c;
      continue;
    }
    if (c == '[') {
      in_class = true;
      out += c;
      // A ']' right after '[' or '[^' is a literal member.
      if (i + 1 < regex.size() && regex[i + 1] == '^') out += regex[++i];
      if (i + 1 < regex.size() && regex[i + 1] == ']') out += regex[++i];
      continue;
    }
    if (c == '(' && regex.substr(i, 3) == "(?<" && i + 3 < regex.size() && regex[i + 3] != '=' &&
        regex[i + 3] != '!') {
      out += "(?P<";
      i += 2;
      continue;
    }
    out += c;
  }
  return out;
}

absl::StatusOr<std::unique_ptr<RE2>> CompileRegex(absl::string_view regex, absl::string_view what) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(int64_t{32} << 20);
  auto compiled = std::make_unique<RE2>(GoRegexToRe2(regex), options);
  if (!compiled->ok()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": ", compiled->error()));
  }
  return compiled;
}

struct CompiledAllowlist {
  AllowlistCondition condition = AllowlistCondition::kOr;
  RegexTarget target = RegexTarget::kSecret;
  std::vector<std::unique_ptr<RE2>> paths;
  std::vector<std::unique_ptr<RE2>> regexes;
  std::vector<std::string> stopwords;  // Lower case.
  bool has_commits = false;
  absl::flat_hash_set<std::string> target_rules;
};

absl::StatusOr<CompiledAllowlist> CompileAllowlist(const Allowlist& allowlist,
                                                   absl::string_view what) {
  CompiledAllowlist out;
  out.condition = allowlist.condition;
  out.target = allowlist.regex_target;
  for (const std::string& path : allowlist.paths) {
    BULWARK_ASSIGN_OR_RETURN(auto compiled, CompileRegex(path, absl::StrCat(what, " path")));
    out.paths.push_back(std::move(compiled));
  }
  for (const std::string& regex : allowlist.regexes) {
    BULWARK_ASSIGN_OR_RETURN(auto compiled, CompileRegex(regex, absl::StrCat(what, " regex")));
    out.regexes.push_back(std::move(compiled));
  }
  for (const std::string& word : allowlist.stopwords) {
    out.stopwords.push_back(absl::AsciiStrToLower(word));
  }
  out.has_commits = !allowlist.commits.empty();
  out.target_rules.insert(allowlist.target_rules.begin(), allowlist.target_rules.end());
  return out;
}

bool AnyPartialMatch(const std::vector<std::unique_ptr<RE2>>& regexes, absl::string_view text) {
  for (const auto& regex : regexes) {
    if (RE2::PartialMatch(Piece(text), *regex)) return true;
  }
  return false;
}

// The texts an allowlist may look at for one match.
struct Candidate {
  absl::string_view path;
  absl::string_view secret;
  absl::string_view match;
  absl::string_view line;
};

bool Allows(const CompiledAllowlist& allowlist, const Candidate& candidate) {
  // Criteria the allowlist sets, and whether each matched. A commit never matches: there is no
  // commit when scanning files.
  std::vector<bool> results;
  if (allowlist.has_commits) results.push_back(false);
  if (!allowlist.paths.empty()) {
    results.push_back(!candidate.path.empty() && AnyPartialMatch(allowlist.paths, candidate.path));
  }
  if (!allowlist.regexes.empty()) {
    absl::string_view target = allowlist.target == RegexTarget::kMatch  ? candidate.match
                               : allowlist.target == RegexTarget::kLine ? candidate.line
                                                                        : candidate.secret;
    results.push_back(AnyPartialMatch(allowlist.regexes, target));
  }
  if (!allowlist.stopwords.empty()) {
    const std::string secret = absl::AsciiStrToLower(candidate.secret);
    bool found = false;
    for (const std::string& word : allowlist.stopwords)
      found = found || absl::StrContains(secret, word);
    results.push_back(found);
  }
  if (results.empty()) return false;
  if (allowlist.condition == AllowlistCondition::kAnd) {
    return std::all_of(results.begin(), results.end(), [](bool b) { return b; });
  }
  return std::any_of(results.begin(), results.end(), [](bool b) { return b; });
}

struct CompiledRule {
  std::string id;
  std::string description;
  std::vector<std::string> tags;
  int secret_group = 0;
  std::optional<double> entropy;
  std::unique_ptr<RE2> regex;  // Null for a path-only rule.
  std::unique_ptr<RE2> path;   // Null when the rule scans every path.
  std::vector<CompiledAllowlist> allowlists;
  bool generic = false;  // Tagged "generic": yields to specific rules on the same text.
};

absl::StatusOr<CompiledRule> CompileRule(const Rule& rule) {
  CompiledRule out;
  out.generic = std::find(rule.tags.begin(), rule.tags.end(), "generic") != rule.tags.end();
  out.id = rule.id;
  out.description = rule.description;
  out.tags = rule.tags;
  out.secret_group = rule.secret_group;
  out.entropy = rule.entropy;
  const std::string what = absl::StrCat("rule ", rule.id);
  if (!rule.regex.empty()) {
    BULWARK_ASSIGN_OR_RETURN(out.regex, CompileRegex(rule.regex, absl::StrCat(what, ": regex")));
    if (rule.secret_group > out.regex->NumberOfCapturingGroups()) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": secretGroup ", rule.secret_group, " but the regex has ",
                       out.regex->NumberOfCapturingGroups(), " groups"));
    }
  }
  if (!rule.path.empty()) {
    BULWARK_ASSIGN_OR_RETURN(out.path, CompileRegex(rule.path, absl::StrCat(what, ": path")));
  }
  for (size_t i = 0; i < rule.allowlists.size(); ++i) {
    BULWARK_ASSIGN_OR_RETURN(
        CompiledAllowlist allowlist,
        CompileAllowlist(rule.allowlists[i], absl::StrCat(what, ": allowlists[", i, "]")));
    out.allowlists.push_back(std::move(allowlist));
  }
  return out;
}

// Line numbers of byte offsets in one content, built on first use (most contents match nothing).
class LineIndex {
 public:
  explicit LineIndex(absl::string_view content) : content_(content) {}

  // 1-based line and column of `offset`.
  std::pair<uint32_t, uint32_t> Position(size_t offset) {
    Build();
    const auto it = std::upper_bound(newlines_.begin(), newlines_.end(), offset);
    const size_t line = static_cast<size_t>(it - newlines_.begin());
    const size_t line_start = line == 0 ? 0 : newlines_[line - 1] + 1;
    return {static_cast<uint32_t>(line + 1), static_cast<uint32_t>(offset - line_start + 1)};
  }

  // The lines holding [begin, end), without their line breaks.
  absl::string_view Lines(size_t begin, size_t end) const {
    const size_t start = content_.rfind('\n', begin == 0 ? 0 : begin - 1);
    const size_t line_begin = (start == absl::string_view::npos || begin == 0) ? 0 : start + 1;
    size_t line_end = content_.find('\n', end);
    if (line_end == absl::string_view::npos) line_end = content_.size();
    return content_.substr(line_begin, line_end - line_begin);
  }

 private:
  void Build() {
    if (built_) return;
    built_ = true;
    for (size_t i = content_.find('\n'); i != absl::string_view::npos;
         i = content_.find('\n', i + 1)) {
      newlines_.push_back(i);
    }
  }

  absl::string_view content_;
  bool built_ = false;
  std::vector<size_t> newlines_;
};

// Removes the matches of generic rules whose secret overlaps a specific rule's secret.
void DropGenericOverlaps(const std::vector<bool>& generic, std::vector<SecretMatch>& matches) {
  std::vector<SecretMatch> kept;
  kept.reserve(matches.size());
  for (size_t i = 0; i < matches.size(); ++i) {
    bool shadowed = false;
    for (size_t j = 0; generic[i] && !shadowed && j < matches.size(); ++j) {
      shadowed = !generic[j] && matches[j].length > 0 &&
                 matches[i].offset < matches[j].offset + matches[j].length &&
                 matches[j].offset < matches[i].offset + matches[i].length;
    }
    if (!shadowed) kept.push_back(std::move(matches[i]));
  }
  matches = std::move(kept);
}

}  // namespace

struct SecretScanner::Compiled {
  ScannerOptions options;
  std::vector<CompiledRule> rules;
  std::vector<CompiledAllowlist> allowlists;
  // One literal per distinct lower-case keyword (null without keywords); keyword_rules[i] are
  // the rules that keyword i enables. Rules without keywords are in unconditional_rules.
  std::unique_ptr<const KeywordSet> keywords;
  std::vector<std::vector<size_t>> keyword_rules;
  std::vector<size_t> unconditional_rules;
  std::vector<std::string> warnings;

  bool GloballyAllowed(const CompiledRule& rule, const Candidate& candidate) const {
    for (const CompiledAllowlist& allowlist : allowlists) {
      if (!allowlist.target_rules.empty() && !allowlist.target_rules.contains(rule.id)) continue;
      if (Allows(allowlist, candidate)) return true;
    }
    return false;
  }

  void ScanRule(const CompiledRule& rule, absl::string_view content, absl::string_view path,
                LineIndex& lines, std::vector<SecretMatch>& out, ScanStats* stats) const;
};

SecretScanner::SecretScanner(std::unique_ptr<Compiled> compiled) : compiled_(std::move(compiled)) {}
SecretScanner::~SecretScanner() = default;

absl::StatusOr<std::unique_ptr<const SecretScanner>> SecretScanner::Create(
    RuleFile rules, const ScannerOptions& options) {
  auto compiled = std::make_unique<Compiled>();
  compiled->options = options;
  compiled->warnings = std::move(rules.warnings);
  for (size_t i = 0; i < rules.allowlists.size(); ++i) {
    absl::StatusOr<CompiledAllowlist> allowlist =
        CompileAllowlist(rules.allowlists[i], absl::StrCat("allowlists[", i, "]"));
    if (!allowlist.ok()) {
      compiled->warnings.push_back(
          absl::StrCat(allowlist.status().message(), " (allowlist left out)"));
      continue;
    }
    compiled->allowlists.push_back(*std::move(allowlist));
  }

  absl::flat_hash_set<std::string> ids;
  absl::flat_hash_map<std::string, size_t> keyword_index;
  std::vector<std::string> keywords;
  for (const Rule& rule : rules.rules) {
    if (!ids.insert(rule.id).second) {
      return absl::InvalidArgumentError(absl::StrCat("two rules have the id \"", rule.id, "\""));
    }
    absl::StatusOr<CompiledRule> compiled_rule = CompileRule(rule);
    if (!compiled_rule.ok()) {
      compiled->warnings.push_back(
          absl::StrCat(compiled_rule.status().message(), " (rule left out)"));
      continue;
    }
    const size_t rule_index = compiled->rules.size();
    compiled->rules.push_back(*std::move(compiled_rule));
    if (rule.keywords.empty()) {
      compiled->unconditional_rules.push_back(rule_index);
      continue;
    }
    for (const std::string& keyword : rule.keywords) {
      const std::string lower = absl::AsciiStrToLower(keyword);
      auto [it, inserted] = keyword_index.try_emplace(lower, keywords.size());
      if (inserted) {
        keywords.push_back(lower);
        compiled->keyword_rules.emplace_back();
      }
      std::vector<size_t>& enabled = compiled->keyword_rules[it->second];
      if (enabled.empty() || enabled.back() != rule_index) enabled.push_back(rule_index);
    }
  }
  if (!keywords.empty()) {
    absl::StatusOr<std::unique_ptr<const KeywordSet>> set = KeywordSet::Create(keywords);
    if (!set.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("the rules' keywords: ", set.status().message()));
    }
    compiled->keywords = *std::move(set);
  }
  return std::unique_ptr<const SecretScanner>(new SecretScanner(std::move(compiled)));
}

absl::StatusOr<std::shared_ptr<const SecretScanner>> SecretScanner::Builtin() {
  static const auto* const kBuiltin = new absl::StatusOr<std::shared_ptr<const SecretScanner>>(
      []() -> absl::StatusOr<std::shared_ptr<const SecretScanner>> {
        absl::StatusOr<RuleFile> rules =
            ParseGitleaksToml(BuiltinRulesToml(), "builtin_rules.toml");
        if (!rules.ok()) return absl::InternalError(rules.status().message());
        absl::StatusOr<std::unique_ptr<const SecretScanner>> scanner = Create(*std::move(rules));
        if (!scanner.ok()) return absl::InternalError(scanner.status().message());
        if (!(*scanner)->warnings().empty()) {
          return absl::InternalError(
              absl::StrCat("builtin_rules.toml: ", (*scanner)->warnings()[0]));
        }
        return std::shared_ptr<const SecretScanner>(*std::move(scanner));
      }());
  return *kBuiltin;
}

bool SecretScanner::PathAllowed(absl::string_view path) const {
  for (const CompiledAllowlist& allowlist : compiled_->allowlists) {
    if (!allowlist.target_rules.empty() || allowlist.paths.empty()) continue;
    const bool only_paths =
        allowlist.regexes.empty() && allowlist.stopwords.empty() && !allowlist.has_commits;
    if (allowlist.condition == AllowlistCondition::kAnd && !only_paths) continue;
    if (AnyPartialMatch(allowlist.paths, path)) return true;
  }
  return false;
}

size_t SecretScanner::rule_count() const { return compiled_->rules.size(); }
const std::vector<std::string>& SecretScanner::warnings() const { return compiled_->warnings; }

void SecretScanner::Compiled::ScanRule(const CompiledRule& rule, absl::string_view content,
                                       absl::string_view path, LineIndex& lines,
                                       std::vector<SecretMatch>& out, ScanStats* stats) const {
  const int group_count = rule.regex->NumberOfCapturingGroups();
  std::vector<re2::StringPiece> pieces(static_cast<size_t>(group_count) + 1);
  std::vector<absl::string_view> groups(pieces.size());
  size_t kept = 0;
  size_t position = 0;
  while (position <= content.size() &&
         rule.regex->Match(Piece(content), position, content.size(), RE2::UNANCHORED, pieces.data(),
                           static_cast<int>(pieces.size()))) {
    for (size_t i = 0; i < pieces.size(); ++i) groups[i] = View(pieces[i]);
    const absl::string_view match = groups[0];
    const size_t begin = static_cast<size_t>(match.data() - content.data());
    position = begin + std::max<size_t>(match.size(), 1);

    absl::string_view secret = match;
    if (rule.secret_group > 0) {
      secret = groups[static_cast<size_t>(rule.secret_group)];
    } else {
      for (size_t i = 1; i < groups.size(); ++i) {
        if (!groups[i].empty()) {
          secret = groups[i];
          break;
        }
      }
    }
    if (secret.empty() || secret.data() == nullptr) continue;
    const double entropy = ShannonEntropy(secret);
    if (rule.entropy.has_value() && entropy <= *rule.entropy) continue;
    const Candidate candidate{path, secret, match, lines.Lines(begin, begin + match.size())};
    bool allowed = false;
    for (const CompiledAllowlist& allowlist : rule.allowlists) {
      allowed = allowed || Allows(allowlist, candidate);
    }
    if (allowed || GloballyAllowed(rule, candidate)) continue;
    if (kept == options.max_matches_per_rule) {
      if (stats != nullptr) ++stats->dropped_matches;
      continue;
    }
    ++kept;
    SecretMatch found;
    found.rule_id = rule.id;
    found.description = rule.description;
    found.tags = rule.tags;
    std::tie(found.line, found.column) = lines.Position(begin);
    // The match may end in the line break that terminated it; that break is not part of it.
    absl::string_view body = match;
    while (body.size() > 1 && (body.back() == '\n' || body.back() == '\r')) body.remove_suffix(1);
    found.end_line = lines.Position(begin + (body.empty() ? 0 : body.size() - 1)).first;
    found.masked_secret = MaskSecret(secret);
    found.masked_match =
        MaskMatch(match, static_cast<size_t>(secret.data() - match.data()), secret);
    found.entropy = entropy;
    found.offset = static_cast<size_t>(secret.data() - content.data());
    found.length = secret.size();
    out.push_back(std::move(found));
  }
}

std::vector<SecretMatch> SecretScanner::Scan(absl::string_view content, absl::string_view path,
                                             ScanStats* stats) const {
  std::vector<SecretMatch> out;
  std::vector<bool> generic;  // Per match in `out`: its rule is tagged "generic".
  const Compiled& c = *compiled_;
  if (stats != nullptr) stats->bytes += content.size();

  std::vector<bool> enabled(c.rules.size(), !c.options.keyword_prefilter);
  for (size_t index : c.unconditional_rules) enabled[index] = true;
  std::vector<int> hits;
  if (c.options.keyword_prefilter && c.keywords != nullptr &&
      !c.keywords->Find(content, hits).ok()) {
    // The keyword scan ran out of memory: run every rule rather than miss a secret.
    std::fill(enabled.begin(), enabled.end(), true);
  }
  for (int hit : hits) {
    for (size_t index : c.keyword_rules[static_cast<size_t>(hit)]) enabled[index] = true;
  }

  LineIndex lines(content);
  for (size_t i = 0; i < c.rules.size(); ++i) {
    const CompiledRule& rule = c.rules[i];
    if (rule.path != nullptr && (path.empty() || !RE2::PartialMatch(Piece(path), *rule.path)))
      continue;
    if (rule.regex == nullptr) {
      const Candidate candidate{path, path, path, path};
      if (!c.GloballyAllowed(rule, candidate)) {
        SecretMatch found;
        found.rule_id = rule.id;
        found.description = rule.description;
        found.tags = rule.tags;
        out.push_back(std::move(found));
        generic.push_back(rule.generic);
      }
      continue;
    }
    if (!enabled[i]) {
      if (stats != nullptr) ++stats->regex_skipped;
      continue;
    }
    if (stats != nullptr) ++stats->regex_runs;
    c.ScanRule(rule, content, path, lines, out, stats);
    generic.resize(out.size(), rule.generic);
  }
  DropGenericOverlaps(generic, out);
  std::stable_sort(out.begin(), out.end(), [](const SecretMatch& a, const SecretMatch& b) {
    return std::tie(a.line, a.column, a.rule_id) < std::tie(b.line, b.column, b.rule_id);
  });
  return out;
}

}  // namespace bulwark::secrets
