// Timestamp and duration accessors of the standard library (getFullYear, getMonth, ...,
// optionally in a time zone), using Abseil's civil time and the system tz database.
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "bulwark/policy/cel/internal/functions.h"
#include "bulwark/policy/cel/internal/time_util.h"

namespace bulwark::cel::internal {
namespace {

enum class Field { kYear, kMonth, kDate, kDayOfMonth, kDayOfWeek, kDayOfYear, kHours, kMinutes,
                   kSeconds, kMilliseconds };

int64_t WeekdayNumber(absl::Weekday w) {
  switch (w) {
    case absl::Weekday::sunday: return 0;
    case absl::Weekday::monday: return 1;
    case absl::Weekday::tuesday: return 2;
    case absl::Weekday::wednesday: return 3;
    case absl::Weekday::thursday: return 4;
    case absl::Weekday::friday: return 5;
    case absl::Weekday::saturday: return 6;
  }
  return 0;
}

template <Field F>
Value TimeField(absl::Span<const Value> a, EvalContext&) {
  const Value& x = a[0];
  if (x.is_duration()) {
    if (a.size() != 1) return NoOverload("duration accessor");
    absl::Duration d = x.duration_value();
    switch (F) {
      case Field::kHours: return Value::Int(absl::IDivDuration(d, absl::Hours(1), &d));
      case Field::kMinutes: return Value::Int(absl::IDivDuration(d, absl::Minutes(1), &d));
      case Field::kSeconds: return Value::Int(absl::IDivDuration(d, absl::Seconds(1), &d));
      case Field::kMilliseconds: {
        absl::Duration rem;
        absl::IDivDuration(d, absl::Seconds(1), &rem);
        return Value::Int(absl::ToInt64Milliseconds(rem));
      }
      default:
        return NoOverload("duration accessor");
    }
  }
  if (!x.is_timestamp()) return NoOverload("timestamp accessor");
  absl::TimeZone zone = absl::UTCTimeZone();
  if (a.size() == 2) {
    if (!a[1].is_string()) return NoOverload("timestamp accessor");
    std::optional<absl::TimeZone> loaded = LoadZone(a[1].string_value());
    if (!loaded) return ErrorValue(absl::StrCat("unknown time zone '", a[1].string_value(), "'"));
    zone = *loaded;
  }
  absl::TimeZone::CivilInfo info = zone.At(x.timestamp_value());
  const absl::CivilSecond& cs = info.cs;
  switch (F) {
    case Field::kYear: return Value::Int(cs.year());
    case Field::kMonth: return Value::Int(cs.month() - 1);
    case Field::kDate: return Value::Int(cs.day());
    case Field::kDayOfMonth: return Value::Int(cs.day() - 1);
    case Field::kDayOfWeek: return Value::Int(WeekdayNumber(absl::GetWeekday(cs)));
    case Field::kDayOfYear: return Value::Int(absl::GetYearDay(absl::CivilDay(cs)) - 1);
    case Field::kHours: return Value::Int(cs.hour());
    case Field::kMinutes: return Value::Int(cs.minute());
    case Field::kSeconds: return Value::Int(cs.second());
    case Field::kMilliseconds: return Value::Int(absl::ToInt64Milliseconds(info.subsecond));
  }
  return NoOverload("timestamp accessor");
}

template <Field F>
void AddAccessor(FunctionRegistry& r, const char* name) {
  r.Add(name, CallStyle::kMember, 1, TimeField<F>);
  r.Add(name, CallStyle::kMember, 2, TimeField<F>);
}

}  // namespace

void RegisterTimeFunctions(FunctionRegistry& r) {
  AddAccessor<Field::kYear>(r, "getFullYear");
  AddAccessor<Field::kMonth>(r, "getMonth");
  AddAccessor<Field::kDate>(r, "getDate");
  AddAccessor<Field::kDayOfMonth>(r, "getDayOfMonth");
  AddAccessor<Field::kDayOfWeek>(r, "getDayOfWeek");
  AddAccessor<Field::kDayOfYear>(r, "getDayOfYear");
  AddAccessor<Field::kHours>(r, "getHours");
  AddAccessor<Field::kMinutes>(r, "getMinutes");
  AddAccessor<Field::kSeconds>(r, "getSeconds");
  AddAccessor<Field::kMilliseconds>(r, "getMilliseconds");
}

}  // namespace bulwark::cel::internal
