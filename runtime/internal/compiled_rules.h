// The evaluation form of a RuleSet: compiled rules indexed by event type, and compiled outputs.
// Immutable after construction; Engine reads it from many threads.
#ifndef BULWARK_RUNTIME_INTERNAL_COMPILED_RULES_H_
#define BULWARK_RUNTIME_INTERNAL_COMPILED_RULES_H_

#include <string>
#include <vector>

#include "bulwark/runtime/alert.pb.h"
#include "bulwark/runtime/internal/compiled_condition.h"
#include "bulwark/runtime/internal/decision_trie.h"
#include "bulwark/runtime/internal/fields.h"

namespace bulwark::runtime::internal {

// An output format: literal text and fields, in order.
struct OutputPart {
  std::string literal;
  bool is_field = false;
  BoundField field;
  size_t output_field = 0;  // Index of `field` in CompiledRule::output_fields (fields only).
};

struct CompiledRule {
  size_t definition_index = 0;  // Into RuleSet::rules().
  Node condition;
  std::vector<OutputPart> output;
  std::vector<BoundField> output_fields;  // Distinct fields of the output, in order.
};

struct CompiledRules {
  std::vector<CompiledRule> rules;  // Enabled rules in load order.
  // by_event_type[t] lists the rules that may match event type t, in load order, each with its
  // condition specialised for t (evt.type tests folded away).
  std::vector<std::vector<Candidate>> by_event_type;
  // trie_by_event_type[t]: the same candidates as a decision trie (what the engine evaluates).
  std::vector<DecisionTrie> trie_by_event_type;
  size_t macro_slots = 0;  // Size of the MacroMemo an evaluator needs (macros and conjuncts).
};

// Parses an output format ("... %proc.name %evt.arg.flags %proc.aname[2] %(user.name) ...").
// Errors: InvalidArgument "invalid formatting token <name>" for unknown fields.
absl::StatusOr<std::vector<OutputPart>> CompileOutput(absl::string_view format);

}  // namespace bulwark::runtime::internal

#endif  // BULWARK_RUNTIME_INTERNAL_COMPILED_RULES_H_
