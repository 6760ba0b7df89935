// Compile and evaluate Common Expression Language (CEL) expressions.
//   cel::Env env;
//   env.DeclareVariable("object");
//   BULWARK_ASSIGN_OR_RETURN(auto program, cel::Compile("object.spec.replicas > 2", env));
//   cel::Activation activation;
//   activation.BindDocument("object", pod);           // core::Value, borrowed for the call
//   BULWARK_ASSIGN_OR_RETURN(cel::Value result, program->Evaluate(activation));
// Thread safety: a Program is immutable; Evaluate is const and may run concurrently from any
// number of threads, each with its own Activation.
#ifndef BULWARK_POLICY_CEL_CEL_H_
#define BULWARK_POLICY_CEL_CEL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/value.h"
#include "bulwark/policy/cel/activation.h"
#include "bulwark/policy/cel/parser.h"
#include "bulwark/policy/cel/types.h"
#include "bulwark/policy/cel/value.h"

namespace google::protobuf {
class DescriptorPool;
class Message;
class MessageFactory;
}  // namespace google::protobuf

namespace bulwark::cel {

class FunctionLibrary;

// Bounds on one evaluation, so that a hostile expression cannot hang or exhaust memory.
struct RuntimeLimits {
  // Cost units one evaluation may spend (about one per operation, plus one per ten bytes or
  // elements that string and list operations touch). Default: 1,000,000 (Kubernetes' per-call
  // limit for CEL in admission; its per-validation budget is 10,000,000).
  uint64_t cost_budget = 1'000'000;
  // Elements of a list or map, or bytes of a string, that one operation may create; also the
  // size the cost estimate assumes for values of unknown size. Default: 1,000,000.
  uint64_t max_collection_size = 1'000'000;
  // Compile fails (ResourceExhausted) when the estimated maximum cost exceeds this; 0 turns the
  // check off. Kubernetes' value is kKubernetesStaticEstimatedCostLimit. Default: 0.
  uint64_t max_estimated_cost = 0;
};

// One signature of a declared function. Type parameters are Type::Param types appearing in
// `params`/`result`; they are instantiated afresh at each call.
struct Overload {
  std::string id;            // unique name, e.g. "fn_string_int"
  std::vector<Type> params;  // receiver first for member overloads
  Type result;
  bool member = false;  // called as `receiver.name(args)`
};

// Kubernetes' CEL cost limits (k8s.io/apiserver/pkg/apis/cel/config.go).
inline constexpr uint64_t kKubernetesPerCallLimit = 1'000'000;
inline constexpr uint64_t kKubernetesRuntimeCostBudget = 10'000'000;
inline constexpr uint64_t kKubernetesStaticEstimatedCostLimit = 10'000'000;

// Compile-time bounds of an expression's runtime cost, in the units of RuntimeLimits.
struct CostEstimate {
  uint64_t min = 0;
  uint64_t max = 0;
};

// What expressions may reference. Built by the caller, read by Compile (not retained).
struct Env {
  // Declares a variable (names may be qualified, "a.b.c"); values come from the Activation.
  // Untyped variables are `dyn` to the type checker.
  Env& DeclareVariable(std::string name) {
    variables.insert(std::move(name));
    return *this;
  }
  // Declares a variable with its type and turns type checking on.
  Env& DeclareVariable(std::string name, Type type) {
    variables.insert(name);
    variable_types[std::move(name)] = std::move(type);
    type_check = true;
    return *this;
  }
  // Declares (more overloads of) a function for the type checker and turns type checking on.
  // Functions the runtime does not implement are only usable with Check().
  Env& DeclareFunction(std::string name, std::vector<Overload> overloads) {
    std::vector<Overload>& all = functions[std::move(name)];
    for (Overload& o : overloads) all.push_back(std::move(o));
    type_check = true;
    return *this;
  }

  absl::flat_hash_set<std::string> variables;
  absl::flat_hash_map<std::string, Type> variable_types;
  absl::flat_hash_map<std::string, std::vector<Overload>> functions;
  // Type-check expressions in Compile (check errors become compile errors). Default: false,
  // set by the typed Declare* calls.
  bool type_check = false;
  // Namespace for resolving names (cel-spec "container"), e.g. "google.protobuf". Default: "".
  std::string container;
  // Reference unknown identifiers and functions without a compile error (they fail when
  // evaluated). Default: false.
  bool allow_undeclared = false;
  // Where message types for construction, Any and type names come from. Borrowed; must outlive
  // every Program compiled with this Env. Default: the generated pool and factory.
  const google::protobuf::DescriptorPool* descriptor_pool = nullptr;
  google::protobuf::MessageFactory* message_factory = nullptr;
  // Functions beyond the engine's own (see function_library.h). Borrowed; must outlive every
  // Program compiled with this Env. Default: nullptr (the engine's functions only).
  const FunctionLibrary* function_library = nullptr;
  ParseOptions parse_options;
  RuntimeLimits limits;
};

namespace internal {
class Node;
struct TypeProvider;
}  // namespace internal

// Details of one evaluation.
struct EvalDetails {
  // Output: cost units spent.
  uint64_t actual_cost = 0;
  // Input: when non-zero, the budget for this call instead of RuntimeLimits::cost_budget (so a
  // policy can share one per-evaluation budget, e.g. kKubernetesRuntimeCostBudget, across its
  // expressions by passing what is left).
  uint64_t cost_budget = 0;
};

// A compiled expression. Immutable; share it across threads (see file comment).
class Program {
 public:
  ~Program();
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;

  // Evaluates with `activation`. The result owns its data unless it came straight from a
  // borrowed binding. Errors: InvalidArgument for CEL runtime errors (no such key, overflow,
  // division by zero, ...), ResourceExhausted when RuntimeLimits are exceeded.
  absl::StatusOr<Value> Evaluate(const Activation& activation,
                                 EvalDetails* details = nullptr) const;

  // Evaluates to a CEL value, runtime errors included as error values (kError), for callers
  // that inspect CEL error semantics (conformance tests).
  Value EvaluateToValue(const Activation& activation, EvalDetails* details = nullptr) const;

  const std::string& source() const { return source_; }
  // The type the checker deduced for the result; dyn when the program was not type-checked.
  const Type& result_type() const { return result_type_; }
  // The compile-time cost estimate (see EstimateCost).
  const CostEstimate& estimated_cost() const { return estimated_cost_; }

 private:
  friend absl::StatusOr<std::shared_ptr<const Program>> Compile(absl::string_view, const Env&);
  Program() = default;

  std::string source_;
  Type result_type_;
  CostEstimate estimated_cost_;
  std::unique_ptr<internal::TypeProvider> types_;
  std::unique_ptr<const internal::Node> root_;
  size_t slot_count_ = 0;
  RuntimeLimits limits_;
};

// Parses, type-checks (when env.type_check) and plans `source` against `env`. Errors:
// InvalidArgument with "ERROR: <input>:LINE:COLUMN: message" blocks and a caret excerpt (syntax
// errors, check errors such as "found no matching overload", undeclared references, unknown
// functions or types, malformed macros); ResourceExhausted when the source exceeds
// env.parse_options.
absl::StatusOr<std::shared_ptr<const Program>> Compile(absl::string_view source,
                                                       const Env& env = {});

// Parses and type-checks `source` against `env` (whatever env.type_check says) and returns the
// deduced type of the result, without planning: functions need only be declared. Errors as
// Compile.
absl::StatusOr<Type> Check(absl::string_view source, const Env& env = {});

// Parses `source` and estimates the bounds of its runtime cost: every value whose size is not
// known at compile time is assumed to be as large as env.limits.max_collection_size, so the
// maximum is an upper bound of EvalDetails::actual_cost. Errors: as Parse.
absl::StatusOr<CostEstimate> EstimateCost(absl::string_view source, const Env& env = {});

}  // namespace bulwark::cel

#endif  // BULWARK_POLICY_CEL_CEL_H_
