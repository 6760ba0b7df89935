// Kubernetes CEL libraries (k8s.io/apiserver/pkg/cel/library), as documented for
// ValidatingAdmissionPolicy: lists (isSorted, sum, min, max, indexOf, lastIndexOf), regex (find,
// findAll, with RE2), and the authorizer library, which needs a live API server: its functions
// fail with an error that says so.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "bulwark/policy/cel/internal/functions.h"
#include "re2/re2.h"

namespace bulwark::cel::internal {
namespace {

// Elements of a list, charging one unit per ten elements. nullopt when over budget.
bool ChargeList(const Value& list, EvalContext& ctx) {
  return ctx.Charge(list.ListSize() / 10 + 1);
}

Value IsSorted(absl::Span<const Value> a, EvalContext& ctx) {
  if (!a[0].is_list()) return NoOverload("isSorted");
  if (!ChargeList(a[0], ctx)) return ctx.BudgetError();
  for (size_t i = 1; i < a[0].ListSize(); ++i) {
    std::optional<int> c = Compare(a[0].ListGet(i - 1), a[0].ListGet(i));
    if (!c || *c == 2) return NoOverload("isSorted");
    if (*c > 0) return Value::Bool(false);
  }
  return Value::Bool(true);
}

Value Sum(absl::Span<const Value> a, EvalContext& ctx) {
  if (!a[0].is_list()) return NoOverload("sum");
  if (!ChargeList(a[0], ctx)) return ctx.BudgetError();
  if (a[0].ListSize() == 0) return Value::Int(0);
  Value total = a[0].ListGet(0);
  static const FunctionDef* add = FunctionRegistry::Default().Find("_+_", false, 2);
  for (size_t i = 1; i < a[0].ListSize(); ++i) {
    Value pair[2] = {total, a[0].ListGet(i)};
    total = add->Call(pair, ctx);
    if (total.is_error()) return total;
  }
  if (!total.is_number() && !total.is_duration()) return NoOverload("sum");
  return total;
}

template <bool kMax>
Value Extreme(absl::Span<const Value> a, EvalContext& ctx) {
  const char* name = kMax ? "max" : "min";
  if (!a[0].is_list()) return NoOverload(name);
  if (!ChargeList(a[0], ctx)) return ctx.BudgetError();
  if (a[0].ListSize() == 0) return ErrorValue(absl::StrCat(name, " called on empty list"));
  Value best = a[0].ListGet(0);
  for (size_t i = 1; i < a[0].ListSize(); ++i) {
    Value v = a[0].ListGet(i);
    std::optional<int> c = Compare(v, best);
    if (!c || *c == 2) return NoOverload(name);
    if (kMax ? *c > 0 : *c < 0) best = std::move(v);
  }
  return best;
}

template <bool kLast>
Value ListIndexOf(absl::Span<const Value> a, EvalContext& ctx) {
  if (!a[0].is_list()) return NoOverload(kLast ? "lastIndexOf" : "indexOf");
  if (!ChargeList(a[0], ctx)) return ctx.BudgetError();
  size_t n = a[0].ListSize();
  for (size_t k = 0; k < n; ++k) {
    size_t i = kLast ? n - 1 - k : k;
    Value eq = Equals(a[0].ListGet(i), a[1]);
    if (eq.is_bool() && eq.bool_value()) return Value::Int(static_cast<int64_t>(i));
  }
  return Value::Int(-1);
}

// Compiles a pattern for find/findAll; nullptr (with `error` set) when invalid.
std::unique_ptr<RE2> CompilePattern(absl::string_view pattern, Value& error) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re->ok()) {
    error = ErrorValue(absl::StrCat("invalid regular expression: ", re->error()));
    return nullptr;
  }
  return re;
}

Value Find(absl::Span<const Value> a, EvalContext& ctx) {
  if (!a[0].is_string() || !a[1].is_string()) return NoOverload("find");
  if (!ctx.Charge((a[0].string_value().size() + a[1].string_value().size()) / 10 + 1)) {
    return ctx.BudgetError();
  }
  Value error;
  std::unique_ptr<RE2> re = CompilePattern(a[1].string_value(), error);
  if (re == nullptr) return error;
  re2::StringPiece text(a[0].string_value().data(), a[0].string_value().size());
  re2::StringPiece match;
  if (!re->Match(text, 0, text.size(), RE2::UNANCHORED, &match, 1)) return Value::String("");
  return Value::String(std::string(match.data(), match.size()));
}

// findAll(pattern[, limit]): every non-overlapping match, at most `limit` when limit >= 0.
Value FindAll(absl::Span<const Value> a, EvalContext& ctx) {
  if (!a[0].is_string() || !a[1].is_string() || (a.size() == 3 && !a[2].is_int())) {
    return NoOverload("findAll");
  }
  if (!ctx.Charge((a[0].string_value().size() + a[1].string_value().size()) / 10 + 1)) {
    return ctx.BudgetError();
  }
  int64_t limit = a.size() == 3 ? a[2].int_value() : -1;
  Value error;
  std::unique_ptr<RE2> re = CompilePattern(a[1].string_value(), error);
  if (re == nullptr) return error;
  re2::StringPiece text(a[0].string_value().data(), a[0].string_value().size());
  std::vector<Value> out;
  size_t pos = 0;
  size_t previous_end = std::string::npos;
  while (pos <= text.size() && (limit < 0 || static_cast<int64_t>(out.size()) < limit)) {
    re2::StringPiece match;
    if (!re->Match(text, pos, text.size(), RE2::UNANCHORED, &match, 1)) break;
    size_t start = static_cast<size_t>(match.data() - text.data());
    size_t end = start + match.size();
    // As Go's FindAllString: an empty match right after the previous match is skipped.
    if (!(match.empty() && start == previous_end)) {
      out.push_back(Value::String(std::string(match.data(), match.size())));
    }
    previous_end = end;
    pos = match.empty() ? end + 1 : end;
  }
  return Value::List(std::move(out));
}

// Every authorizer function: offline there is no API server to ask.
Value Authorizer(absl::Span<const Value>, EvalContext&) {
  return ErrorValue(
      "authorizer checks are not available offline: the Kubernetes authorizer library "
      "(authorizer.group/path/serviceAccount/check/allowed) needs a live API server");
}

}  // namespace

void RegisterKubernetesExtensions(FunctionRegistry& r) {
  r.Add("isSorted", CallStyle::kMember, 1, IsSorted);
  r.Add("sum", CallStyle::kMember, 1, Sum);
  r.Add("min", CallStyle::kMember, 1, Extreme<false>);
  r.Add("max", CallStyle::kMember, 1, Extreme<true>);
  r.Add("indexOf", CallStyle::kMember, 2, ListIndexOf<false>);
  r.Add("lastIndexOf", CallStyle::kMember, 2, ListIndexOf<true>);
  r.Add("find", CallStyle::kMember, 2, Find);
  r.Add("findAll", CallStyle::kMember, 2, FindAll);
  r.Add("findAll", CallStyle::kMember, 3, FindAll);
  for (const char* name : {"path", "group", "serviceAccount", "resource", "subresource",
                           "namespace", "name", "check"}) {
    r.Add(name, CallStyle::kMember, 2, Authorizer);
  }
  r.Add("serviceAccount", CallStyle::kMember, 3, Authorizer);
  for (const char* name : {"allowed", "reason", "errored", "error"}) {
    r.Add(name, CallStyle::kMember, 1, Authorizer);
  }
}

}  // namespace bulwark::cel::internal
