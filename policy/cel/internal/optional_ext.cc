// The optional-types library: optional.of, optional.none, optional.ofNonZeroValue, hasValue,
// value, or, orValue (optMap/optFlatMap are macros planned into nodes).
#include "bulwark/policy/cel/internal/functions.h"
#include "bulwark/policy/cel/internal/proto_value.h"

namespace bulwark::cel::internal {
namespace {

bool IsZeroValue(const Value& v) {
  switch (v.kind()) {
    case Kind::kNull: return true;
    case Kind::kBool: return !v.bool_value();
    case Kind::kInt: return v.int_value() == 0;
    case Kind::kUint: return v.uint_value() == 0;
    case Kind::kDouble: return v.double_value() == 0;
    case Kind::kString:
    case Kind::kBytes: return v.string_value().empty();
    case Kind::kList: return v.ListSize() == 0;
    case Kind::kMap: return v.MapSize() == 0;
    case Kind::kTimestamp: return v.timestamp_value() == absl::UnixEpoch();
    case Kind::kDuration: return v.duration_value() == absl::ZeroDuration();
    case Kind::kMessage: return IsDefaultMessage(*v.message());
    case Kind::kOptional: return !v.optional_has_value();
    default: return false;
  }
}

Value Of(absl::Span<const Value> a, EvalContext&) { return Value::OptionalOf(a[0]); }
Value None(absl::Span<const Value>, EvalContext&) { return Value::OptionalNone(); }
Value OfNonZero(absl::Span<const Value> a, EvalContext&) {
  return IsZeroValue(a[0]) ? Value::OptionalNone() : Value::OptionalOf(a[0]);
}
Value HasValue(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_optional()) return NoOverload("hasValue");
  return Value::Bool(a[0].optional_has_value());
}
Value GetValue(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_optional()) return NoOverload("value");
  if (!a[0].optional_has_value()) return ErrorValue("optional.none() dereference");
  return a[0].optional_value();
}
Value Or(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_optional() || !a[1].is_optional()) return NoOverload("or");
  return a[0].optional_has_value() ? a[0] : a[1];
}
Value OrValue(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_optional()) return NoOverload("orValue");
  return a[0].optional_has_value() ? a[0].optional_value() : a[1];
}

}  // namespace

void RegisterOptionalFunctions(FunctionRegistry& r) {
  r.Add("optional.of", CallStyle::kGlobal, 1, Of);
  r.Add("optional.none", CallStyle::kGlobal, 0, None);
  r.Add("optional.ofNonZeroValue", CallStyle::kGlobal, 1, OfNonZero);
  r.Add("hasValue", CallStyle::kMember, 1, HasValue);
  r.Add("value", CallStyle::kMember, 1, GetValue);
  r.Add("or", CallStyle::kMember, 2, Or);
  r.Add("orValue", CallStyle::kMember, 2, OrValue);
}

}  // namespace bulwark::cel::internal
