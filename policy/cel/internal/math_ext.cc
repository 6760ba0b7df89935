// The CEL math extension: math.greatest/least, rounding, abs, sign, NaN/Inf tests, bit
// operations and sqrt.
#include <cmath>

#include "bulwark/policy/cel/internal/functions.h"

namespace bulwark::cel::internal {
namespace {

template <bool kGreatest>
Value Extreme(absl::Span<const Value> a, EvalContext&) {
  std::vector<Value> items;
  if (a.size() == 1 && a[0].is_list()) {
    for (size_t i = 0; i < a[0].ListSize(); ++i) items.push_back(a[0].ListGet(i));
  } else {
    items.assign(a.begin(), a.end());
  }
  const char* name = kGreatest ? "math.greatest" : "math.least";
  if (items.empty()) return ErrorValue(absl::StrCat(name, "(): list must not be empty"));
  const Value* best = nullptr;
  for (const Value& v : items) {
    if (!v.is_number()) return NoOverload(name);
    if (best == nullptr) {
      best = &v;
      continue;
    }
    std::optional<int> c = Compare(v, *best);
    if (c && *c != 2 && (kGreatest ? *c > 0 : *c < 0)) best = &v;
  }
  return *best;
}

template <double (*F)(double)>
Value Rounding(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_double()) return NoOverload("math rounding");
  return Value::Double(F(a[0].double_value()));
}
double Ceil(double d) { return std::ceil(d); }
double Floor(double d) { return std::floor(d); }
double Round(double d) { return std::round(d); }
double Trunc(double d) { return std::trunc(d); }

Value Abs(absl::Span<const Value> a, EvalContext&) {
  const Value& x = a[0];
  if (x.is_int()) {
    if (x.int_value() == INT64_MIN) return ErrorValue("integer overflow");
    return Value::Int(x.int_value() < 0 ? -x.int_value() : x.int_value());
  }
  if (x.is_uint()) return x;
  if (x.is_double()) return Value::Double(std::fabs(x.double_value()));
  return NoOverload("math.abs");
}

Value Sign(absl::Span<const Value> a, EvalContext&) {
  const Value& x = a[0];
  if (x.is_int()) return Value::Int((x.int_value() > 0) - (x.int_value() < 0));
  if (x.is_uint()) return Value::Uint(x.uint_value() > 0 ? 1 : 0);
  if (x.is_double()) {
    double d = x.double_value();
    if (std::isnan(d) || d == 0) return x;
    return Value::Double(d > 0 ? 1.0 : -1.0);
  }
  return NoOverload("math.sign");
}

template <bool (*Test)(double)>
Value DoubleTest(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_double()) return NoOverload("math double test");
  return Value::Bool(Test(a[0].double_value()));
}
bool IsInf(double d) { return std::isinf(d); }
bool IsNaN(double d) { return std::isnan(d); }
bool IsFinite(double d) { return std::isfinite(d); }

enum class BitOp { kAnd, kOr, kXor };

template <BitOp Op>
Value Bitwise(absl::Span<const Value> a, EvalContext&) {
  const Value& x = a[0];
  const Value& y = a[1];
  auto apply = [](uint64_t p, uint64_t q) {
    return Op == BitOp::kAnd ? (p & q) : (Op == BitOp::kOr ? (p | q) : (p ^ q));
  };
  if (x.is_int() && y.is_int()) {
    return Value::Int(static_cast<int64_t>(
        apply(static_cast<uint64_t>(x.int_value()), static_cast<uint64_t>(y.int_value()))));
  }
  if (x.is_uint() && y.is_uint()) return Value::Uint(apply(x.uint_value(), y.uint_value()));
  return NoOverload("math bit operation");
}

Value BitNot(absl::Span<const Value> a, EvalContext&) {
  if (a[0].is_int()) return Value::Int(~a[0].int_value());
  if (a[0].is_uint()) return Value::Uint(~a[0].uint_value());
  return NoOverload("math.bitNot");
}

template <bool kLeft>
Value Shift(absl::Span<const Value> a, EvalContext&) {
  const Value& x = a[0];
  if (!a[1].is_int()) return NoOverload("math shift");
  int64_t n = a[1].int_value();
  if (n < 0) return ErrorValue("math shift: negative offset");
  uint64_t bits = x.is_int() ? static_cast<uint64_t>(x.int_value()) : x.uint_value();
  if (!x.is_int() && !x.is_uint()) return NoOverload("math shift");
  uint64_t shifted = n >= 64 ? 0 : (kLeft ? bits << n : bits >> n);
  if (x.is_int()) return Value::Int(static_cast<int64_t>(shifted));
  return Value::Uint(shifted);
}

Value Sqrt(absl::Span<const Value> a, EvalContext&) {
  const Value& x = a[0];
  if (x.is_double()) return Value::Double(std::sqrt(x.double_value()));
  if (x.is_int()) return Value::Double(std::sqrt(static_cast<double>(x.int_value())));
  if (x.is_uint()) return Value::Double(std::sqrt(static_cast<double>(x.uint_value())));
  return NoOverload("math.sqrt");
}

}  // namespace

void RegisterMathExtensions(FunctionRegistry& r) {
  r.Add("math.greatest", CallStyle::kGlobal, kVariadic, Extreme<true>);
  r.Add("math.least", CallStyle::kGlobal, kVariadic, Extreme<false>);
  r.Add("math.ceil", CallStyle::kGlobal, 1, Rounding<Ceil>);
  r.Add("math.floor", CallStyle::kGlobal, 1, Rounding<Floor>);
  r.Add("math.round", CallStyle::kGlobal, 1, Rounding<Round>);
  r.Add("math.trunc", CallStyle::kGlobal, 1, Rounding<Trunc>);
  r.Add("math.abs", CallStyle::kGlobal, 1, Abs);
  r.Add("math.sign", CallStyle::kGlobal, 1, Sign);
  r.Add("math.isInf", CallStyle::kGlobal, 1, DoubleTest<IsInf>);
  r.Add("math.isNaN", CallStyle::kGlobal, 1, DoubleTest<IsNaN>);
  r.Add("math.isFinite", CallStyle::kGlobal, 1, DoubleTest<IsFinite>);
  r.Add("math.bitAnd", CallStyle::kGlobal, 2, Bitwise<BitOp::kAnd>);
  r.Add("math.bitOr", CallStyle::kGlobal, 2, Bitwise<BitOp::kOr>);
  r.Add("math.bitXor", CallStyle::kGlobal, 2, Bitwise<BitOp::kXor>);
  r.Add("math.bitNot", CallStyle::kGlobal, 1, BitNot);
  r.Add("math.bitShiftLeft", CallStyle::kGlobal, 2, Shift<true>);
  r.Add("math.bitShiftRight", CallStyle::kGlobal, 2, Shift<false>);
  r.Add("math.sqrt", CallStyle::kGlobal, 1, Sqrt);
}

}  // namespace bulwark::cel::internal
