#include "bulwark/image/versions/pep440_specifier.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "bulwark/image/versions/numeric.h"
#include "bulwark/image/versions/re2_view.h"
#include "re2/re2.h"

namespace bulwark::versions {
namespace {

Pep440Version Public(Pep440Version v) {
  v.local.clear();
  return v;
}

Pep440Version Base(const Pep440Version& v) {
  Pep440Version base;
  base.epoch = v.epoch;
  base.release = v.release;
  return base;
}

bool Equal(const Pep440Version& a, const Pep440Version& b) {
  return ComparePep440Versions(a, b) == 0;
}

// packaging's _version_split: epoch, then the dot-separated parts with "1rc1" split in two.
std::vector<std::string> VersionSplit(absl::string_view version) {
  static const RE2* const kPrefix = new RE2("([0-9]+)((?:a|b|c|rc)[0-9]+)");
  std::vector<std::string> result;
  size_t bang = version.rfind('!');
  result.push_back(bang == absl::string_view::npos ? "0" : std::string(version.substr(0, bang)));
  absl::string_view rest = bang == absl::string_view::npos ? version : version.substr(bang + 1);
  for (absl::string_view item : absl::StrSplit(rest, '.')) {
    re2::StringPiece number, suffix;
    if (RE2::FullMatch(ToPiece(item), *kPrefix, &number, &suffix)) {
      result.emplace_back(ToView(number));
      result.emplace_back(ToView(suffix));
    } else {
      result.emplace_back(item);
    }
  }
  return result;
}

bool IsNotSuffix(const std::string& segment) {
  for (absl::string_view prefix : {"dev", "a", "b", "rc", "post"}) {
    if (absl::StartsWith(segment, prefix)) return false;
  }
  return true;
}

size_t LeadingDigits(const std::vector<std::string>& parts) {
  size_t n = 0;
  while (n < parts.size() && AllDigits(parts[n])) ++n;
  return n;
}

// packaging's _pad_version, returning the padded `left` and `right`.
std::pair<std::vector<std::string>, std::vector<std::string>> Pad(
    const std::vector<std::string>& left, const std::vector<std::string>& right) {
  size_t l = LeadingDigits(left), r = LeadingDigits(right);
  std::vector<std::string> padded_left(left.begin(), left.begin() + l);
  padded_left.insert(padded_left.end(), r > l ? r - l : 0, "0");
  padded_left.insert(padded_left.end(), left.begin() + l, left.end());
  std::vector<std::string> padded_right(right.begin(), right.begin() + r);
  padded_right.insert(padded_right.end(), l > r ? l - r : 0, "0");
  padded_right.insert(padded_right.end(), right.begin() + r, right.end());
  return {padded_left, padded_right};
}

absl::StatusOr<Pep440Version> SpecVersion(absl::string_view text) {
  absl::StatusOr<Pep440Version> v = ParsePep440Version(text);
  if (!v.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("specifier version \"", text, "\": ", v.status().message()));
  }
  return v;
}

absl::StatusOr<bool> EqualPrefix(const Pep440Version& prospective, absl::string_view spec) {
  absl::StatusOr<Pep440Version> spec_version = SpecVersion(spec);
  if (!spec_version.ok()) return spec_version.status();
  std::vector<std::string> split_spec = VersionSplit(NormalizedPep440(*spec_version));
  std::vector<std::string> split_prospective = VersionSplit(NormalizedPep440(Public(prospective)));
  // Zero-pad the release first, then cut to the spec's length: "2rc1" is in "2.0.*".
  std::vector<std::string> padded = Pad(split_prospective, split_spec).first;
  if (padded.size() > split_spec.size()) padded.resize(split_spec.size());
  return padded == split_spec;
}

}  // namespace

absl::StatusOr<bool> Pep440SpecifierContains(absl::string_view specifier,
                                             const Pep440Version& version, bool prereleases) {
  absl::string_view spec = absl::StripAsciiWhitespace(specifier);
  std::string op;
  for (absl::string_view candidate : {"===", "~=", "==", "!=", "<=", ">=", "<", ">"}) {
    if (absl::ConsumePrefix(&spec, candidate)) {
      op = std::string(candidate);
      break;
    }
  }
  if (op.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("specifier \"", specifier, "\" has no operator (~= == != <= >= < > ===)"));
  }
  spec = absl::StripAsciiWhitespace(spec);
  if (op == "===") {
    // packaging's "arbitrary" pattern: one run of characters other than whitespace, ";", ")".
    if (spec.find_first_of(" \t\n\v\f\r;)") != absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("specifier \"", specifier, "\": === takes one word"));
    }
    // Arbitrary equality: the version as packaging prints it, compared case-insensitively.
    return absl::AsciiStrToLower(NormalizedPep440(version)) == absl::AsciiStrToLower(spec);
  }
  bool wildcard = (op == "==" || op == "!=") && absl::EndsWith(spec, ".*");
  absl::string_view spec_text = wildcard ? spec.substr(0, spec.size() - 2) : spec;
  absl::StatusOr<Pep440Version> spec_version = SpecVersion(spec_text);
  if (!spec_version.ok()) return spec_version.status();

  if (!prereleases && version.is_prerelease() && !spec_version->is_prerelease()) return false;

  const Pep440Version& s = *spec_version;
  if (op == "==" || op == "!=") {
    bool equal;
    if (wildcard) {
      absl::StatusOr<bool> prefix = EqualPrefix(version, spec_text);
      if (!prefix.ok()) return prefix.status();
      equal = *prefix;
    } else {
      equal = s.local.empty() ? Equal(Public(version), s) : Equal(version, s);
    }
    return op == "==" ? equal : !equal;
  }
  if (op == "<=") return ComparePep440Versions(Public(version), s) <= 0;
  if (op == ">=") return ComparePep440Versions(Public(version), s) >= 0;
  if (op == "<") {
    if (ComparePep440Versions(version, s) >= 0) return false;
    // <V excludes pre-releases of V unless V is one.
    if (!s.is_prerelease() && version.is_prerelease() && Equal(Base(version), Base(s))) {
      return false;
    }
    return true;
  }
  if (op == ">") {
    if (ComparePep440Versions(version, s) <= 0) return false;
    // >V excludes post-releases of V unless V is one, and local versions of V itself.
    if (!s.post.has_value() && version.post.has_value() && Equal(Base(version), Base(s))) {
      return false;
    }
    if (!version.local.empty() && Equal(Public(version), s)) return false;
    return true;
  }
  // "~=V.N": >= V.N and == V.* (the prefix without its last release part).
  std::vector<std::string> parts = VersionSplit(spec_text);
  std::vector<std::string> prefix;
  for (const std::string& part : parts) {
    if (!IsNotSuffix(part)) break;
    prefix.push_back(part);
  }
  if (prefix.size() < 3) {
    return absl::InvalidArgumentError(
        absl::StrCat("specifier \"", specifier, "\": ~= needs at least two release parts"));
  }
  prefix.pop_back();
  // VersionSplit put the epoch first; rebuild "E!X.Y".
  std::string prefix_text =
      absl::StrCat(prefix[0], "!", absl::StrJoin(prefix.begin() + 1, prefix.end(), "."));
  absl::StatusOr<bool> in_prefix = EqualPrefix(version, prefix_text);
  if (!in_prefix.ok()) return in_prefix.status();
  return ComparePep440Versions(Public(version), s) >= 0 && *in_prefix;
}

}  // namespace bulwark::versions
