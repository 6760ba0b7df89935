#include "bulwark/image/vuln/internal/composer_version.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bulwark/image/versions/numeric.h"
#include "bulwark/image/versions/re2_view.h"
#include "re2/re2.h"

namespace bulwark::vuln::internal {

using ::bulwark::versions::CompareDigits;
using ::bulwark::versions::CompareValues;
using ::bulwark::versions::IsAsciiDigit;
using ::bulwark::versions::ToPiece;
using ::bulwark::versions::ToView;
namespace {

// Composer's $modifierRegex: stability, its number, and a "dev" flag.
constexpr absl::string_view kModifier =
    "[._-]?(?:(stable|beta|b|rc|alpha|a|patch|pl|p)((?:[.-]?\\d+)*)?)?([.-]?dev)?";

std::string ExpandStability(absl::string_view stability) {
  std::string s = absl::AsciiStrToLower(stability);
  if (s == "a") return "alpha";
  if (s == "b") return "beta";
  if (s == "p" || s == "pl") return "patch";
  if (s == "rc") return "RC";
  return s;
}

// Appends the normalised modifier ("-beta2", "-dev") to `version`, as normalize() does.
std::string WithModifiers(std::string version, absl::string_view stability,
                          absl::string_view number, absl::string_view dev) {
  if (!stability.empty()) {
    if (absl::AsciiStrToLower(stability) == "stable") return version;
    while (!number.empty() && (number[0] == '.' || number[0] == '-')) number.remove_prefix(1);
    absl::StrAppend(&version, "-", ExpandStability(stability), number);
  }
  if (!dev.empty()) absl::StrAppend(&version, "-dev");
  return version;
}

bool IsSpecialSeparator(char c) { return c == '-' || c == '_' || c == '+'; }
bool IsDigit(char c) { return IsAsciiDigit(c); }
bool IsNotDigit(char c) { return !IsAsciiDigit(c) && c != '.'; }

// php_canonicalize_version(): '-', '_', '+' and other non-alphanumerics become '.', and a '.'
// is inserted between digits and non-digits.
std::string Canonicalize(absl::string_view version) {
  std::string out;
  if (version.empty()) return out;
  out.push_back(version[0]);
  char previous = version[0];
  for (size_t i = 1; i < version.size(); ++i) {
    char c = version[i];
    if (IsSpecialSeparator(c)) {
      if (out.back() != '.') out.push_back('.');
    } else if ((IsNotDigit(previous) && IsDigit(c)) || (IsDigit(previous) && IsNotDigit(c))) {
      if (out.back() != '.') out.push_back('.');
      out.push_back(c);
    } else if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      if (out.back() != '.') out.push_back('.');
    } else {
      out.push_back(c);
    }
    previous = c;
  }
  return out;
}

// compare_special_version_forms(): the rank of a non-numeric part, matched by prefix.
int SpecialFormRank(absl::string_view form) {
  static constexpr std::pair<absl::string_view, int> kForms[] = {
      {"dev", 0}, {"alpha", 1}, {"a", 1}, {"beta", 2}, {"b", 2},
      {"RC", 3},  {"rc", 3},    {"#", 4}, {"pl", 5},   {"p", 5}};
  for (const auto& [name, rank] : kForms) {
    if (absl::StartsWith(form, name)) return rank;
  }
  return -1;
}

int ComparePart(absl::string_view a, absl::string_view b) {
  bool a_digit = !a.empty() && IsAsciiDigit(a[0]);
  bool b_digit = !b.empty() && IsAsciiDigit(b[0]);
  if (a_digit && b_digit) return CompareDigits(a, b);
  return CompareValues(SpecialFormRank(a_digit ? "#" : a), SpecialFormRank(b_digit ? "#" : b));
}

}  // namespace

int PhpVersionCompare(absl::string_view a, absl::string_view b) {
  std::string ca = Canonicalize(a), cb = Canonicalize(b);
  if (ca.empty() || cb.empty()) {
    if (ca.empty() && cb.empty()) return 0;
    return ca.empty() ? -1 : 1;
  }
  std::vector<absl::string_view> pa = absl::StrSplit(ca, '.');
  std::vector<absl::string_view> pb = absl::StrSplit(cb, '.');
  size_t i = 0;
  for (; i < pa.size() && i < pb.size(); ++i) {
    if (int c = ComparePart(pa[i], pb[i]); c != 0) return c;
  }
  // The longer version wins when it continues with a number or a post-release form.
  if (i < pa.size())
    return IsAsciiDigit(pa[i].empty() ? '\0' : pa[i][0]) ? 1 : ComparePart(pa[i], "#");
  if (i < pb.size())
    return IsAsciiDigit(pb[i].empty() ? '\0' : pb[i][0]) ? -1 : ComparePart("#", pb[i]);
  return 0;
}

absl::StatusOr<std::string> NormalizeComposerVersion(absl::string_view text) {
  static const RE2* const kClassical =
      new RE2(absl::StrCat("(?i)v?(\\d{1,5})(\\.\\d+)?(\\.\\d+)?(\\.\\d+)?", kModifier));
  static const RE2* const kDate = new RE2(
      absl::StrCat("(?i)v?(\\d{4}(?:[.:-]?\\d{2}){1,6}(?:[.:-]?\\d{1,3}){0,2})", kModifier));
  absl::string_view version = absl::StripAsciiWhitespace(text);
  if (version.empty()) return absl::InvalidArgumentError("version is empty");
  if (absl::StartsWithIgnoreCase(version, "dev-") || version == "master" || version == "trunk" ||
      version == "default") {
    return absl::InvalidArgumentError("branch versions (dev-*) have no order");
  }
  // Build metadata is dropped.
  if (size_t plus = version.find('+'); plus != absl::string_view::npos && plus > 0) {
    version = version.substr(0, plus);
  }
  re2::StringPiece g[7];
  if (RE2::FullMatch(ToPiece(version), *kClassical, &g[0], &g[1], &g[2], &g[3], &g[4], &g[5],
                     &g[6])) {
    absl::string_view major = ToView(g[0]), minor = ToView(g[1]), patch = ToView(g[2]),
                      fourth = ToView(g[3]);
    std::string out = absl::StrCat(major, minor.empty() ? ".0" : minor,
                                   patch.empty() ? ".0" : patch, fourth.empty() ? ".0" : fourth);
    return WithModifiers(std::move(out), ToView(g[4]), ToView(g[5]), ToView(g[6]));
  }
  if (RE2::FullMatch(ToPiece(version), *kDate, &g[0], &g[1], &g[2], &g[3])) {
    std::string out(ToView(g[0]));
    for (char& c : out) {
      if (!IsAsciiDigit(c)) c = '.';
    }
    return WithModifiers(std::move(out), ToView(g[1]), ToView(g[2]), ToView(g[3]));
  }
  return absl::InvalidArgumentError(
      "invalid version string (expected [v]MAJOR[.MINOR[.PATCH[.N]]][-stability[N]], e.g. "
      "1.2.3-beta2)");
}

}  // namespace bulwark::vuln::internal
