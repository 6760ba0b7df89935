#include "bulwark/image/vuln/internal/dpkg_version.h"

#include <limits>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "bulwark/image/versions/numeric.h"

namespace bulwark::vuln::internal {

using ::bulwark::versions::AllDigits;
using ::bulwark::versions::CompareDigits;
using ::bulwark::versions::IsAsciiDigit;
using ::bulwark::versions::Sign;
using ::bulwark::versions::StripLeadingZeros;
namespace {

bool IsAlnum(char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)); }

// dpkg's weight of a non-digit character: '~' sorts before the end of the string, letters
// before every other character.
int Order(unsigned char c) {
  if (IsAsciiDigit(static_cast<char>(c))) return 0;
  if (absl::ascii_isalpha(c)) return c;
  if (c == '~') return -1;
  if (c != 0) return c + 256;
  return 0;
}

// dpkg's verrevcmp over string_views; positions past the end read as NUL.
int VerRevCmp(absl::string_view a, absl::string_view b) {
  size_t i = 0, j = 0;
  auto at = [](absl::string_view s, size_t k) -> unsigned char {
    return k < s.size() ? static_cast<unsigned char>(s[k]) : 0;
  };
  while (i < a.size() || j < b.size()) {
    while ((i < a.size() && !IsAsciiDigit(a[i])) || (j < b.size() && !IsAsciiDigit(b[j]))) {
      int ac = Order(at(a, i));
      int bc = Order(at(b, j));
      if (ac != bc) return Sign(ac - bc);
      if (i < a.size()) ++i;
      if (j < b.size()) ++j;
    }
    size_t a_start = i, b_start = j;
    while (i < a.size() && IsAsciiDigit(a[i])) ++i;
    while (j < b.size() && IsAsciiDigit(b[j])) ++j;
    int by_value = CompareDigits(a.substr(a_start, i - a_start), b.substr(b_start, j - b_start));
    if (by_value != 0) return by_value;
  }
  return 0;
}

absl::Status Invalid(absl::string_view what) { return absl::InvalidArgumentError(what); }

}  // namespace

absl::StatusOr<DpkgVersion> ParseDpkgVersion(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  if (text.empty()) return Invalid("version string is empty");
  // One pass finds the first ':' and the last '-' and rejects spaces and NULs.
  // It also notes whether a character policy may forbid occurs (anything but letters, digits
  // and ".+~-:", or a second ':'); only then are the parts checked one by one below.
  size_t colon = absl::string_view::npos, hyphen = absl::string_view::npos;
  bool check_characters = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (IsAlnum(c) || c == '.' || c == '+' || c == '~') continue;
    if (c == ':') {
      check_characters |= colon != absl::string_view::npos;
      if (colon == absl::string_view::npos) colon = i;
    } else if (c == '-') {
      hyphen = i;
    } else if (c == ' ' || (c >= '\t' && c <= '\r')) {  // absl::ascii_isspace's set
      return Invalid("version string has embedded spaces");
    } else if (c == '\0') {
      // dpkg reads C strings: a NUL would end the version there.
      return Invalid("version string has an embedded NUL byte");
    } else {
      check_characters = true;
    }
  }
  DpkgVersion version;
  absl::string_view rest = text;
  if (colon != absl::string_view::npos) {
    absl::string_view epoch = text.substr(0, colon);
    if (epoch.empty()) return Invalid("epoch in version is empty");
    if (epoch[0] == '-' && AllDigits(epoch.substr(1))) {
      return Invalid("epoch in version is negative");
    }
    if (!AllDigits(epoch)) return Invalid("epoch in version is not number");
    if (CompareDigits(epoch, "2147483647") > 0) return Invalid("epoch in version is too big");
    uint32_t value = 0;
    for (char c : StripLeadingZeros(epoch)) value = value * 10 + static_cast<uint32_t>(c - '0');
    version.epoch = value;
    rest = text.substr(colon + 1);
    if (rest.empty()) return Invalid("nothing after colon in version number");
  }
  // The revision starts after the last '-' of what follows the epoch.
  if (hyphen != absl::string_view::npos && (colon == absl::string_view::npos || hyphen > colon)) {
    const size_t at = hyphen - (text.size() - rest.size());
    version.revision = rest.substr(at + 1);
    if (version.revision.empty()) return Invalid("revision number is empty");
    rest = rest.substr(0, at);
  }
  if (rest.empty()) return Invalid("version number is empty");
  version.upstream = rest;

  if (!IsAsciiDigit(version.upstream[0])) {
    version.warning = "version number does not start with digit";
  } else if (check_characters) {
    for (char c : version.upstream) {
      if (!IsAlnum(c) && c != '.' && c != '-' && c != '+' && c != '~' && c != ':') {
        version.warning = "invalid character in version number";
        break;
      }
    }
  }
  if (version.warning.empty() && check_characters) {
    for (char c : version.revision) {
      if (!IsAlnum(c) && c != '.' && c != '+' && c != '~') {
        version.warning = "invalid character in revision number";
        break;
      }
    }
  }
  return version;
}

int CompareDpkgVersions(const DpkgVersion& a, const DpkgVersion& b) {
  if (a.epoch != b.epoch) return a.epoch < b.epoch ? -1 : 1;
  if (int c = VerRevCmp(a.upstream, b.upstream); c != 0) return c;
  return VerRevCmp(a.revision, b.revision);
}

}  // namespace bulwark::vuln::internal
