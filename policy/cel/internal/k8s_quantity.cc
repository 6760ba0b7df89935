// The Kubernetes quantity library: quantity(string), isQuantity(string) and the Quantity methods
// sign, isInteger, asInteger, asApproximateFloat, add, sub, isGreaterThan, isLessThan,
// compareTo. Quantities use the resource.Quantity grammar (<number><suffix>; suffixes Ki..Ei,
// n u m k M G T P E, or e/E<exponent>) and are held exactly in nano units (128-bit), rounding
// finer fractions away from zero as Kubernetes does; magnitudes beyond ~8e28 are errors.
#include <cmath>

#include "absl/numeric/int128.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "bulwark/policy/cel/internal/functions.h"

namespace bulwark::cel::internal {
namespace {

using Nanos = absl::int128;

const Nanos kNanosPerUnit = 1'000'000'000;
const Nanos kMaxNanos = absl::MakeInt128(INT64_MAX / 2, 0);  // ~8.5e37 / 1e9 units

// Multiplies with an overflow check against kMaxNanos.
bool MulChecked(Nanos a, Nanos b, Nanos& out) {
  if (a != 0 && b != 0 && (a > kMaxNanos / b)) return false;
  out = a * b;
  return true;
}

// Parses a quantity into nanos; empty error when fine.
std::string ParseQuantity(absl::string_view text, Nanos& nanos) {
  if (text.empty()) return "quantities must match the regular expression";
  size_t i = 0;
  bool negative = false;
  if (text[0] == '+' || text[0] == '-') {
    negative = text[0] == '-';
    ++i;
  }
  Nanos mantissa = 0;
  int fraction_digits = 0, digits = 0;
  bool dot = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' && !dot) {
      dot = true;
      continue;
    }
    if (!absl::ascii_isdigit(c)) break;
    ++digits;
    if (!MulChecked(mantissa, 10, mantissa)) return "quantity is too large";
    mantissa += c - '0';
    if (dot) ++fraction_digits;
  }
  if (digits == 0) return "quantities must match the regular expression";
  absl::string_view suffix = text.substr(i);
  int exp10 = 0, binary_shift = 0;
  static const std::pair<absl::string_view, int> kDecimal[] = {
      {"n", -9}, {"u", -6}, {"m", -3}, {"", 0},   {"k", 3},
      {"M", 6},  {"G", 9},  {"T", 12}, {"P", 15}, {"E", 18}};
  static const std::pair<absl::string_view, int> kBinary[] = {{"Ki", 10}, {"Mi", 20}, {"Gi", 30},
                                                              {"Ti", 40}, {"Pi", 50}, {"Ei", 60}};
  bool known = false;
  for (const auto& [s, e] : kDecimal) {
    if (suffix == s) exp10 = e, known = true;
  }
  for (const auto& [s, shift] : kBinary) {
    if (suffix == s) binary_shift = shift, known = true;
  }
  if (!known && suffix.size() > 1 && (suffix[0] == 'e' || suffix[0] == 'E')) {
    int exponent = 0;
    absl::string_view e = suffix.substr(1);
    if (absl::StartsWith(e, "+")) e.remove_prefix(1);
    if (!e.empty() && absl::SimpleAtoi(e, &exponent) && exponent > -1000 && exponent < 1000) {
      exp10 = exponent;
      known = true;
    }
  }
  if (!known) return "unable to parse quantity's suffix";
  int shift = exp10 + 9 - fraction_digits;
  Nanos value = mantissa;
  if (binary_shift > 0 && !MulChecked(value, Nanos(1) << binary_shift, value)) {
    return "quantity is too large";
  }
  for (; shift > 0; --shift) {
    if (!MulChecked(value, 10, value)) return "quantity is too large";
  }
  for (; shift < 0; ++shift) {
    value = value / 10 + (value % 10 != 0 ? 1 : 0);  // round away from zero
  }
  nanos = negative ? -value : value;
  return "";
}

class QuantityValue final : public OpaqueValue {
 public:
  QuantityValue(std::string text, Nanos nanos) : text_(std::move(text)), nanos_(nanos) {}
  absl::string_view type_name() const override { return "kubernetes.Quantity"; }
  bool Equals(const OpaqueValue& other) const override {
    const auto* o = dynamic_cast<const QuantityValue*>(&other);
    return o != nullptr && o->nanos_ == nanos_;
  }
  std::string ToString() const override { return text_; }
  Nanos nanos() const { return nanos_; }

 private:
  std::string text_;
  Nanos nanos_;
};

const QuantityValue* AsQuantity(const Value& v) {
  return v.is_opaque() ? dynamic_cast<const QuantityValue*>(v.opaque()) : nullptr;
}

std::string Int128ToString(Nanos v) {
  if (v == 0) return "0";
  bool negative = v < 0;
  std::string digits;
  for (; v != 0; v /= 10) {
    int digit = static_cast<int>(v % 10);
    digits.push_back(static_cast<char>('0' + (digit < 0 ? -digit : digit)));
  }
  if (negative) digits.push_back('-');
  return std::string(digits.rbegin(), digits.rend());
}

Value Make(Nanos nanos) {
  // Canonical text: whole units when exact, otherwise nano units.
  std::string text = nanos % kNanosPerUnit == 0 ? Int128ToString(nanos / kNanosPerUnit)
                                                : absl::StrCat(Int128ToString(nanos), "n");
  return Value::Opaque(std::make_shared<const QuantityValue>(std::move(text), nanos));
}

Value Quantity(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_string()) return NoOverload("quantity");
  Nanos nanos = 0;
  std::string error = ParseQuantity(a[0].string_value(), nanos);
  if (!error.empty()) {
    return ErrorValue(absl::StrCat("quantity('", a[0].string_value(), "'): ", error));
  }
  return Value::Opaque(
      std::make_shared<const QuantityValue>(std::string(a[0].string_value()), nanos));
}

Value IsQuantity(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_string()) return NoOverload("isQuantity");
  Nanos nanos = 0;
  return Value::Bool(ParseQuantity(a[0].string_value(), nanos).empty());
}

Value Sign(absl::Span<const Value> a, EvalContext&) {
  const QuantityValue* q = AsQuantity(a[0]);
  if (q == nullptr) return NoOverload("sign");
  return Value::Int(q->nanos() > 0 ? 1 : (q->nanos() < 0 ? -1 : 0));
}

bool FitsInt64(Nanos nanos) {
  if (nanos % kNanosPerUnit != 0) return false;
  Nanos units = nanos / kNanosPerUnit;
  return units >= INT64_MIN && units <= INT64_MAX;
}

Value IsInteger(absl::Span<const Value> a, EvalContext&) {
  const QuantityValue* q = AsQuantity(a[0]);
  if (q == nullptr) return NoOverload("isInteger");
  return Value::Bool(FitsInt64(q->nanos()));
}

Value AsInteger(absl::Span<const Value> a, EvalContext&) {
  const QuantityValue* q = AsQuantity(a[0]);
  if (q == nullptr) return NoOverload("asInteger");
  if (!FitsInt64(q->nanos())) {
    return ErrorValue(absl::StrCat("cannot convert value to integer: ", q->ToString()));
  }
  return Value::Int(static_cast<int64_t>(q->nanos() / kNanosPerUnit));
}

Value AsApproximateFloat(absl::Span<const Value> a, EvalContext&) {
  const QuantityValue* q = AsQuantity(a[0]);
  if (q == nullptr) return NoOverload("asApproximateFloat");
  return Value::Double(static_cast<double>(q->nanos()) / 1e9);
}

// The nanos of a Quantity or int operand; false when it is neither (or out of range).
bool OperandNanos(const Value& v, Nanos& out) {
  if (const QuantityValue* q = AsQuantity(v)) {
    out = q->nanos();
    return true;
  }
  if (v.is_int()) {
    out = Nanos(v.int_value()) * kNanosPerUnit;
    return true;
  }
  return false;
}

template <bool kSubtract>
Value AddSub(absl::Span<const Value> a, EvalContext&) {
  const QuantityValue* q = AsQuantity(a[0]);
  Nanos other = 0;
  if (q == nullptr || !OperandNanos(a[1], other)) return NoOverload(kSubtract ? "sub" : "add");
  Nanos result = kSubtract ? q->nanos() - other : q->nanos() + other;
  if (result > kMaxNanos || result < -kMaxNanos) return ErrorValue("quantity overflow");
  return Make(result);
}

// 0: compareTo, 1: isGreaterThan, 2: isLessThan.
template <int kOp>
Value CompareQuantities(absl::Span<const Value> a, EvalContext&) {
  const QuantityValue* x = AsQuantity(a[0]);
  const QuantityValue* y = AsQuantity(a[1]);
  if (x == nullptr || y == nullptr) return NoOverload("Quantity comparison");
  int c = x->nanos() < y->nanos() ? -1 : (x->nanos() > y->nanos() ? 1 : 0);
  if (kOp == 0) return Value::Int(c);
  return Value::Bool(kOp == 1 ? c > 0 : c < 0);
}

}  // namespace

void RegisterKubernetesQuantity(FunctionRegistry& r) {
  r.Add("quantity", CallStyle::kGlobal, 1, Quantity);
  r.Add("isQuantity", CallStyle::kGlobal, 1, IsQuantity);
  r.Add("sign", CallStyle::kMember, 1, Sign);
  r.Add("isInteger", CallStyle::kMember, 1, IsInteger);
  r.Add("asInteger", CallStyle::kMember, 1, AsInteger);
  r.Add("asApproximateFloat", CallStyle::kMember, 1, AsApproximateFloat);
  r.Add("add", CallStyle::kMember, 2, AddSub<false>);
  r.Add("sub", CallStyle::kMember, 2, AddSub<true>);
  r.Add("compareTo", CallStyle::kMember, 2, CompareQuantities<0>);
  r.Add("isGreaterThan", CallStyle::kMember, 2, CompareQuantities<1>);
  r.Add("isLessThan", CallStyle::kMember, 2, CompareQuantities<2>);
}

}  // namespace bulwark::cel::internal
