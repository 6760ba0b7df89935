// The cel-spec standard definitions: arithmetic with overflow errors, equality and ordering,
// size, membership, string predicates and regular expressions (RE2), type().
#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "bulwark/policy/cel/internal/functions.h"
#include "bulwark/policy/cel/internal/time_util.h"
#include "re2/re2.h"

namespace bulwark::cel::internal {
namespace {

Value Overflow() { return ErrorValue("integer overflow"); }

Value Add(absl::Span<const Value> a, EvalContext& ctx) {
  const Value& x = a[0];
  const Value& y = a[1];
  if (x.kind() != y.kind()) {
    if (x.is_timestamp() && y.is_duration()) return AddTime(x.timestamp_value(), y.duration_value());
    if (x.is_duration() && y.is_timestamp()) return AddTime(y.timestamp_value(), x.duration_value());
    return NoOverload("_+_");
  }
  switch (x.kind()) {
    case Kind::kInt: {
      int64_t r;
      if (__builtin_add_overflow(x.int_value(), y.int_value(), &r)) return Overflow();
      return Value::Int(r);
    }
    case Kind::kUint: {
      uint64_t r;
      if (__builtin_add_overflow(x.uint_value(), y.uint_value(), &r)) return Overflow();
      return Value::Uint(r);
    }
    case Kind::kDouble:
      return Value::Double(x.double_value() + y.double_value());
    case Kind::kString:
    case Kind::kBytes: {
      size_t size = x.string_value().size() + y.string_value().size();
      if (!ctx.CheckSize(size)) return ctx.SizeError();
      if (!ctx.Charge(size / 10)) return ctx.BudgetError();
      std::string s = absl::StrCat(x.string_value(), y.string_value());
      return x.is_string() ? Value::String(std::move(s)) : Value::Bytes(std::move(s));
    }
    case Kind::kList: {
      size_t size = x.ListSize() + y.ListSize();
      if (!ctx.CheckSize(size)) return ctx.SizeError();
      if (!ctx.Charge(size / 10)) return ctx.BudgetError();
      std::vector<Value> out;
      out.reserve(size);
      for (size_t i = 0; i < x.ListSize(); ++i) out.push_back(x.ListGet(i));
      for (size_t i = 0; i < y.ListSize(); ++i) out.push_back(y.ListGet(i));
      return Value::List(std::move(out));
    }
    case Kind::kDuration:
      return CheckedDuration(x.duration_value() + y.duration_value());
    default:
      return NoOverload("_+_");
  }
}

Value Subtract(absl::Span<const Value> a, EvalContext&) {
  const Value& x = a[0];
  const Value& y = a[1];
  if (x.is_timestamp() && y.is_duration()) return AddTime(x.timestamp_value(), -y.duration_value());
  if (x.kind() != y.kind()) return NoOverload("_-_");
  switch (x.kind()) {
    case Kind::kInt: {
      int64_t r;
      if (__builtin_sub_overflow(x.int_value(), y.int_value(), &r)) return Overflow();
      return Value::Int(r);
    }
    case Kind::kUint: {
      uint64_t r;
      if (__builtin_sub_overflow(x.uint_value(), y.uint_value(), &r)) return Overflow();
      return Value::Uint(r);
    }
    case Kind::kDouble:
      return Value::Double(x.double_value() - y.double_value());
    case Kind::kTimestamp: {
      // The difference must fit int64 nanoseconds, as in the reference implementation.
      absl::Duration d = x.timestamp_value() - y.timestamp_value();
      if (d > absl::Nanoseconds(INT64_MAX) || d < absl::Nanoseconds(INT64_MIN)) {
        return ErrorValue("duration out of range");
      }
      return CheckedDuration(d);
    }
    case Kind::kDuration:
      return CheckedDuration(x.duration_value() - y.duration_value());
    default:
      return NoOverload("_-_");
  }
}

Value Multiply(absl::Span<const Value> a, EvalContext&) {
  const Value& x = a[0];
  const Value& y = a[1];
  if (x.kind() != y.kind()) return NoOverload("_*_");
  switch (x.kind()) {
    case Kind::kInt: {
      int64_t r;
      if (__builtin_mul_overflow(x.int_value(), y.int_value(), &r)) return Overflow();
      return Value::Int(r);
    }
    case Kind::kUint: {
      uint64_t r;
      if (__builtin_mul_overflow(x.uint_value(), y.uint_value(), &r)) return Overflow();
      return Value::Uint(r);
    }
    case Kind::kDouble:
      return Value::Double(x.double_value() * y.double_value());
    default:
      return NoOverload("_*_");
  }
}

Value Divide(absl::Span<const Value> a, EvalContext&) {
  const Value& x = a[0];
  const Value& y = a[1];
  if (x.kind() != y.kind()) return NoOverload("_/_");
  switch (x.kind()) {
    case Kind::kInt:
      if (y.int_value() == 0) return ErrorValue("division by zero");
      if (x.int_value() == INT64_MIN && y.int_value() == -1) return Overflow();
      return Value::Int(x.int_value() / y.int_value());
    case Kind::kUint:
      if (y.uint_value() == 0) return ErrorValue("division by zero");
      return Value::Uint(x.uint_value() / y.uint_value());
    case Kind::kDouble:
      return Value::Double(x.double_value() / y.double_value());
    default:
      return NoOverload("_/_");
  }
}

Value Modulo(absl::Span<const Value> a, EvalContext&) {
  const Value& x = a[0];
  const Value& y = a[1];
  if (x.kind() != y.kind()) return NoOverload("_%_");
  switch (x.kind()) {
    case Kind::kInt:
      if (y.int_value() == 0) return ErrorValue("modulus by zero");
      if (x.int_value() == INT64_MIN && y.int_value() == -1) return Overflow();
      return Value::Int(x.int_value() % y.int_value());
    case Kind::kUint:
      if (y.uint_value() == 0) return ErrorValue("modulus by zero");
      return Value::Uint(x.uint_value() % y.uint_value());
    default:
      return NoOverload("_%_");
  }
}

Value Negate(absl::Span<const Value> a, EvalContext&) {
  const Value& x = a[0];
  if (x.is_int()) {
    if (x.int_value() == INT64_MIN) return Overflow();
    return Value::Int(-x.int_value());
  }
  if (x.is_double()) return Value::Double(-x.double_value());
  if (x.is_duration()) return CheckedDuration(-x.duration_value());
  return NoOverload("-_");
}

Value Eq(absl::Span<const Value> a, EvalContext&) { return Equals(a[0], a[1]); }
Value Ne(absl::Span<const Value> a, EvalContext&) {
  Value eq = Equals(a[0], a[1]);
  return eq.is_bool() ? Value::Bool(!eq.bool_value()) : eq;
}

template <bool (*Test)(int)>
Value Ordering(absl::Span<const Value> a, EvalContext&) {
  std::optional<int> c = Compare(a[0], a[1]);
  if (!c) return NoOverload("comparison");
  if (*c == 2) return Value::Bool(false);  // NaN is unordered
  return Value::Bool(Test(*c));
}
bool IsLess(int c) { return c < 0; }
bool IsLessEq(int c) { return c <= 0; }
bool IsGreater(int c) { return c > 0; }
bool IsGreaterEq(int c) { return c >= 0; }

Value Size(absl::Span<const Value> a, EvalContext&) {
  const Value& x = a[0];
  switch (x.kind()) {
    case Kind::kString:
      return Value::Int(static_cast<int64_t>(CodePointCount(x.string_value())));
    case Kind::kBytes:
      return Value::Int(static_cast<int64_t>(x.bytes_value().size()));
    case Kind::kList:
      return Value::Int(static_cast<int64_t>(x.ListSize()));
    case Kind::kMap:
      return Value::Int(static_cast<int64_t>(x.MapSize()));
    default:
      return NoOverload("size");
  }
}

Value In(absl::Span<const Value> a, EvalContext& ctx) {
  const Value& element = a[0];
  const Value& container = a[1];
  if (container.is_list()) {
    size_t n = container.ListSize();
    if (!ctx.Charge(n / 10)) return ctx.BudgetError();
    for (size_t i = 0; i < n; ++i) {
      Value eq = Equals(element, container.ListGet(i));
      if (eq.is_bool() && eq.bool_value()) return eq;
    }
    return Value::Bool(false);
  }
  if (container.is_map()) return Value::Bool(container.MapFind(element).has_value());
  return NoOverload("@in");
}

template <bool (*Test)(absl::string_view, absl::string_view)>
Value StringPredicate(absl::Span<const Value> a, EvalContext& ctx) {
  if (!a[0].is_string() || !a[1].is_string()) return NoOverload("string predicate");
  if (!ctx.Charge(a[0].string_value().size() / 10)) return ctx.BudgetError();
  return Value::Bool(Test(a[0].string_value(), a[1].string_value()));
}
bool Contains(absl::string_view s, absl::string_view t) { return absl::StrContains(s, t); }
bool StartsWith(absl::string_view s, absl::string_view t) { return absl::StartsWith(s, t); }
bool EndsWith(absl::string_view s, absl::string_view t) { return absl::EndsWith(s, t); }

Value Matches(absl::Span<const Value> a, EvalContext& ctx) {
  if (!a[0].is_string() || !a[1].is_string()) return NoOverload("matches");
  if (!ctx.Charge((a[0].string_value().size() + a[1].string_value().size()) / 10 + 1)) {
    return ctx.BudgetError();
  }
  RE2::Options options;
  options.set_log_errors(false);
  RE2 re(re2::StringPiece(a[1].string_value().data(), a[1].string_value().size()), options);
  if (!re.ok()) return ErrorValue(absl::StrCat("invalid regular expression: ", re.error()));
  return Value::Bool(
      RE2::PartialMatch(re2::StringPiece(a[0].string_value().data(), a[0].string_value().size()),
                        re));
}

Value Type(absl::Span<const Value> a, EvalContext&) { return TypeOf(a[0]); }
Value Dyn(absl::Span<const Value> a, EvalContext&) { return a[0]; }

}  // namespace

void RegisterStandardFunctions(FunctionRegistry& r) {
  r.Add("_+_", CallStyle::kGlobal, 2, Add);
  r.Add("_-_", CallStyle::kGlobal, 2, Subtract);
  r.Add("_*_", CallStyle::kGlobal, 2, Multiply);
  r.Add("_/_", CallStyle::kGlobal, 2, Divide);
  r.Add("_%_", CallStyle::kGlobal, 2, Modulo);
  r.Add("-_", CallStyle::kGlobal, 1, Negate);
  r.Add("_==_", CallStyle::kGlobal, 2, Eq);
  r.Add("_!=_", CallStyle::kGlobal, 2, Ne);
  r.Add("_<_", CallStyle::kGlobal, 2, Ordering<IsLess>);
  r.Add("_<=_", CallStyle::kGlobal, 2, Ordering<IsLessEq>);
  r.Add("_>_", CallStyle::kGlobal, 2, Ordering<IsGreater>);
  r.Add("_>=_", CallStyle::kGlobal, 2, Ordering<IsGreaterEq>);
  r.Add("@in", CallStyle::kGlobal, 2, In);
  r.Add("size", CallStyle::kBoth, 1, Size);
  r.Add("contains", CallStyle::kMember, 2, StringPredicate<Contains>);
  r.Add("startsWith", CallStyle::kMember, 2, StringPredicate<StartsWith>);
  r.Add("endsWith", CallStyle::kMember, 2, StringPredicate<EndsWith>);
  r.Add("matches", CallStyle::kBoth, 2, Matches);
  r.Add("type", CallStyle::kGlobal, 1, Type);
  r.Add("dyn", CallStyle::kGlobal, 1, Dyn);
}

}  // namespace bulwark::cel::internal
