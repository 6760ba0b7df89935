// The function table of the CEL runtime: every standard function and extension library
// registers its overloads here by name, call style and arity; the planner binds each call to its
// entry once at compile time. Implementations dispatch on the runtime kinds of their arguments
// and return NoOverload() when none matches.
// Internal. Thread safety: a registry is built once, then only read.
#ifndef BULWARK_POLICY_CEL_INTERNAL_FUNCTIONS_H_
#define BULWARK_POLICY_CEL_INTERNAL_FUNCTIONS_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/types/span.h"
#include "bulwark/policy/cel/internal/eval_context.h"
#include "bulwark/policy/cel/value.h"

namespace bulwark::cel::internal {

using FunctionImpl = Value (*)(absl::Span<const Value> args, EvalContext& ctx);

enum class CallStyle : uint8_t { kGlobal, kMember, kBoth };

inline constexpr int kVariadic = -1;

struct FunctionDef {
  std::string name;
  CallStyle style = CallStyle::kGlobal;
  int arity = 1;  // arguments including the receiver; kVariadic for any
  FunctionImpl impl = nullptr;
  // Further implementations registered under the same name, style and arity by other
  // libraries (e.g. string and list `indexOf`); tried in order while the result is a
  // "no such overload" error.
  std::vector<FunctionImpl> alternatives;

  // Calls impl, then the alternatives.
  Value Call(absl::Span<const Value> args, EvalContext& ctx) const;
};

class FunctionRegistry {
 public:
  void Add(std::string name, CallStyle style, int arity, FunctionImpl impl);
  // The function for a call, or nullptr. Member calls count the receiver as first argument.
  const FunctionDef* Find(absl::string_view name, bool member_call, size_t arity) const;
  // Whether any overload of `name` exists (for error messages).
  bool Has(absl::string_view name) const { return functions_.contains(name); }

  // The registry with the standard library and every extension this runtime supports.
  static const FunctionRegistry& Default();

 private:
  absl::flat_hash_map<std::string, std::vector<FunctionDef>> functions_;
};

// Library registration, one per file.
void RegisterStandardFunctions(FunctionRegistry& registry);    // std_functions.cc
void RegisterConversionFunctions(FunctionRegistry& registry);  // conversions.cc
void RegisterTimeFunctions(FunctionRegistry& registry);        // time_functions.cc
void RegisterStringExtensions(FunctionRegistry& registry);     // string_ext.cc
void RegisterMathExtensions(FunctionRegistry& registry);       // math_ext.cc
void RegisterListExtensions(FunctionRegistry& registry);       // list_ext.cc
void RegisterOptionalFunctions(FunctionRegistry& registry);    // optional_ext.cc
void RegisterNetworkExtensions(FunctionRegistry& registry);    // network_ext.cc
// Kubernetes libraries: lists, regex, authz stubs (kubernetes_ext.cc), URLs (k8s_url.cc),
// quantity (k8s_quantity.cc), semver (k8s_semver.cc), format (k8s_format.cc).
void RegisterKubernetesExtensions(FunctionRegistry& registry);
void RegisterKubernetesUrls(FunctionRegistry& registry);
void RegisterKubernetesQuantity(FunctionRegistry& registry);
void RegisterKubernetesSemver(FunctionRegistry& registry);
void RegisterKubernetesFormat(FunctionRegistry& registry);

// Shared helpers.
// CEL equality (heterogeneous numbers, deep lists/maps, protobuf messages); errors pass through.
Value Equals(const Value& a, const Value& b);
// Three-way comparison for ordered kinds; nullopt when the pair is not comparable.
std::optional<int> Compare(const Value& a, const Value& b);
// Number of Unicode code points in UTF-8 text.
size_t CodePointCount(absl::string_view text);
// The type value of `v` ("int", message full name, ...).
Value TypeOf(const Value& v);

}  // namespace bulwark::cel::internal

#endif  // BULWARK_POLICY_CEL_INTERNAL_FUNCTIONS_H_
