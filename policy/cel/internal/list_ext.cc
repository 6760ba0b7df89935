// The CEL lists and sets extensions: lists.range, slice, flatten, distinct, sort, first, last;
// sets.contains, sets.equivalent, sets.intersects. Element comparisons use CEL equality.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "bulwark/policy/cel/internal/functions.h"

namespace bulwark::cel::internal {
namespace {

bool Contains(const Value& list, const Value& element) {
  for (size_t i = 0; i < list.ListSize(); ++i) {
    Value eq = Equals(list.ListGet(i), element);
    if (eq.is_bool() && eq.bool_value()) return true;
  }
  return false;
}

Value SetsContains(absl::Span<const Value> a, EvalContext& ctx) {
  if (!a[0].is_list() || !a[1].is_list()) return NoOverload("sets.contains");
  if (!ctx.Charge(a[0].ListSize() * a[1].ListSize() / 10)) return ctx.BudgetError();
  for (size_t i = 0; i < a[1].ListSize(); ++i) {
    if (!Contains(a[0], a[1].ListGet(i))) return Value::Bool(false);
  }
  return Value::Bool(true);
}

Value SetsEquivalent(absl::Span<const Value> a, EvalContext& ctx) {
  Value forward = SetsContains(a, ctx);
  if (!forward.is_bool() || !forward.bool_value()) return forward;
  Value swapped[2] = {a[1], a[0]};
  return SetsContains(swapped, ctx);
}

Value SetsIntersects(absl::Span<const Value> a, EvalContext& ctx) {
  if (!a[0].is_list() || !a[1].is_list()) return NoOverload("sets.intersects");
  if (!ctx.Charge(a[0].ListSize() * a[1].ListSize() / 10)) return ctx.BudgetError();
  for (size_t i = 0; i < a[1].ListSize(); ++i) {
    if (Contains(a[0], a[1].ListGet(i))) return Value::Bool(true);
  }
  return Value::Bool(false);
}

Value Range(absl::Span<const Value> a, EvalContext& ctx) {
  if (!a[0].is_int()) return NoOverload("lists.range");
  int64_t n = a[0].int_value();
  if (n < 0) n = 0;
  if (!ctx.CheckSize(static_cast<uint64_t>(n))) return ctx.SizeError();
  if (!ctx.Charge(static_cast<uint64_t>(n) / 10)) return ctx.BudgetError();
  std::vector<Value> out;
  out.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) out.push_back(Value::Int(i));
  return Value::List(std::move(out));
}

Value Slice(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_list() || !a[1].is_int() || !a[2].is_int()) return NoOverload("slice");
  int64_t start = a[1].int_value();
  int64_t end = a[2].int_value();
  auto size = static_cast<int64_t>(a[0].ListSize());
  if (start < 0 || end < 0 || start > end || end > size) {
    return ErrorValue(absl::StrCat("cannot slice(", start, ", ", end, ") a list of size ", size));
  }
  std::vector<Value> out;
  for (int64_t i = start; i < end; ++i) out.push_back(a[0].ListGet(static_cast<size_t>(i)));
  return Value::List(std::move(out));
}

bool FlattenInto(const Value& list, int64_t depth, std::vector<Value>& out, EvalContext& ctx) {
  for (size_t i = 0; i < list.ListSize(); ++i) {
    Value e = list.ListGet(i);
    if (e.is_list() && depth > 0) {
      if (!FlattenInto(e, depth - 1, out, ctx)) return false;
    } else {
      out.push_back(std::move(e));
    }
    if (!ctx.CheckSize(out.size())) return false;
  }
  return true;
}

Value Flatten(absl::Span<const Value> a, EvalContext& ctx) {
  if (!a[0].is_list() || (a.size() == 2 && !a[1].is_int())) return NoOverload("flatten");
  int64_t depth = a.size() == 2 ? a[1].int_value() : 1;
  if (depth < 0) return ErrorValue("flatten(): level must be non-negative");
  depth = std::min<int64_t>(depth, 100);
  std::vector<Value> out;
  if (!FlattenInto(a[0], depth, out, ctx)) return ctx.SizeError();
  return Value::List(std::move(out));
}

Value Distinct(absl::Span<const Value> a, EvalContext& ctx) {
  if (!a[0].is_list()) return NoOverload("distinct");
  if (!ctx.Charge(a[0].ListSize() * a[0].ListSize() / 10)) return ctx.BudgetError();
  std::vector<Value> out;
  for (size_t i = 0; i < a[0].ListSize(); ++i) {
    Value e = a[0].ListGet(i);
    bool seen = false;
    for (const Value& o : out) {
      Value eq = Equals(o, e);
      if (eq.is_bool() && eq.bool_value()) seen = true;
    }
    if (!seen) out.push_back(std::move(e));
  }
  return Value::List(std::move(out));
}

Value Sort(absl::Span<const Value> a, EvalContext& ctx) {
  if (!a[0].is_list()) return NoOverload("sort");
  std::vector<Value> out;
  for (size_t i = 0; i < a[0].ListSize(); ++i) out.push_back(a[0].ListGet(i));
  for (size_t i = 1; i < out.size(); ++i) {
    std::optional<int> c = Compare(out[0], out[i]);
    if (!c) return ErrorValue("sort(): list elements must have the same comparable type");
  }
  if (!ctx.Charge(out.size() * 2)) return ctx.BudgetError();
  std::stable_sort(out.begin(), out.end(), [](const Value& x, const Value& y) {
    std::optional<int> c = Compare(x, y);
    return c && *c < 0;
  });
  return Value::List(std::move(out));
}

template <bool kFirst>
Value Edge(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_list()) return NoOverload(kFirst ? "first" : "last");
  size_t n = a[0].ListSize();
  if (n == 0) return Value::OptionalNone();
  return Value::OptionalOf(a[0].ListGet(kFirst ? 0 : n - 1));
}

}  // namespace

void RegisterListExtensions(FunctionRegistry& r) {
  r.Add("sets.contains", CallStyle::kGlobal, 2, SetsContains);
  r.Add("sets.equivalent", CallStyle::kGlobal, 2, SetsEquivalent);
  r.Add("sets.intersects", CallStyle::kGlobal, 2, SetsIntersects);
  r.Add("lists.range", CallStyle::kGlobal, 1, Range);
  r.Add("slice", CallStyle::kMember, 3, Slice);
  r.Add("flatten", CallStyle::kMember, 1, Flatten);
  r.Add("flatten", CallStyle::kMember, 2, Flatten);
  r.Add("distinct", CallStyle::kMember, 1, Distinct);
  r.Add("sort", CallStyle::kMember, 1, Sort);
  r.Add("first", CallStyle::kMember, 1, Edge<true>);
  r.Add("last", CallStyle::kMember, 1, Edge<false>);
}

}  // namespace bulwark::cel::internal
