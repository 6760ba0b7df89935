#include "bulwark/image/vuln/internal/rpm_version.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "bulwark/image/versions/numeric.h"

namespace bulwark::vuln::internal {

using ::bulwark::versions::AllDigits;
using ::bulwark::versions::CompareDigits;
using ::bulwark::versions::IsAsciiDigit;
using ::bulwark::versions::Sign;
namespace {

bool IsAlpha(char c) { return absl::ascii_isalpha(static_cast<unsigned char>(c)); }
bool IsAlnum(char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)); }

absl::Status CheckPart(absl::string_view part, absl::string_view name) {
  if (part.empty()) return absl::InvalidArgumentError(absl::StrCat(name, " is empty"));
  for (char c : part) {
    if (!IsAlnum(c) && c != '.' && c != '_' && c != '+' && c != '~' && c != '^') {
      return absl::InvalidArgumentError(
          absl::StrCat(name, " holds '", absl::CEscape(absl::string_view(&c, 1)),
                       "' (allowed: ASCII letters, digits and ._+~^)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

int RpmVerCmp(absl::string_view a, absl::string_view b) {
  if (a == b) return 0;
  size_t i = 0, j = 0;
  auto separator = [](char c) { return !IsAlnum(c) && c != '~' && c != '^'; };
  while (i < a.size() || j < b.size()) {
    while (i < a.size() && separator(a[i])) ++i;
    while (j < b.size() && separator(b[j])) ++j;
    bool a_end = i == a.size(), b_end = j == b.size();
    // '~' sorts before everything, including the end of the string.
    bool a_tilde = !a_end && a[i] == '~', b_tilde = !b_end && b[j] == '~';
    if (a_tilde || b_tilde) {
      if (!a_tilde) return 1;
      if (!b_tilde) return -1;
      ++i;
      ++j;
      continue;
    }
    // '^' sorts after the end of the string but before anything else.
    bool a_caret = !a_end && a[i] == '^', b_caret = !b_end && b[j] == '^';
    if (a_caret || b_caret) {
      if (a_end) return -1;
      if (b_end) return 1;
      if (!a_caret) return 1;
      if (!b_caret) return -1;
      ++i;
      ++j;
      continue;
    }
    if (a_end || b_end) break;
    size_t a_start = i, b_start = j;
    bool numeric = IsAsciiDigit(a[i]);
    if (numeric) {
      while (i < a.size() && IsAsciiDigit(a[i])) ++i;
      while (j < b.size() && IsAsciiDigit(b[j])) ++j;
    } else {
      while (i < a.size() && IsAlpha(a[i])) ++i;
      while (j < b.size() && IsAlpha(b[j])) ++j;
    }
    absl::string_view one = a.substr(a_start, i - a_start);
    absl::string_view two = b.substr(b_start, j - b_start);
    // A numeric segment is newer than an alphabetic one.
    if (two.empty()) return numeric ? 1 : -1;
    int c = numeric ? CompareDigits(one, two) : Sign(one.compare(two));
    if (c != 0) return c;
  }
  bool a_done = i >= a.size(), b_done = j >= b.size();
  if (a_done && b_done) return 0;
  return a_done ? -1 : 1;
}

absl::StatusOr<RpmVersion> ParseRpmVersion(absl::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError("version is empty");
  RpmVersion version;
  absl::string_view rest = text;
  if (size_t colon = text.find(':'); colon != absl::string_view::npos) {
    absl::string_view epoch = text.substr(0, colon);
    if (!AllDigits(epoch)) {
      return absl::InvalidArgumentError("epoch (before ':') is not a decimal number");
    }
    if (CompareDigits(epoch, "4294967295") > 0) {
      return absl::InvalidArgumentError("epoch is larger than 4294967295");
    }
    uint64_t value = 0;
    for (char c : epoch) value = value * 10 + static_cast<uint64_t>(c - '0');
    version.epoch = value;
    rest = text.substr(colon + 1);
  }
  if (size_t hyphen = rest.rfind('-'); hyphen != absl::string_view::npos) {
    absl::string_view release = rest.substr(hyphen + 1);
    if (absl::Status s = CheckPart(release, "release"); !s.ok()) return s;
    version.release = std::string(release);
    rest = rest.substr(0, hyphen);
  }
  if (absl::Status s = CheckPart(rest, "version"); !s.ok()) return s;
  version.version = std::string(rest);
  return version;
}

int CompareRpmVersions(const RpmVersion& a, const RpmVersion& b) {
  uint64_t a_epoch = a.epoch.value_or(0), b_epoch = b.epoch.value_or(0);
  if (a_epoch != b_epoch) return a_epoch < b_epoch ? -1 : 1;
  if (int c = RpmVerCmp(a.version, b.version); c != 0) return c;
  if (a.release.has_value() && b.release.has_value()) return RpmVerCmp(*a.release, *b.release);
  if (a.release.has_value() == b.release.has_value()) return 0;
  return a.release.has_value() ? 1 : -1;
}

}  // namespace bulwark::vuln::internal
