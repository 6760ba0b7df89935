// Condition trees (and/or/not/comparisons with memo slots) laid out as one flat array of
// type-specialised instructions, which is what the decision trie evaluates per event: no
// recursion through Node -> Comparison, short-circuits as jumps, and the common comparison
// shapes (a number against constants, text in a set, text operators, IP networks) as their own
// instructions; anything else calls Comparison::Evaluate. Results equal Node::Evaluate's
// (//runtime:decision_trie_test compares them event by event).
//   TestProgram program;
//   TestProgram::Range range = program.Add(node);   // at load time
//   bool holds = program.Run(range, context);       // per event
// Thread safety: immutable after the last Add(); Run() is const and safe from many threads (each
// with its own ExtractContext).
#ifndef BULWARK_RUNTIME_INTERNAL_TEST_PROGRAM_H_
#define BULWARK_RUNTIME_INTERNAL_TEST_PROGRAM_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/strings/string_view.h"
#include "bulwark/runtime/internal/comparison.h"
#include "bulwark/runtime/internal/compiled_condition.h"
#include "bulwark/runtime/internal/fields.h"

namespace bulwark::runtime::internal {

class TestProgram {
 public:
  // Instructions [begin, end) of one test.
  struct Range {
    uint32_t begin = 0;
    uint32_t end = 0;
  };

  // Appends `node` (its memo slots included) and returns where it lies.
  Range Add(const Node& node);
  // Whether the test at `range` holds for the context's event.
  bool Run(Range range, ExtractContext& context) const;

  size_t size() const { return code_.size(); }

 private:
  enum class Code : uint8_t {
    kConstant,     // acc = constant.
    kJumpIfFalse,  // Short-circuit of `and`: to target when acc is false.
    kJumpIfTrue,   // Short-circuit of `or`: to target when acc is true.
    kNot,
    kMemoLoad,   // When the slot holds this event's result: acc = it, jump to target.
    kMemoStore,  // Stores acc in the slot.
    kExists,     // The field has a value.
    kNumberOne,  // A numeric field against the one number in the instruction (op).
    kScalarOne,  // kNumberOne on a field with HasScalarNumber(): read without FieldValues.
    kNumber,     // A numeric field against numbers (=, in, !=, <, <=, >, >=).
    kTextOne,    // A text field equal to the one text in the instruction.
    kTextIn,     // A text field equal to one of the operands (=, in, intersects).
    kTextNotIn,  // A text field equal to none of the operands (!=).
    kText,       // A text field against one operator, or against merged alternatives.
    kNets,       // An address field in (or, with !=, outside) networks.
    kGeneric,    // Comparison::Evaluate.
  };
  struct Instr {
    Code code;
    bool constant = false;
    Op op = Op::kEq;
    int32_t slot = -1;    // Memo slot.
    uint32_t target = 0;  // Jump target.
    // The FieldCache id of the comparison's field when its values are cached per event, so a hit
    // needs nothing from `comparison`; -1 otherwise.
    int32_t cached_field = -1;
    int64_t number = 0;      // kNumberOne.
    absl::string_view text;  // kTextOne (owned by `comparison`).
    const Comparison* comparison = nullptr;
  };

  void Emit(const Node& node);
  void EmitBody(const Node& node);
  void EmitComparison(const std::shared_ptr<const Comparison>& comparison);
  static bool RunComparison(const Instr& instr, ExtractContext& context);

  std::vector<Instr> code_;
  std::vector<std::shared_ptr<const Comparison>> comparisons_;  // Keeps code_'s alive.
};

}  // namespace bulwark::runtime::internal

#endif  // BULWARK_RUNTIME_INTERNAL_TEST_PROGRAM_H_
