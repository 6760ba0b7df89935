// Type conversions of the cel-spec standard library: int, uint, double, string, bytes, bool,
// timestamp, duration, with range errors instead of wrap-around.
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/utf8.h"
#include "bulwark/policy/cel/internal/format_double.h"
#include "bulwark/policy/cel/internal/functions.h"
#include "bulwark/policy/cel/internal/time_util.h"

namespace bulwark::cel::internal {
namespace {

Value RangeError() { return ErrorValue("range error: value out of range for conversion"); }

Value ToInt(absl::Span<const Value> a, EvalContext&) {
  const Value& x = a[0];
  switch (x.kind()) {
    case Kind::kInt:
      return x;
    case Kind::kUint:
      if (x.uint_value() > static_cast<uint64_t>(INT64_MAX)) return RangeError();
      return Value::Int(static_cast<int64_t>(x.uint_value()));
    case Kind::kDouble: {
      double d = x.double_value();
      if (!(d > -9223372036854775808.0 && d < 9223372036854775808.0)) return RangeError();
      return Value::Int(static_cast<int64_t>(d));
    }
    case Kind::kString: {
      int64_t i;
      if (!absl::SimpleAtoi(x.string_value(), &i)) {
        return ErrorValue(absl::StrCat("cannot convert '", x.string_value(), "' to int"));
      }
      return Value::Int(i);
    }
    case Kind::kTimestamp:
      return Value::Int(absl::ToUnixSeconds(x.timestamp_value()));
    default:
      return NoOverload("int");
  }
}

Value ToUint(absl::Span<const Value> a, EvalContext&) {
  const Value& x = a[0];
  switch (x.kind()) {
    case Kind::kUint:
      return x;
    case Kind::kInt:
      if (x.int_value() < 0) return RangeError();
      return Value::Uint(static_cast<uint64_t>(x.int_value()));
    case Kind::kDouble: {
      double d = x.double_value();
      if (!(d > -1.0 && d < 18446744073709551616.0)) return RangeError();
      return Value::Uint(static_cast<uint64_t>(d));
    }
    case Kind::kString: {
      uint64_t u;
      if (!absl::SimpleAtoi(x.string_value(), &u) || absl::StartsWith(x.string_value(), "-")) {
        return ErrorValue(absl::StrCat("cannot convert '", x.string_value(), "' to uint"));
      }
      return Value::Uint(u);
    }
    default:
      return NoOverload("uint");
  }
}

Value ToDouble(absl::Span<const Value> a, EvalContext&) {
  const Value& x = a[0];
  switch (x.kind()) {
    case Kind::kDouble:
      return x;
    case Kind::kInt:
      return Value::Double(static_cast<double>(x.int_value()));
    case Kind::kUint:
      return Value::Double(static_cast<double>(x.uint_value()));
    case Kind::kString: {
      double d;
      std::string s(x.string_value());
      char* end = nullptr;
      d = std::strtod(s.c_str(), &end);
      if (s.empty() || end != s.c_str() + s.size()) {
        return ErrorValue(absl::StrCat("cannot convert '", s, "' to double"));
      }
      return Value::Double(d);
    }
    default:
      return NoOverload("double");
  }
}

Value ToString(absl::Span<const Value> a, EvalContext&) {
  const Value& x = a[0];
  switch (x.kind()) {
    case Kind::kString:
      return x;
    case Kind::kInt:
      return Value::String(absl::StrCat(x.int_value()));
    case Kind::kUint:
      return Value::String(absl::StrCat(x.uint_value()));
    case Kind::kDouble:
      return Value::String(FormatDouble(x.double_value()));
    case Kind::kBool:
      return Value::String(x.bool_value() ? "true" : "false");
    case Kind::kBytes:
      if (!core::IsValidUtf8(x.bytes_value()))
        return ErrorValue("invalid UTF-8 in bytes to string");
      return Value::String(std::string(x.bytes_value()));
    case Kind::kTimestamp:
      return Value::String(internal::FormatTimestamp(x.timestamp_value()));
    case Kind::kDuration:
      return Value::String(internal::FormatDuration(x.duration_value()));
    case Kind::kOpaque:
      return Value::String(x.opaque()->ToString());
    default:
      return NoOverload("string");
  }
}

Value ToBytes(absl::Span<const Value> a, EvalContext&) {
  const Value& x = a[0];
  if (x.is_bytes()) return x;
  if (x.is_string()) return Value::Bytes(std::string(x.string_value()));
  return NoOverload("bytes");
}

Value ToBool(absl::Span<const Value> a, EvalContext&) {
  const Value& x = a[0];
  if (x.is_bool()) return x;
  if (x.is_string()) {
    absl::string_view s = x.string_value();
    if (s == "true" || s == "True" || s == "TRUE" || s == "t" || s == "1") return Value::Bool(true);
    if (s == "false" || s == "False" || s == "FALSE" || s == "f" || s == "0") {
      return Value::Bool(false);
    }
    return ErrorValue(absl::StrCat("cannot convert '", s, "' to bool"));
  }
  return NoOverload("bool");
}

Value ToTimestamp(absl::Span<const Value> a, EvalContext&) {
  const Value& x = a[0];
  if (x.is_timestamp()) return x;
  if (x.is_string()) return ParseTimestamp(x.string_value());
  if (x.is_int()) return CheckedTimestamp(absl::FromUnixSeconds(x.int_value()));
  return NoOverload("timestamp");
}

Value ToDuration(absl::Span<const Value> a, EvalContext&) {
  const Value& x = a[0];
  if (x.is_duration()) return x;
  if (x.is_string()) return ParseDuration(x.string_value());
  if (x.is_int()) return CheckedDuration(absl::Seconds(x.int_value()));
  return NoOverload("duration");
}

}  // namespace

void RegisterConversionFunctions(FunctionRegistry& r) {
  r.Add("int", CallStyle::kGlobal, 1, ToInt);
  r.Add("uint", CallStyle::kGlobal, 1, ToUint);
  r.Add("double", CallStyle::kGlobal, 1, ToDouble);
  r.Add("string", CallStyle::kGlobal, 1, ToString);
  r.Add("bytes", CallStyle::kGlobal, 1, ToBytes);
  r.Add("bool", CallStyle::kGlobal, 1, ToBool);
  r.Add("timestamp", CallStyle::kGlobal, 1, ToTimestamp);
  r.Add("duration", CallStyle::kGlobal, 1, ToDuration);
}

}  // namespace bulwark::cel::internal
