#include "bulwark/image/vuln/internal/node_semver_range.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "bulwark/image/versions/numeric.h"
#include "bulwark/image/vuln/internal/semver_version.h"

namespace bulwark::vuln::internal {

using ::bulwark::versions::AllDigits;
using ::bulwark::versions::CompareDigits;
using ::bulwark::versions::IsAsciiDigit;
using ::bulwark::versions::StripLeadingZeros;
namespace {

// A primitive comparator: op is "<", "<=", ">", ">=" or "=", or kAny (matches everything).
struct Comparator {
  std::string op;
  SemVer version;
  bool any = false;
};
using ComparatorSet = std::vector<Comparator>;

// A partial version "1", "1.2", "1.x", "1.2.3-pre"; absent or wildcard parts are nullopt.
struct Partial {
  std::optional<std::string> major, minor, patch;
  std::vector<std::string> prerelease;
};

std::string Increment(const std::string& digits) {
  std::string out(StripLeadingZeros(digits));
  if (out.empty()) return "1";
  int i = static_cast<int>(out.size()) - 1;
  while (i >= 0 && out[i] == '9') out[i--] = '0';
  if (i < 0) return "1" + out;
  ++out[i];
  return out;
}

SemVer Make(const std::string& major, const std::string& minor, const std::string& patch,
            std::vector<std::string> prerelease = {}) {
  SemVer v;
  v.major = major;
  v.minor = minor;
  v.patch = patch;
  v.prerelease = std::move(prerelease);
  return v;
}

const std::vector<std::string> kZeroPre = {"0"};

bool IsWildcard(absl::string_view part) { return part == "x" || part == "X" || part == "*"; }

absl::StatusOr<Partial> ParsePartial(absl::string_view text, const NodeRangeOptions& options) {
  while (!text.empty() && (text[0] == 'v' || text[0] == '=' ||
                           absl::ascii_isspace(static_cast<unsigned char>(text[0])))) {
    text.remove_prefix(1);
  }
  Partial p;
  auto invalid = [&] {
    return absl::InvalidArgumentError(absl::StrCat("invalid comparator version \"", text, "\""));
  };
  if (text.empty()) return invalid();
  // A full version with pre-release or build is a SemVer; otherwise 1 to 3 parts.
  std::vector<absl::string_view> parts = absl::StrSplit(text, absl::MaxSplits('.', 2));
  if (parts.size() == 3 && !IsWildcard(parts[2].substr(0, 1))) {
    size_t n = 0;
    while (n < parts[2].size() && IsAsciiDigit(parts[2][n])) ++n;
    if (n < parts[2].size() && !IsWildcard(parts[0]) && !IsWildcard(parts[1])) {
      absl::StatusOr<SemVer> full =
          ParseSemver(text, options.loose ? SemverDialect::kNodeLoose : SemverDialect::kNode);
      if (!full.ok()) return invalid();
      p.major = full->major;
      p.minor = full->minor;
      p.patch = full->patch;
      p.prerelease = full->prerelease;
      return p;
    }
  }
  std::optional<std::string>* slots[] = {&p.major, &p.minor, &p.patch};
  for (size_t i = 0; i < parts.size(); ++i) {
    absl::string_view part = parts[i];
    if (i == 2) part = part.substr(0, part.find('+'));
    if (IsWildcard(part)) continue;
    if (!AllDigits(part)) return invalid();
    if (!options.loose && part.size() > 1 && part[0] == '0') return invalid();
    // Parts after a wildcard are ignored ("1.x.3" is "1.x").
    if (i > 0 && !slots[i - 1]->has_value()) continue;
    *slots[i] = std::string(part);
  }
  return p;
}

Comparator Cmp(std::string op, SemVer v) { return Comparator{std::move(op), std::move(v), false}; }

// Expands one comparator token ("^1.2", "~1", ">=1.x", "1.2.3") into primitive comparators.
absl::StatusOr<ComparatorSet> Desugar(absl::string_view token, const NodeRangeOptions& options) {
  std::string op;
  for (absl::string_view candidate : {"<=", ">=", "~>", "<", ">", "=", "~", "^"}) {
    if (absl::ConsumePrefix(&token, candidate)) {
      op = std::string(candidate);
      break;
    }
  }
  absl::string_view rest = absl::StripLeadingAsciiWhitespace(token);
  if (rest == "*" || rest == "x" || rest == "X" || rest.empty()) {
    if (rest.empty() && !op.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("operator \"", op, "\" without a version"));
    }
    if (op == "<" || op == ">") return ComparatorSet{Cmp("<", Make("0", "0", "0", kZeroPre))};
    return ComparatorSet{Comparator{"", {}, true}};
  }
  absl::StatusOr<Partial> parsed = ParsePartial(rest, options);
  if (!parsed.ok()) return parsed.status();
  const Partial& p = *parsed;
  std::vector<std::string> z = options.include_prerelease ? kZeroPre : std::vector<std::string>{};
  bool xM = !p.major.has_value(), xm = !p.minor.has_value(), xp = !p.patch.has_value();
  if (xM) return ComparatorSet{Comparator{"", {}, true}};
  const std::string& M = *p.major;
  std::string m = p.minor.value_or("0"), pt = p.patch.value_or("0");

  if (op == "~" || op == "~>") {
    if (xm)
      return ComparatorSet{Cmp(">=", Make(M, "0", "0", z)),
                           Cmp("<", Make(Increment(M), "0", "0", kZeroPre))};
    if (xp)
      return ComparatorSet{Cmp(">=", Make(M, m, "0", z)),
                           Cmp("<", Make(M, Increment(m), "0", kZeroPre))};
    return ComparatorSet{Cmp(">=", Make(M, m, pt, p.prerelease)),
                         Cmp("<", Make(M, Increment(m), "0", kZeroPre))};
  }
  if (op == "^") {
    if (xm)
      return ComparatorSet{Cmp(">=", Make(M, "0", "0", z)),
                           Cmp("<", Make(Increment(M), "0", "0", kZeroPre))};
    if (xp) {
      if (StripLeadingZeros(M).empty()) {
        return ComparatorSet{Cmp(">=", Make(M, m, "0", z)),
                             Cmp("<", Make(M, Increment(m), "0", kZeroPre))};
      }
      return ComparatorSet{Cmp(">=", Make(M, m, "0", z)),
                           Cmp("<", Make(Increment(M), "0", "0", kZeroPre))};
    }
    const std::vector<std::string>& low_pre = p.prerelease;
    if (StripLeadingZeros(M).empty()) {
      if (StripLeadingZeros(m).empty()) {
        return ComparatorSet{Cmp(">=", Make(M, m, pt, low_pre)),
                             Cmp("<", Make(M, m, Increment(pt), kZeroPre))};
      }
      return ComparatorSet{Cmp(">=", Make(M, m, pt, low_pre)),
                           Cmp("<", Make(M, Increment(m), "0", kZeroPre))};
    }
    return ComparatorSet{Cmp(">=", Make(M, m, pt, low_pre)),
                         Cmp("<", Make(Increment(M), "0", "0", kZeroPre))};
  }
  bool any_x = xp;
  if (op == "=" && any_x) op = "";
  if (!any_x) return ComparatorSet{Cmp(op.empty() ? "=" : op, Make(M, m, pt, p.prerelease))};
  if (!op.empty()) {
    std::string major = M, minor = xm ? "0" : m, patch = "0";
    std::vector<std::string> pre = z;
    if (op == ">") {
      op = ">=";
      if (xm) {
        major = Increment(M);
        minor = "0";
      } else {
        minor = Increment(m);
      }
    } else if (op == "<=") {
      op = "<";
      if (xm) {
        major = Increment(M);
      } else {
        minor = Increment(m);
      }
    }
    if (op == "<") pre = kZeroPre;
    return ComparatorSet{Cmp(op, Make(major, minor, patch, pre))};
  }
  if (xm)
    return ComparatorSet{Cmp(">=", Make(M, "0", "0", z)),
                         Cmp("<", Make(Increment(M), "0", "0", kZeroPre))};
  return ComparatorSet{Cmp(">=", Make(M, m, "0", z)),
                       Cmp("<", Make(M, Increment(m), "0", kZeroPre))};
}

// "A - B".
absl::StatusOr<ComparatorSet> Hyphen(absl::string_view from_text, absl::string_view to_text,
                                     const NodeRangeOptions& options) {
  absl::StatusOr<Partial> from = ParsePartial(from_text, options);
  if (!from.ok()) return from.status();
  absl::StatusOr<Partial> to = ParsePartial(to_text, options);
  if (!to.ok()) return to.status();
  std::vector<std::string> z = options.include_prerelease ? kZeroPre : std::vector<std::string>{};
  ComparatorSet set;
  if (from->major.has_value()) {
    if (!from->minor.has_value()) {
      set.push_back(Cmp(">=", Make(*from->major, "0", "0", z)));
    } else if (!from->patch.has_value()) {
      set.push_back(Cmp(">=", Make(*from->major, *from->minor, "0", z)));
    } else {
      set.push_back(Cmp(">=", Make(*from->major, *from->minor, *from->patch,
                                   from->prerelease.empty() ? z : from->prerelease)));
    }
  }
  if (to->major.has_value()) {
    if (!to->minor.has_value()) {
      set.push_back(Cmp("<", Make(Increment(*to->major), "0", "0", kZeroPre)));
    } else if (!to->patch.has_value()) {
      set.push_back(Cmp("<", Make(*to->major, Increment(*to->minor), "0", kZeroPre)));
    } else if (!to->prerelease.empty()) {
      set.push_back(Cmp("<=", Make(*to->major, *to->minor, *to->patch, to->prerelease)));
    } else if (options.include_prerelease) {
      set.push_back(Cmp("<", Make(*to->major, *to->minor, Increment(*to->patch), kZeroPre)));
    } else {
      set.push_back(Cmp("<=", Make(*to->major, *to->minor, *to->patch)));
    }
  }
  if (set.empty()) set.push_back(Comparator{"", {}, true});
  return set;
}

bool IsOperator(absl::string_view token) {
  for (absl::string_view op : {"<=", ">=", "~>", "<", ">", "=", "~", "^"}) {
    if (token == op) return true;
  }
  return false;
}

absl::StatusOr<ComparatorSet> ParseSet(absl::string_view text, const NodeRangeOptions& options) {
  std::vector<std::string> tokens;
  for (absl::string_view word :
       absl::StrSplit(text, absl::ByAnyChar(" \t\n\r\f\v"), absl::SkipEmpty())) {
    // An operator alone ("> 1.0.0", "~ 1.0") belongs to the next word.
    if (!tokens.empty() && IsOperator(tokens.back())) {
      tokens.back().append(word.data(), word.size());
    } else {
      tokens.emplace_back(word);
    }
  }
  if (tokens.size() == 3 && tokens[1] == "-") return Hyphen(tokens[0], tokens[2], options);
  ComparatorSet set;
  for (const std::string& token : tokens) {
    absl::StatusOr<ComparatorSet> expanded = Desugar(token, options);
    if (!expanded.ok()) {
      if (options.loose) continue;  // Loose mode drops what is not a comparator.
      return expanded.status();
    }
    set.insert(set.end(), expanded->begin(), expanded->end());
  }
  if (tokens.empty()) set.push_back(Comparator{"", {}, true});
  return set;
}

bool Test(const Comparator& c, const SemVer& v) {
  if (c.any) return true;
  int order = CompareSemver(v, c.version);
  if (c.op == "<") return order < 0;
  if (c.op == "<=") return order <= 0;
  if (c.op == ">") return order > 0;
  if (c.op == ">=") return order >= 0;
  return order == 0;
}

bool TestSet(const ComparatorSet& set, const SemVer& v, const NodeRangeOptions& options) {
  for (const Comparator& c : set) {
    if (!Test(c, v)) return false;
  }
  if (!v.prerelease.empty() && !options.include_prerelease) {
    // A pre-release only matches when the set names a pre-release of the same version.
    for (const Comparator& c : set) {
      if (c.any || c.version.prerelease.empty()) continue;
      if (CompareDigits(c.version.major, v.major) == 0 &&
          CompareDigits(c.version.minor, v.minor) == 0 &&
          CompareDigits(c.version.patch, v.patch) == 0) {
        return true;
      }
    }
    return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<bool> NodeSemverSatisfies(absl::string_view range, absl::string_view version,
                                         const NodeRangeOptions& options) {
  std::vector<ComparatorSet> sets;
  for (absl::string_view part : absl::StrSplit(range, "||")) {
    absl::StatusOr<ComparatorSet> set = ParseSet(absl::StripAsciiWhitespace(part), options);
    if (!set.ok()) return set.status();
    if (!set->empty()) sets.push_back(*std::move(set));
  }
  if (sets.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("invalid range \"", range, "\""));
  }
  absl::StatusOr<SemVer> v =
      ParseSemver(version, options.loose ? SemverDialect::kNodeLoose : SemverDialect::kNode);
  if (!v.ok()) return false;
  for (const ComparatorSet& set : sets) {
    if (TestSet(set, *v, options)) return true;
  }
  return false;
}

}  // namespace bulwark::vuln::internal
