// Timestamp and duration helpers with CEL's ranges: timestamps from 0001-01-01T00:00:00Z to
// 9999-12-31T23:59:59.999999999Z, durations within ±315,576,000,000 seconds (protobuf's range),
// timestamp differences within int64 nanoseconds; out-of-range results are "range" errors.
// Internal. Thread safety: stateless (time zones come from Abseil's thread-safe cache).
#ifndef BULWARK_POLICY_CEL_INTERNAL_TIME_UTIL_H_
#define BULWARK_POLICY_CEL_INTERNAL_TIME_UTIL_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bulwark/policy/cel/value.h"

namespace bulwark::cel::internal {

// The timestamp `t`, or a range error.
Value CheckedTimestamp(absl::Time t);
// `t + d` or a range error.
Value AddTime(absl::Time t, absl::Duration d);
// The duration `d`, or a range error.
Value CheckedDuration(absl::Duration d);

// Parses RFC 3339 text ("2009-02-13T23:31:30Z", offsets, fractional seconds).
Value ParseTimestamp(absl::string_view text);
// Parses Go-style duration text ("1h30m", "-1.5s", "300ms", "2us", "1ns").
Value ParseDuration(absl::string_view text);

// RFC 3339 in UTC with "Z" and only the fractional digits needed.
std::string FormatTimestamp(absl::Time t);
// Seconds with only the fractional digits needed and an "s" suffix ("3600s", "1.5s").
std::string FormatDuration(absl::Duration d);

// A time zone from an IANA name ("America/Los_Angeles", "UTC") or a fixed offset ("+05:30",
// "-08:00"); nullopt when unknown.
std::optional<absl::TimeZone> LoadZone(absl::string_view name);

}  // namespace bulwark::cel::internal

#endif  // BULWARK_POLICY_CEL_INTERNAL_TIME_UTIL_H_
