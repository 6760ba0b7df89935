#include "bulwark/image/vuln/internal/rubygems_version.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_replace.h"
#include "bulwark/image/versions/numeric.h"
#include "bulwark/image/versions/re2_view.h"
#include "re2/re2.h"

namespace bulwark::vuln::internal {

using ::bulwark::versions::CompareDigits;
using ::bulwark::versions::IsAsciiDigit;
using ::bulwark::versions::Sign;
using ::bulwark::versions::StripLeadingZeros;
using ::bulwark::versions::ToPiece;
namespace {

bool IsRubySpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

bool IsZero(const GemSegment& s) { return s.numeric && s.text.empty(); }

}  // namespace

absl::StatusOr<GemVersion> ParseGemVersion(absl::string_view text) {
  static const RE2* const kPattern =
      new RE2("[0-9]+(?:\\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?");
  while (!text.empty() && IsRubySpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsRubySpace(text.back())) text.remove_suffix(1);
  if (text.empty()) return absl::InvalidArgumentError("version is empty");
  if (!RE2::FullMatch(ToPiece(text), *kPattern)) {
    return absl::InvalidArgumentError(
        "malformed version number string (expected digits, \".segment\"s of letters and digits, "
        "and an optional \"-prerelease\")");
  }
  std::string version = absl::StrReplaceAll(text, {{"-", ".pre."}});
  std::vector<GemSegment> segments;
  for (size_t i = 0; i < version.size();) {
    bool digit = IsAsciiDigit(version[i]);
    bool alpha = absl::ascii_isalpha(static_cast<unsigned char>(version[i]));
    if (!digit && !alpha) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < version.size() &&
           (digit ? IsAsciiDigit(version[j])
                  : absl::ascii_isalpha(static_cast<unsigned char>(version[j])))) {
      ++j;
    }
    absl::string_view run = absl::string_view(version).substr(i, j - i);
    segments.push_back(GemSegment{digit, std::string(digit ? StripLeadingZeros(run) : run)});
    i = j;
  }
  // canonical_segments: trailing zeros dropped from the numeric part and from the rest.
  size_t first_string = 0;
  while (first_string < segments.size() && segments[first_string].numeric) ++first_string;
  GemVersion out;
  size_t numeric_end = first_string;
  while (numeric_end > 0 && IsZero(segments[numeric_end - 1])) --numeric_end;
  size_t rest_end = segments.size();
  while (rest_end > first_string && IsZero(segments[rest_end - 1])) --rest_end;
  out.canonical_segments.assign(segments.begin(), segments.begin() + numeric_end);
  out.canonical_segments.insert(out.canonical_segments.end(), segments.begin() + first_string,
                                segments.begin() + rest_end);
  return out;
}

int CompareGemVersions(const GemVersion& a, const GemVersion& b) {
  static const GemSegment kZero{true, ""};
  const auto& l = a.canonical_segments;
  const auto& r = b.canonical_segments;
  for (size_t i = 0; i < l.size() || i < r.size(); ++i) {
    const GemSegment& x = i < l.size() ? l[i] : kZero;
    const GemSegment& y = i < r.size() ? r[i] : kZero;
    if (x.numeric != y.numeric) return x.numeric ? 1 : -1;
    int c = x.numeric ? CompareDigits(x.text, y.text) : Sign(x.text.compare(y.text));
    if (c != 0) return c;
  }
  return 0;
}

}  // namespace bulwark::vuln::internal
