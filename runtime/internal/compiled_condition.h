// A Falco condition compiled for evaluation: macros inlined, list names replaced by their items,
// fields bound, literals parsed (numbers, CIDR networks, RE2 patterns, hex byte strings). The
// tree is immutable after Compile(); Evaluate() is const and safe from many threads.
//   BULWARK_ASSIGN_OR_RETURN(Node root, compiler.Compile(*ast));
//   bool hit = root.Evaluate(context);
#ifndef BULWARK_RUNTIME_INTERNAL_COMPILED_CONDITION_H_
#define BULWARK_RUNTIME_INTERNAL_COMPILED_CONDITION_H_

#include <bitset>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "bulwark/runtime/internal/condition_ast.h"
#include "bulwark/runtime/internal/fields.h"

namespace bulwark::runtime::internal {

// Event types a condition can match; all bits set means "every event type".
using EventTypeSet = std::bitset<256>;

struct Comparison;

class Node {
 public:
  enum class Kind { kAnd, kOr, kNot, kCompare };
  Node();
  ~Node();
  Node(const Node&);
  Node& operator=(const Node&);
  Node(Node&&) noexcept;
  Node& operator=(Node&&) noexcept;

  bool Evaluate(ExtractContext& context) const {
    if (memo_slot >= 0 && context.memo() != nullptr) {
      if (std::optional<bool> cached = context.memo()->Find(memo_slot)) return *cached;
      bool result = EvaluateUncached(context);
      context.memo()->Store(memo_slot, result);
      return result;
    }
    return EvaluateUncached(context);
  }
  bool EvaluateUncached(ExtractContext& context) const;
  // The event types this node can match (Falco's evttype resolution, with De Morgan under not).
  EventTypeSet EventTypes(bool inverted = false) const;

  Kind kind = Kind::kCompare;
  // >= 0 when this node is an inlined macro whose result is cached per event (MacroMemo).
  int memo_slot = -1;
  std::vector<Node> children;
  std::shared_ptr<const Comparison> comparison;  // Shared by specialised copies.
};

// `node` for events of one type only: evt.type comparisons become constants and are folded away.
// Returns nullopt when the node can never match that type; a node with no children of kind
// kAnd when it always matches.
std::optional<Node> SpecializeForEventType(const Node& node, int event_type);

// A text equal for two nodes exactly when they test the same thing (memo slots ignored), e.g.
// for `open_write` and a differently named macro with the same condition.
std::string StructuralKey(const Node& node);

// A necessary condition of a node: it can only hold when some value of `field` starts with one
// of `prefixes` (from `=`, `in`, `startswith`, `bstartswith`, `pmatch`, and the literal head of a
// `glob`; through `and`, and through `or` when every branch constrains the same field).
struct PrefixRequirement {
  BoundField field;
  std::string field_key;              // Equal for the same field with the same transformers.
  std::vector<std::string> prefixes;  // Non-empty, none of them empty.
};
std::optional<PrefixRequirement> RequiredPrefixes(const Node& node);

// How the compiler resolves names. Lists map to their already expanded items; macros to their
// parsed syntax tree. Borrowed for the duration of Compile().
struct CompileScope {
  const absl::flat_hash_map<std::string, std::vector<std::string>>* lists = nullptr;
  const absl::flat_hash_map<std::string, const Expr*>* macros = nullptr;
  // Memo slot of each macro; macros absent here (or a null map) are not memoised.
  const absl::flat_hash_map<std::string, int>* macro_slots = nullptr;
  // Called with each macro and list name the condition uses.
  std::function<void(const std::string&)> on_macro_used;
  std::function<void(const std::string&)> on_list_used;
};

// What went wrong while compiling: Falco's error class and message.
struct CompileError {
  enum class Kind { kSyntax, kUndefinedMacro, kMacroLoop, kUnknownField, kBadValue };
  Kind kind;
  std::string message;
};

// Compiles `expr`. Errors name what was wrong (Falco's wording where tests check it):
// "Undefined macro 'x' used in filter.", "reference loop in macro 'x'",
// "filter_check called with nonexistent field f", "unknown event type t".
absl::StatusOr<Node> CompileCondition(const Expr& expr, const CompileScope& scope,
                                      CompileError* error);

// Builds a comparison node for exception items: `field op values` with values already decided
// (a list for in/intersects/pmatch, one value otherwise).
absl::StatusOr<Node> CompileComparison(const FieldExpr& field, const std::string& op,
                                       const Operand& operand, const CompileScope& scope,
                                       CompileError* error);

}  // namespace bulwark::runtime::internal

#endif  // BULWARK_RUNTIME_INTERNAL_COMPILED_CONDITION_H_
