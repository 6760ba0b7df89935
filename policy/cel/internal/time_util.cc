#include "bulwark/policy/cel/internal/time_util.h"

#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace bulwark::cel::internal {
namespace {

const absl::Time kMinTimestamp = absl::FromUnixSeconds(-62135596800);
const absl::Time kMaxTimestamp = absl::FromUnixSeconds(253402300799) + absl::Nanoseconds(999999999);
const absl::Duration kMaxDuration = absl::Seconds(315576000000);

Value RangeError(absl::string_view what) {
  return ErrorValue(absl::StrCat(what, " out of range"));
}

std::string Fraction(int64_t nanos) {
  if (nanos == 0) return "";
  std::string frac = absl::StrFormat("%09d", nanos);
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return absl::StrCat(".", frac);
}

}  // namespace

Value CheckedTimestamp(absl::Time t) {
  if (t < kMinTimestamp || t > kMaxTimestamp) return RangeError("timestamp");
  return Value::Timestamp(t);
}

Value AddTime(absl::Time t, absl::Duration d) { return CheckedTimestamp(t + d); }

Value CheckedDuration(absl::Duration d) {
  if (d == absl::InfiniteDuration() || d == -absl::InfiniteDuration() || d > kMaxDuration ||
      d < -kMaxDuration) {
    return RangeError("duration");
  }
  return Value::Duration(d);
}

Value ParseTimestamp(absl::string_view text) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &t, &error)) {
    return ErrorValue(absl::StrCat("timestamp parse error: ", error));
  }
  return CheckedTimestamp(t);
}

Value ParseDuration(absl::string_view text) {
  // Go's syntax: optional sign, then number+unit pairs; "0" alone is allowed.
  absl::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return Value::Duration(absl::ZeroDuration());
  if (s.empty()) return ErrorValue(absl::StrCat("invalid duration: '", text, "'"));
  absl::Duration total;
  while (!s.empty()) {
    size_t i = 0;
    while (i < s.size() && (absl::ascii_isdigit(s[i]) || s[i] == '.')) ++i;
    if (i == 0) return ErrorValue(absl::StrCat("invalid duration: '", text, "'"));
    std::string number(s.substr(0, i));
    s.remove_prefix(i);
    size_t u = 0;
    while (u < s.size() && !absl::ascii_isdigit(s[u]) && s[u] != '.') ++u;
    absl::string_view unit = s.substr(0, u);
    s.remove_prefix(u);
    absl::Duration scale;
    if (unit == "h") {
      scale = absl::Hours(1);
    } else if (unit == "m") {
      scale = absl::Minutes(1);
    } else if (unit == "s") {
      scale = absl::Seconds(1);
    } else if (unit == "ms") {
      scale = absl::Milliseconds(1);
    } else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") {
      scale = absl::Microseconds(1);
    } else if (unit == "ns") {
      scale = absl::Nanoseconds(1);
    } else {
      return ErrorValue(absl::StrCat("invalid duration unit in '", text, "'"));
    }
    size_t dot = number.find('.');
    std::string whole = number.substr(0, dot);
    std::string frac = dot == std::string::npos ? "" : number.substr(dot + 1);
    if (whole.empty() && frac.empty()) return ErrorValue(absl::StrCat("invalid duration: '", text, "'"));
    uint64_t w = 0;
    if (!whole.empty() && !absl::SimpleAtoi(whole, &w)) return RangeError("duration");
    if (w > static_cast<uint64_t>(INT64_MAX)) return RangeError("duration");
    total += scale * static_cast<int64_t>(w);
    absl::Duration place = scale;
    for (char c : frac) {
      place /= 10;
      total += place * (c - '0');
    }
    if (total > kMaxDuration) return RangeError("duration");
  }
  return CheckedDuration(negative ? -total : total);
}

std::string FormatTimestamp(absl::Time t) {
  absl::Duration since = t - absl::UnixEpoch();
  absl::Duration rem;
  absl::IDivDuration(since, absl::Seconds(1), &rem);
  int64_t nanos = absl::ToInt64Nanoseconds(rem);
  if (nanos < 0) nanos += 1000000000;
  return absl::StrCat(absl::FormatTime("%Y-%m-%dT%H:%M:%S", t, absl::UTCTimeZone()),
                      Fraction(nanos), "Z");
}

std::string FormatDuration(absl::Duration d) {
  absl::Duration rem;
  int64_t seconds = absl::IDivDuration(d, absl::Seconds(1), &rem);
  int64_t nanos = absl::ToInt64Nanoseconds(rem);
  std::string sign = (seconds == 0 && nanos < 0) ? "-" : "";
  return absl::StrCat(sign, seconds, Fraction(std::abs(nanos)), "s");
}

std::optional<absl::TimeZone> LoadZone(absl::string_view name) {
  if (!name.empty() && (name[0] == '+' || name[0] == '-' || absl::ascii_isdigit(name[0]))) {
    int sign = name[0] == '-' ? -1 : 1;
    absl::string_view rest = absl::ascii_isdigit(name[0]) ? name : name.substr(1);
    size_t colon = rest.find(':');
    if (colon == absl::string_view::npos) return std::nullopt;
    int hours = 0;
    int minutes = 0;
    if (!absl::SimpleAtoi(rest.substr(0, colon), &hours) ||
        !absl::SimpleAtoi(rest.substr(colon + 1), &minutes) || hours > 23 || minutes > 59) {
      return std::nullopt;
    }
    return absl::FixedTimeZone(sign * (hours * 3600 + minutes * 60));
  }
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(std::string(name), &zone)) return std::nullopt;
  return zone;
}

}  // namespace bulwark::cel::internal
