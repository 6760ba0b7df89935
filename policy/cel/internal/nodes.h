// The planned form of a CEL expression: a tree of evaluation nodes with names, functions,
// message types and variable slots resolved at compile time. Evaluation is a const walk that
// keeps all per-call state in the EvalContext.
// Internal. Thread safety: nodes are immutable after planning.
#ifndef BULWARK_POLICY_CEL_INTERNAL_NODES_H_
#define BULWARK_POLICY_CEL_INTERNAL_NODES_H_

#include <memory>
#include <string>
#include <vector>

#include "bulwark/policy/cel/internal/eval_context.h"
#include "bulwark/policy/cel/internal/functions.h"
#include "bulwark/policy/cel/value.h"
#include "google/protobuf/descriptor.h"

namespace bulwark::cel::internal {

// The outcome of evaluating a node for a boolean consumer.
enum class Truth : uint8_t { kFalse, kTrue, kOther };

class Node {
 public:
  virtual ~Node() = default;
  virtual Value Eval(EvalContext& ctx) const = 0;
  // Evaluates into `scratch` and returns it, or returns a reference to a value the node already
  // holds (constants, variable slots) without copying.
  virtual const Value& EvalRef(EvalContext& ctx, Value& scratch) const {
    scratch = Eval(ctx);
    return scratch;
  }
  // Evaluates for a boolean consumer (&&, ||, !, == with a bool constant, all/exists): kTrue or
  // kFalse for a bool result, which logical nodes and document selections produce without
  // building a Value; otherwise kOther with the result (error, unknown, non-bool) in `other`.
  virtual Truth EvalTruth(EvalContext& ctx, Value& other) const {
    other = Eval(ctx);
    return TruthOf(other);
  }

 protected:
  static Truth TruthOf(const Value& v) {
    if (!v.is_bool()) return Truth::kOther;
    return v.bool_value() ? Truth::kTrue : Truth::kFalse;
  }
  static Truth TruthOf(bool b) { return b ? Truth::kTrue : Truth::kFalse; }
  // Eval() and EvalRef() for nodes that implement EvalTruth().
  Value EvalViaTruth(EvalContext& ctx) const {
    Value other;
    Truth truth = EvalTruth(ctx, other);
    if (truth == Truth::kOther) return other;
    return Value::Bool(truth == Truth::kTrue);
  }
  const Value& EvalRefViaTruth(EvalContext& ctx, Value& scratch) const {
    Truth truth = EvalTruth(ctx, scratch);
    if (truth != Truth::kOther) scratch = Value::Bool(truth == Truth::kTrue);
    return scratch;
  }
};

using NodePtr = std::unique_ptr<const Node>;

NodePtr MakeConstant(Value v);
NodePtr MakeSlot(size_t slot);
// Looks `name` up in the activation; an error value when unbound.
NodePtr MakeVariable(std::string name);
NodePtr MakeError(std::string message);
// `operand.fields[0].fields[1]...`; with `test_only`, has() of the last field.
NodePtr MakeSelect(NodePtr operand, std::vector<std::string> fields, bool test_only);
NodePtr MakeOptionalSelect(NodePtr operand, std::string field);
NodePtr MakeIndex(NodePtr operand, NodePtr index, bool optional);
NodePtr MakeCall(const FunctionDef* function, std::vector<NodePtr> args);
NodePtr MakeAnd(NodePtr left, NodePtr right);
NodePtr MakeOr(NodePtr left, NodePtr right);
NodePtr MakeNot(NodePtr operand);
// `operand == constant` (or != when `negate`): CEL equality without a function call.
NodePtr MakeEqualsConstant(NodePtr operand, Value constant, bool negate);
NodePtr MakeNotStrictlyFalse(NodePtr operand);
NodePtr MakeConditional(NodePtr condition, NodePtr yes, NodePtr no);
NodePtr MakeList(std::vector<NodePtr> elements, std::vector<bool> optional);
NodePtr MakeMap(std::vector<NodePtr> keys, std::vector<NodePtr> values, std::vector<bool> optional);
NodePtr MakeStruct(const google::protobuf::Descriptor* type, std::vector<std::string> fields,
                   std::vector<NodePtr> values, std::vector<bool> optional);

struct ComprehensionSlots {
  size_t iter = 0;
  size_t iter2 = 0;  // == iter when there is no second variable
  size_t accu = 0;
  bool two_vars = false;
};

// The general comprehension (cel-spec semantics).
NodePtr MakeComprehension(ComprehensionSlots slots, NodePtr range, NodePtr init, NodePtr condition,
                          NodePtr step, NodePtr result);
// all()/exists() with short-circuit and error absorption, without the accumulator round trip.
NodePtr MakeQuantifier(bool all, ComprehensionSlots slots, NodePtr range, NodePtr predicate);
// map()/filter(): appends into one list (linear, not quadratic). `predicate` may be null (map),
// `transform` may be null (filter: the element itself). With `to_map` (transformMap) the result
// is a map from the first iteration variable to the transformed value.
NodePtr MakeMapFilter(ComprehensionSlots slots, NodePtr range, NodePtr predicate, NodePtr transform,
                      bool to_map = false);
// cel.bind(var, init, result).
NodePtr MakeBind(size_t slot, NodePtr init, NodePtr result);
// cel.block([e0, e1, ...], result) with @indexN in slots[N].
NodePtr MakeBlock(std::vector<size_t> slots, std::vector<NodePtr> bindings, NodePtr result);
// optMap/optFlatMap: `target.hasValue() ? wrap(bind(var, target.value(), expr)) : none`.
NodePtr MakeOptionalMap(size_t slot, NodePtr target, NodePtr expr, bool flat);

}  // namespace bulwark::cel::internal

#endif  // BULWARK_POLICY_CEL_INTERNAL_NODES_H_
