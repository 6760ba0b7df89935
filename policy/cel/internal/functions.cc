#include "bulwark/policy/cel/internal/functions.h"

#include <cmath>

#include "absl/strings/match.h"
#include "bulwark/policy/cel/internal/proto_value.h"

namespace bulwark::cel::internal {
namespace {

// Integers compare with doubles as doubles (cel-spec: the integer converts to double, so
// 9223372036854775807 == 9223372036854775808.0). 2 when unordered (NaN).
int CompareAsDoubles(double a, double d) {
  if (std::isnan(a) || std::isnan(d)) return 2;
  return a < d ? -1 : (a > d ? 1 : 0);
}
int CompareIntDouble(int64_t i, double d) { return CompareAsDoubles(static_cast<double>(i), d); }
int CompareUintDouble(uint64_t u, double d) { return CompareAsDoubles(static_cast<double>(u), d); }

int CompareIntUint(int64_t i, uint64_t u) {
  if (i < 0) return -1;
  auto ui = static_cast<uint64_t>(i);
  return ui < u ? -1 : (ui > u ? 1 : 0);
}

template <typename T>
int Three(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

// Numeric comparison across kinds; 2 when unordered.
int CompareNumbers(const Value& a, const Value& b) {
  switch (a.kind()) {
    case Kind::kInt:
      if (b.is_int()) return Three(a.int_value(), b.int_value());
      if (b.is_uint()) return CompareIntUint(a.int_value(), b.uint_value());
      return CompareIntDouble(a.int_value(), b.double_value());
    case Kind::kUint:
      if (b.is_uint()) return Three(a.uint_value(), b.uint_value());
      if (b.is_int()) return -CompareIntUint(b.int_value(), a.uint_value());
      {
        int c = CompareUintDouble(a.uint_value(), b.double_value());
        return c;
      }
    default: {
      double d = a.double_value();
      if (b.is_double()) {
        if (std::isnan(d) || std::isnan(b.double_value())) return 2;
        return Three(d, b.double_value());
      }
      int c =
          b.is_int() ? CompareIntDouble(b.int_value(), d) : CompareUintDouble(b.uint_value(), d);
      return c == 2 ? 2 : -c;
    }
  }
}

}  // namespace

void FunctionRegistry::Add(std::string name, CallStyle style, int arity, FunctionImpl impl) {
  std::vector<FunctionDef>& defs = functions_[name];
  for (FunctionDef& def : defs) {
    if (def.style == style && def.arity == arity) {
      def.alternatives.push_back(impl);
      return;
    }
  }
  defs.push_back(FunctionDef{std::move(name), style, arity, impl, {}});
}

Value FunctionDef::Call(absl::Span<const Value> args, EvalContext& ctx) const {
  Value result = impl(args, ctx);
  for (FunctionImpl alternative : alternatives) {
    if (!result.is_error() || !absl::StartsWith(result.error().message(), "no such overload")) {
      break;
    }
    result = alternative(args, ctx);
  }
  return result;
}

const FunctionDef* FunctionRegistry::Find(absl::string_view name, bool member_call,
                                          size_t arity) const {
  auto it = functions_.find(name);
  if (it == functions_.end()) return nullptr;
  for (const FunctionDef& def : it->second) {
    if (def.arity != kVariadic && static_cast<size_t>(def.arity) != arity) continue;
    if (def.style == CallStyle::kBoth || (def.style == CallStyle::kMember) == member_call) {
      return &def;
    }
  }
  return nullptr;
}

const FunctionRegistry& FunctionRegistry::Default() {
  static const FunctionRegistry* registry = [] {
    auto* r = new FunctionRegistry();
    RegisterStandardFunctions(*r);
    RegisterConversionFunctions(*r);
    RegisterTimeFunctions(*r);
    RegisterStringExtensions(*r);
    RegisterMathExtensions(*r);
    RegisterListExtensions(*r);
    RegisterOptionalFunctions(*r);
    RegisterNetworkExtensions(*r);
    RegisterKubernetesExtensions(*r);
    RegisterKubernetesUrls(*r);
    RegisterKubernetesQuantity(*r);
    RegisterKubernetesSemver(*r);
    RegisterKubernetesFormat(*r);
    return r;
  }();
  return *registry;
}

Value Equals(const Value& a, const Value& b) {
  if (a.is_error() || a.is_unknown()) return a;
  if (b.is_error() || b.is_unknown()) return b;
  if (a.is_number() && b.is_number()) return Value::Bool(CompareNumbers(a, b) == 0);
  if (a.kind() != b.kind()) return Value::Bool(false);
  switch (a.kind()) {
    case Kind::kNull:
      return Value::Bool(true);
    case Kind::kBool:
      return Value::Bool(a.bool_value() == b.bool_value());
    case Kind::kString:
    case Kind::kBytes:
      return Value::Bool(a.string_value() == b.string_value());
    case Kind::kTimestamp:
      return Value::Bool(a.timestamp_value() == b.timestamp_value());
    case Kind::kDuration:
      return Value::Bool(a.duration_value() == b.duration_value());
    case Kind::kType:
      return Value::Bool(a.type_name() == b.type_name());
    case Kind::kList: {
      size_t n = a.ListSize();
      if (n != b.ListSize()) return Value::Bool(false);
      Value pending;
      for (size_t i = 0; i < n; ++i) {
        Value eq = Equals(a.ListGet(i), b.ListGet(i));
        if (eq.is_bool() && !eq.bool_value()) return eq;
        if (!eq.is_bool() && pending.is_null()) pending = eq;
      }
      return pending.is_null() ? Value::Bool(true) : pending;
    }
    case Kind::kMap: {
      if (a.MapSize() != b.MapSize()) return Value::Bool(false);
      Value pending;
      for (const Value& key : a.MapKeys()) {
        std::optional<Value> other = b.MapFind(key);
        if (!other) return Value::Bool(false);
        Value eq = Equals(*a.MapFind(key), *other);
        if (eq.is_bool() && !eq.bool_value()) return eq;
        if (!eq.is_bool() && pending.is_null()) pending = eq;
      }
      return pending.is_null() ? Value::Bool(true) : pending;
    }
    case Kind::kOptional:
      if (a.optional_has_value() != b.optional_has_value()) return Value::Bool(false);
      if (!a.optional_has_value()) return Value::Bool(true);
      return Equals(a.optional_value(), b.optional_value());
    case Kind::kMessage:
      return Value::Bool(MessagesEqual(*a.message(), *b.message()));
    case Kind::kOpaque:
      return Value::Bool(a.opaque()->Equals(*b.opaque()));
    default:
      return Value::Bool(false);
  }
}

std::optional<int> Compare(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) return CompareNumbers(a, b);
  if (a.kind() != b.kind()) return std::nullopt;
  switch (a.kind()) {
    case Kind::kBool:
      return Three(a.bool_value(), b.bool_value());
    case Kind::kString:
    case Kind::kBytes:
      return Three(a.string_value(), b.string_value());
    case Kind::kTimestamp:
      return Three(a.timestamp_value(), b.timestamp_value());
    case Kind::kDuration:
      return Three(a.duration_value(), b.duration_value());
    default:
      return std::nullopt;
  }
}

size_t CodePointCount(absl::string_view text) {
  size_t n = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

Value TypeOf(const Value& v) {
  switch (v.kind()) {
    case Kind::kMessage:
      return Value::Type(v.message()->GetDescriptor()->full_name());
    case Kind::kOpaque:
      return Value::Type(std::string(v.opaque()->type_name()));
    case Kind::kError:
    case Kind::kUnknown:
      return v;
    default:
      return Value::Type(std::string(KindTypeName(v.kind())));
  }
}

}  // namespace bulwark::cel::internal
