#include "bulwark/image/vuln/internal/semver_version.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bulwark/image/versions/numeric.h"
#include "bulwark/image/versions/unicode_space.h"

namespace bulwark::vuln::internal {

using ::bulwark::versions::AllDigits;
using ::bulwark::versions::CompareDigits;
using ::bulwark::versions::CompareValues;
using ::bulwark::versions::IsAsciiDigit;
using ::bulwark::versions::Sign;
using ::bulwark::versions::StripPythonWhitespace;
namespace {

constexpr size_t kNodeMaxLength = 256;
constexpr absl::string_view kJavaScriptMaxSafeInteger = "9007199254740991";
constexpr absl::string_view kUint64Max = "18446744073709551615";

absl::Status Invalid(absl::string_view why) { return absl::InvalidArgumentError(why); }

bool IsIdentifierChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-';
}

bool LeadingZerosAllowed(SemverDialect dialect) {
  return dialect == SemverDialect::kNodeLoose || dialect == SemverDialect::kPub;
}

// Reads one numeric core component (digits) from the front of `rest`.
absl::StatusOr<std::string> ReadNumber(absl::string_view& rest, absl::string_view name,
                                       SemverDialect dialect) {
  size_t n = 0;
  while (n < rest.size() && IsAsciiDigit(rest[n])) ++n;
  if (n == 0) return Invalid(absl::StrCat(name, " version is not a number"));
  absl::string_view digits = rest.substr(0, n);
  rest.remove_prefix(n);
  if (n > 1 && digits[0] == '0' && !LeadingZerosAllowed(dialect)) {
    return Invalid(absl::StrCat(name, " version has a leading zero"));
  }
  bool node = dialect == SemverDialect::kNode || dialect == SemverDialect::kNodeLoose;
  absl::string_view max = node ? kJavaScriptMaxSafeInteger : kUint64Max;
  if (CompareDigits(digits, max) > 0) {
    return Invalid(absl::StrCat(name, " version is larger than ", max));
  }
  return std::string(digits);
}

absl::StatusOr<std::vector<std::string>> ReadIdentifiers(absl::string_view text,
                                                         absl::string_view what,
                                                         bool numeric_leading_zero_rule) {
  std::vector<std::string> out;
  for (absl::string_view id : absl::StrSplit(text, '.')) {
    if (id.empty()) return Invalid(absl::StrCat(what, " has an empty identifier"));
    for (char c : id) {
      if (!IsIdentifierChar(c)) {
        return Invalid(absl::StrCat(what, " identifier \"", absl::CEscape(id),
                                    "\" holds a character other than [0-9A-Za-z-]"));
      }
    }
    if (numeric_leading_zero_rule && id.size() > 1 && id[0] == '0' && AllDigits(id)) {
      return Invalid(absl::StrCat(what, " identifier \"", id, "\" is numeric with a leading zero"));
    }
    out.emplace_back(id);
  }
  return out;
}

int CompareIdentifier(const std::string& a, const std::string& b, bool ignore_case) {
  bool a_num = AllDigits(a), b_num = AllDigits(b);
  if (a_num && b_num) return CompareDigits(a, b);
  if (a_num != b_num) return a_num ? -1 : 1;
  if (ignore_case) {
    return Sign(absl::AsciiStrToLower(a).compare(absl::AsciiStrToLower(b)));
  }
  return Sign(a.compare(b));
}

}  // namespace

absl::StatusOr<SemVer> ParseSemver(absl::string_view text, SemverDialect dialect) {
  absl::string_view rest = text;
  switch (dialect) {
    case SemverDialect::kNode:
    case SemverDialect::kNodeLoose:
      if (text.size() > kNodeMaxLength) return Invalid("longer than 256 characters");
      rest = StripPythonWhitespace(rest);
      if (dialect == SemverDialect::kNodeLoose) {
        while (!rest.empty() && (rest[0] == 'v' || rest[0] == '=' ||
                                 absl::ascii_isspace(static_cast<unsigned char>(rest[0])))) {
          rest.remove_prefix(1);
        }
      } else {
        absl::ConsumePrefix(&rest, "v");
      }
      break;
    case SemverDialect::kGo:
      absl::ConsumePrefix(&rest, "v");
      break;
    case SemverDialect::kSemver2:
    case SemverDialect::kPub:
      break;
  }
  SemVer v;
  absl::StatusOr<std::string> number = ReadNumber(rest, "major", dialect);
  if (!number.ok()) return number.status();
  v.major = *std::move(number);
  if (!absl::ConsumePrefix(&rest, ".")) return Invalid("expected MAJOR.MINOR.PATCH");
  number = ReadNumber(rest, "minor", dialect);
  if (!number.ok()) return number.status();
  v.minor = *std::move(number);
  if (!absl::ConsumePrefix(&rest, ".")) return Invalid("expected MAJOR.MINOR.PATCH");
  number = ReadNumber(rest, "patch", dialect);
  if (!number.ok()) return number.status();
  v.patch = *std::move(number);

  size_t plus = rest.find('+');
  absl::string_view build = plus == absl::string_view::npos ? "" : rest.substr(plus + 1);
  absl::string_view pre = rest.substr(0, plus);
  if (!pre.empty()) {
    bool hyphen = absl::ConsumePrefix(&pre, "-");
    if (!hyphen && dialect != SemverDialect::kNodeLoose) {
      return Invalid(absl::StrCat("unexpected \"", absl::CEscape(pre),
                                  "\" after MAJOR.MINOR.PATCH (a pre-release starts with '-')"));
    }
    absl::StatusOr<std::vector<std::string>> ids =
        ReadIdentifiers(pre, "pre-release", !LeadingZerosAllowed(dialect));
    if (!ids.ok()) return ids.status();
    v.prerelease = *std::move(ids);
  }
  if (plus != absl::string_view::npos) {
    absl::StatusOr<std::vector<std::string>> ids = ReadIdentifiers(build, "build metadata", false);
    if (!ids.ok()) return ids.status();
    v.build = *std::move(ids);
  }
  return v;
}

int CompareIdentifierLists(const std::vector<std::string>& a, const std::vector<std::string>& b,
                           bool ignore_case) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (int c = CompareIdentifier(a[i], b[i], ignore_case); c != 0) return c;
  }
  return CompareValues(a.size(), b.size());
}

int CompareSemver(const SemVer& a, const SemVer& b) {
  if (int c = CompareDigits(a.major, b.major); c != 0) return c;
  if (int c = CompareDigits(a.minor, b.minor); c != 0) return c;
  if (int c = CompareDigits(a.patch, b.patch); c != 0) return c;
  // A release sorts after its pre-releases.
  if (a.prerelease.empty() || b.prerelease.empty()) {
    return CompareValues(a.prerelease.empty(), b.prerelease.empty());
  }
  return CompareIdentifierLists(a.prerelease, b.prerelease);
}

int ComparePubVersions(const SemVer& a, const SemVer& b) {
  if (int c = CompareSemver(a, b); c != 0) return c;
  if (a.build.empty() || b.build.empty()) return CompareValues(!a.build.empty(), !b.build.empty());
  return CompareIdentifierLists(a.build, b.build);
}

}  // namespace bulwark::vuln::internal
