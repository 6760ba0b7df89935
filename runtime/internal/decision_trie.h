// The rules of one event type arranged as a trie over their conjuncts, so that a conjunct many
// rules start with (open_write, container, spawned_process) is evaluated once per event and a
// false one skips every rule below it without visiting them.
//   DecisionTrie trie = DecisionTrie::Build(candidates, slots);   // at load time
//   trie.Match(context, /*first_only=*/true, matches);            // per event
// A rule's condition `c1 and c2 and ... and cn` (nested ands and macros flattened) is a path
// from the root through its conjuncts, ordered cheapest first (a rough cost per comparison,
// operand, pattern and field kind; among equal costs, the conjuncts more rules have first):
// conjunction commutes, so a false cheap test spares the costly ones, and rules sharing leading
// conjuncts share trie nodes.
// A test that occurs more than once in a trie (as a conjunct on several paths or inside other
// conjuncts) gets a MacroMemo slot, so each is evaluated at most once per event.
// A prefilter reads each field that rules require a prefix of (`fd.name startswith /etc`,
// `proc.name in (shell_binaries)`, `fd.name glob /proc/*/environ`, see RequiredPrefixes) at most
// once per event, when the walk first enters a subtree holding such rules, looks its value up in
// a character trie of those prefixes, and prunes the subtrees whose every rule fails its
// requirement. A conjunct `not X` whose X has such a requirement (an exception such as
// `not (proc.name = sed and fd.name startswith /etc/sed)`) holds without being run when the
// field's value fails it: one lookup decides the long exception chains of rules like Write below
// etc. The prefilter only skips rules whose conditions are false and tests whose results it
// knows, so the result is the same as evaluating every rule in order.
// Thread safety: immutable after Build(); Match() is const and safe from many threads (each with
// its own ExtractContext).
#ifndef BULWARK_RUNTIME_INTERNAL_DECISION_TRIE_H_
#define BULWARK_RUNTIME_INTERNAL_DECISION_TRIE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/container/flat_hash_map.h"
#include "bulwark/runtime/internal/compiled_condition.h"
#include "bulwark/runtime/internal/fields.h"
#include "bulwark/runtime/internal/prefix_index.h"
#include "bulwark/runtime/internal/test_program.h"

namespace bulwark::runtime::internal {

// A rule that may match one event type, with its condition specialised for that type.
struct Candidate {
  size_t rule;  // Index into CompiledRules::rules.
  Node condition;
};

// Memo slots for conjuncts, keyed by their structure, shared by the tries of every event type.
// Slots are numbered from `first_slot` on (after the macros' slots).
class ConjunctSlots {
 public:
  explicit ConjunctSlots(size_t first_slot) : next_(first_slot) {}
  int SlotFor(const std::string& key);
  // One past the highest slot handed out: the MacroMemo size an evaluator needs.
  size_t end() const { return next_; }

 private:
  absl::flat_hash_map<std::string, int> slots_;
  size_t next_;
};

class DecisionTrie {
 public:
  DecisionTrie() = default;
  // `candidates` must be in load order (ascending rule index).
  static DecisionTrie Build(const std::vector<Candidate>& candidates, ConjunctSlots& slots);

  // Appends the rule indices whose conditions hold for the context's event, in ascending order.
  // With `first_only`, only the lowest (Falco's rule_matching: first); rules that cannot beat it
  // are not evaluated.
  void Match(ExtractContext& context, bool first_only, std::vector<size_t>& matches) const;

  bool empty() const { return flat_.size() <= 1 && (flat_.empty() || flat_[0].rules_count == 0); }
  size_t node_count() const { return flat_.size(); }
  // Fields the prefilter reads for this event type.
  size_t prefiltered_field_count() const { return filters_.size(); }

  DecisionTrie(DecisionTrie&&) noexcept;
  DecisionTrie& operator=(DecisionTrie&&) noexcept;
  ~DecisionTrie();

 private:
  // One bit per candidate (its position in load order); candidates past the last bit share it,
  // and it is never cleared.
  static constexpr size_t kMaskBits = 256;
  // One bit per candidate position, as words the walk can test a few of at a time.
  struct Mask {
    static constexpr size_t kWords = kMaskBits / 64;
    uint64_t words[kWords] = {};

    void set(size_t bit) { words[bit / 64] |= uint64_t{1} << (bit % 64); }
    bool test(size_t bit) const { return ((words[bit / 64] >> (bit % 64)) & 1) != 0; }
    void SetAll() {
      for (uint64_t& word : words) word = ~uint64_t{0};
    }
    Mask& operator|=(const Mask& other) {
      for (size_t i = 0; i < kWords; ++i) words[i] |= other.words[i];
      return *this;
    }
    // Clears the bits set in `constrained` but not in `satisfied`.
    void ClearUnsatisfied(const Mask& constrained, const Mask& satisfied) {
      for (size_t i = 0; i < kWords; ++i) words[i] &= ~(constrained.words[i] & ~satisfied.words[i]);
    }
  };
  // A negated conjunct `not X` with a prefix requirement on X: its bit in the negation space of
  // the field's index, and the filter that reads the field.
  struct NegationSkip {
    int bit = -1;
    uint32_t filter = 0;
  };
  // A trie node while building.
  struct TrieNode {
    Node test;                       // The conjunct; unused at the root.
    NegationSkip skip;               // When the conjunct is a skippable negation.
    size_t min_rule = SIZE_MAX;      // Lowest rule index in this subtree.
    Mask subtree;                    // Candidates whose path goes through this node.
    uint64_t filters = 0;            // FilterBit()s of the requirements of those candidates.
    std::vector<size_t> rules;       // Rules whose last conjunct is this node (ascending).
    std::vector<uint32_t> children;  // Ascending by min_rule.
  };
  // A node as Match() walks it: the trie in depth-first order (children ascending by min_rule),
  // so the walk reads nodes front to back and skips a subtree by jumping to its end.
  struct FlatNode {
    Mask subtree;
    // The words of `subtree` that may be nonzero: a subtree's candidates are near each other in
    // load order, so the walk's check of them usually reads one word.
    uint8_t first_word = 0;
    uint8_t last_word = 0;
    uint64_t filters = 0;
    size_t min_rule = SIZE_MAX;
    uint32_t end = 0;         // One past the last node of this subtree.
    uint32_t parent_end = 0;  // One past the last node of the parent's subtree.
    TestProgram::Range test;
    NegationSkip skip;
    uint32_t rules_begin = 0;  // Into rules_.
    uint32_t rules_count = 0;
  };
  // The candidates and the negated conjuncts that require a prefix.
  struct PrefixMasks {
    Mask candidates;
    Mask negations;
  };
  struct FieldFilter {
    BoundField field;
    Mask constrained;  // Candidates with a requirement on this field.
    std::unique_ptr<PrefixIndex<PrefixMasks>> index;
  };
  // Filter i's bit in TrieNode::filters; filters past the last bit share it.
  static uint64_t FilterBit(size_t filter) { return uint64_t{1} << std::min<size_t>(filter, 63); }
  // What the prefilter knows for the current event: candidates not yet ruled out, and which
  // filters were read.
  struct PrefilterState {
    Mask allowed;
    Mask negations_met;  // Negation bits whose requirement holds (their test must run).
    uint64_t computed = 0;
  };
  // Whether some candidate in the node's subtree is still allowed.
  static bool AnyAllowed(const FlatNode& node, const Mask& allowed) {
    for (size_t w = node.first_word; w <= node.last_word; ++w) {
      if ((node.subtree.words[w] & allowed.words[w]) != 0) return true;
    }
    return false;
  }
  // Whether the node's test holds: known without running it when it is a negation whose
  // requirement fails.
  // Inlined into Match, its only caller: it runs for every node the walk visits.
  ABSL_ATTRIBUTE_ALWAYS_INLINE bool TestHolds(const FlatNode& node, ExtractContext& context,
                                              PrefilterState& prefilter) const;
  // The filter reading `requirement`'s field, created on first use.
  size_t FilterFor(const PrefixRequirement& requirement,
                   absl::flat_hash_map<std::string, size_t>& filter_of_field);
  // Reads the filters in `needed` and clears the candidates whose requirements fail.
  void Prefilter(uint64_t needed, ExtractContext& context, PrefilterState& state) const;
  // Appends nodes[index]'s subtree to flat_ in depth-first order (parent_end still unset).
  void AppendDepthFirst(const std::vector<TrieNode>& nodes, uint32_t index);

  std::vector<FlatNode> flat_;  // flat_[0] is the root.
  std::vector<size_t> rules_;
  TestProgram program_;
  std::vector<FieldFilter> filters_;
};

}  // namespace bulwark::runtime::internal

#endif  // BULWARK_RUNTIME_INTERNAL_DECISION_TRIE_H_
