#include "bulwark/runtime/internal/decision_trie.h"

#include <algorithm>
#include <bit>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace bulwark::runtime::internal {
namespace {

// The conjuncts of `node`: nested ands (inlined macros included) flattened in evaluation order.
// An empty and (always true) contributes none.
void Flatten(const Node& node, std::vector<const Node*>& out) {
  if (node.kind == Node::Kind::kAnd) {
    for (const Node& child : node.children) Flatten(child, out);
    return;
  }
  out.push_back(&node);
}

// A rough relative cost of evaluating `node` once: one per comparison and operand, more for
// fields that follow the parent chain or render text and for patterns.
int EstimatedCost(const Node& node) {
  if (node.kind != Node::Kind::kCompare) {
    int cost = 0;
    for (const Node& child : node.children) cost += EstimatedCost(child);
    return cost;
  }
  const Comparison& c = *node.comparison;
  if (!c.alternatives.empty()) {
    int cost = 0;
    for (const auto& alternative : c.alternatives) {
      Node leaf;
      leaf.comparison = alternative;
      cost += EstimatedCost(leaf);
    }
    return cost;
  }
  int cost = 1;
  if (c.field.has_arg || !c.field.transformers.empty()) cost += 3;
  const absl::string_view field = c.field.name;
  if (absl::StartsWith(field, "proc.a") || absl::StartsWith(field, "evt.arg") ||
      absl::StartsWith(field, "proc.env")) {
    cost += 3;
  }
  switch (c.op) {
    case Op::kEq:
    case Op::kIn:
    case Op::kIntersects:
    case Op::kNe:
    case Op::kExists:
      break;
    case Op::kGlob:
    case Op::kIGlob:
    case Op::kRegex:
    case Op::kIContains:
      cost += 3;
      break;
    default:
      cost +=
          static_cast<int>(std::max<size_t>(c.strings.size(), 1)) - 1 + (c.nets.empty() ? 0 : 2);
      break;
  }
  return cost;
}

// Every node of `node`'s tree with its structural key.
void CollectSubtests(Node& node, std::vector<std::pair<Node*, std::string>>& out) {
  out.emplace_back(&node, StructuralKey(node));
  for (Node& child : node.children) CollectSubtests(child, out);
}

}  // namespace

DecisionTrie::DecisionTrie(DecisionTrie&&) noexcept = default;
DecisionTrie& DecisionTrie::operator=(DecisionTrie&&) noexcept = default;
DecisionTrie::~DecisionTrie() = default;

int ConjunctSlots::SlotFor(const std::string& key) {
  auto [it, inserted] = slots_.try_emplace(key, static_cast<int>(next_));
  if (inserted) ++next_;
  return it->second;
}

DecisionTrie DecisionTrie::Build(const std::vector<Candidate>& candidates, ConjunctSlots& slots) {
  DecisionTrie trie;
  std::vector<TrieNode> nodes(1);
  std::vector<std::string> keys(1);  // Per node.
  // (parent node, conjunct key) -> child node.
  absl::flat_hash_map<std::pair<uint32_t, std::string>, uint32_t> edges;
  absl::flat_hash_map<std::string, size_t> filter_of_field;
  std::vector<const Node*> conjuncts;
  // Negated conjuncts with a prefix requirement: (node, requirement), and how many per field.
  std::vector<std::pair<uint32_t, PrefixRequirement>> negations;
  absl::flat_hash_map<std::string, int> negations_per_field;
  // How many candidates have each conjunct.
  absl::flat_hash_map<std::string, int> conjunct_uses;
  for (const Candidate& candidate : candidates) {
    conjuncts.clear();
    Flatten(candidate.condition, conjuncts);
    for (const Node* conjunct : conjuncts) ++conjunct_uses[StructuralKey(*conjunct)];
  }
  for (size_t position = 0; position < candidates.size(); ++position) {
    const Candidate& candidate = candidates[position];
    const size_t bit = std::min(position, kMaskBits - 1);
    conjuncts.clear();
    Flatten(candidate.condition, conjuncts);
    // Conjunction commutes (conditions have no side effects), so the cheapest conjuncts run
    // first and a false one spares the costly ones after it; among equally cheap ones, those more
    // rules share come first, so that the rules share trie nodes.
    struct Ranked {
      const Node* conjunct;
      int cost;
      int uses;
    };
    std::vector<Ranked> ranked;
    for (const Node* conjunct : conjuncts) {
      ranked.push_back(
          {conjunct, EstimatedCost(*conjunct), conjunct_uses[StructuralKey(*conjunct)]});
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
      return a.cost != b.cost ? a.cost < b.cost : a.uses > b.uses;
    });
    for (size_t i = 0; i < ranked.size(); ++i) conjuncts[i] = ranked[i].conjunct;
    // Prefix requirements, at most one per field (the first conjunct's); the shared last bit is
    // never constrained.
    absl::flat_hash_map<std::string, bool> constrained_fields;
    uint64_t filter_bits = 0;
    for (const Node* conjunct : conjuncts) {
      if (bit == kMaskBits - 1) break;
      std::optional<PrefixRequirement> requirement = RequiredPrefixes(*conjunct);
      if (!requirement.has_value() ||
          !constrained_fields.emplace(requirement->field_key, true).second) {
        continue;
      }
      const size_t filter_index = trie.FilterFor(*requirement, filter_of_field);
      FieldFilter& filter = trie.filters_[filter_index];
      filter_bits |= FilterBit(filter_index);
      filter.constrained.set(bit);
      for (const std::string& prefix : requirement->prefixes) {
        filter.index->At(prefix).candidates.set(bit);
      }
    }
    uint32_t at = 0;
    nodes[0].min_rule = std::min(nodes[0].min_rule, candidate.rule);
    nodes[0].subtree.set(bit);
    nodes[0].filters |= filter_bits;
    for (const Node* conjunct : conjuncts) {
      std::string key = StructuralKey(*conjunct);
      auto [edge, inserted] =
          edges.try_emplace(std::make_pair(at, key), static_cast<uint32_t>(nodes.size()));
      if (inserted) {
        TrieNode node;
        node.test = *conjunct;
        if (conjunct->kind == Node::Kind::kNot) {
          if (std::optional<PrefixRequirement> requirement =
                  RequiredPrefixes(conjunct->children[0])) {
            ++negations_per_field[requirement->field_key];
            negations.emplace_back(static_cast<uint32_t>(nodes.size()), *std::move(requirement));
          }
        }
        nodes[at].children.push_back(edge->second);
        nodes.push_back(std::move(node));
        keys.push_back(std::move(key));
      }
      at = edge->second;
      nodes[at].min_rule = std::min(nodes[at].min_rule, candidate.rule);
      nodes[at].subtree.set(bit);
      nodes[at].filters |= filter_bits;
    }
    nodes[at].rules.push_back(candidate.rule);
  }
  // Reading a field and looking it up costs about as much as running a test or two, so a field
  // is read for negations only when it decides several of them (or candidates read it anyway).
  constexpr int kMinNegationsPerField = 4;
  size_t negation_bits = 0;
  for (auto& [node, requirement] : negations) {
    if (negation_bits == kMaskBits) break;
    if (negations_per_field[requirement.field_key] < kMinNegationsPerField &&
        !filter_of_field.contains(requirement.field_key)) {
      continue;
    }
    NegationSkip& skip = nodes[node].skip;
    skip.bit = static_cast<int>(negation_bits++);
    skip.filter = static_cast<uint32_t>(trie.FilterFor(requirement, filter_of_field));
    for (const std::string& prefix : requirement.prefixes) {
      trie.filters_[skip.filter].index->At(prefix).negations.set(skip.bit);
    }
  }
  for (FieldFilter& filter : trie.filters_) filter.index->Freeze();
  // A test found in several places (a conjunct on several paths, or inside other conjuncts:
  // `open_read` alone and within `(open_read or open_write)`, or two macros with one condition)
  // is evaluated once per event through a memo slot.
  std::vector<std::pair<Node*, std::string>> subtests;
  absl::flat_hash_map<std::string, int> occurrences;
  for (size_t i = 1; i < nodes.size(); ++i) {
    CollectSubtests(nodes[i].test, subtests);
  }
  for (const auto& [node, key] : subtests) ++occurrences[key];
  // A test found once (a macro only one rule of this event type uses) is not memoised: the walk
  // visits a node at most once per event, so its slot would only cost a load and a store.
  for (auto& [node, key] : subtests) {
    node->memo_slot = occurrences[key] > 1 ? slots.SlotFor(key) : -1;
  }
  // Children were created in load order of their first rule, so they are already ascending by
  // min_rule; keep that invariant explicit for Match's early exit.
  for (TrieNode& node : nodes) {
    std::stable_sort(node.children.begin(), node.children.end(),
                     [&](uint32_t a, uint32_t b) { return nodes[a].min_rule < nodes[b].min_rule; });
  }
  trie.AppendDepthFirst(nodes, 0);
  std::vector<uint32_t> parents(trie.flat_.size(), 0);
  for (uint32_t i = 0; i < trie.flat_.size(); ++i) {
    for (uint32_t child = i + 1; child < trie.flat_[i].end; child = trie.flat_[child].end) {
      parents[child] = i;
    }
  }
  for (uint32_t i = 1; i < trie.flat_.size(); ++i) {
    trie.flat_[i].parent_end = trie.flat_[parents[i]].end;
  }
  return trie;
}

size_t DecisionTrie::FilterFor(const PrefixRequirement& requirement,
                               absl::flat_hash_map<std::string, size_t>& filter_of_field) {
  auto [it, inserted] = filter_of_field.try_emplace(requirement.field_key, filters_.size());
  if (inserted) {
    filters_.push_back(
        FieldFilter{requirement.field, Mask(), std::make_unique<PrefixIndex<PrefixMasks>>()});
  }
  return it->second;
}

void DecisionTrie::AppendDepthFirst(const std::vector<TrieNode>& nodes, uint32_t index) {
  const TrieNode& node = nodes[index];
  const size_t at = flat_.size();
  FlatNode flat;
  flat.subtree = node.subtree;
  int first_word = -1;
  for (size_t w = 0; w < Mask::kWords; ++w) {
    if (node.subtree.words[w] == 0) continue;
    if (first_word < 0) first_word = static_cast<int>(w);
    flat.last_word = static_cast<uint8_t>(w);
  }
  flat.first_word = static_cast<uint8_t>(std::max(first_word, 0));
  flat.filters = node.filters;
  flat.min_rule = node.min_rule;
  if (index != 0) flat.test = program_.Add(node.test);
  flat.skip = node.skip;
  flat.rules_begin = static_cast<uint32_t>(rules_.size());
  flat.rules_count = static_cast<uint32_t>(node.rules.size());
  rules_.insert(rules_.end(), node.rules.begin(), node.rules.end());
  flat_.push_back(flat);
  for (uint32_t child : node.children) AppendDepthFirst(nodes, child);
  flat_[at].end = static_cast<uint32_t>(flat_.size());
}

void DecisionTrie::Prefilter(uint64_t needed, ExtractContext& context,
                             PrefilterState& state) const {
  state.computed |= needed;
  for (size_t i = 0; i < filters_.size(); ++i) {
    if ((needed & FilterBit(i)) == 0) continue;
    const FieldFilter& filter = filters_[i];
    FieldValues scratch;
    const FieldValues& values = ExtractFieldValues(filter.field, context, scratch);
    Mask satisfied;
    auto collect = [&](const PrefixMasks& masks) {
      satisfied |= masks.candidates;
      state.negations_met |= masks.negations;
    };
    for (const FieldValue& value : values) {
      if (value.is_number) {
        filter.index->ForEachPrefixOf(absl::StrCat(value.number), collect);
      } else {
        filter.index->ForEachPrefixOf(value.text, collect);
      }
    }
    state.allowed.ClearUnsatisfied(filter.constrained, satisfied);
  }
}

inline bool DecisionTrie::TestHolds(const FlatNode& node, ExtractContext& context,
                                    PrefilterState& prefilter) const {
  if (node.skip.bit >= 0) {
    const uint64_t needed = FilterBit(node.skip.filter) & ~prefilter.computed;
    if (needed != 0) Prefilter(needed, context, prefilter);
    if (!prefilter.negations_met.test(static_cast<size_t>(node.skip.bit))) return true;
  }
  return program_.Run(node.test, context);
}

void DecisionTrie::Match(ExtractContext& context, bool first_only,
                         std::vector<size_t>& matches) const {
  if (flat_.empty()) return;
  const size_t start = matches.size();
  size_t best = SIZE_MAX;
  auto record = [&](const FlatNode& node) {
    if (node.rules_count == 0) return;
    if (first_only) {
      best = std::min(best, rules_[node.rules_begin]);
    } else {
      matches.insert(matches.end(), rules_.begin() + node.rules_begin,
                     rules_.begin() + node.rules_begin + node.rules_count);
    }
  };
  PrefilterState prefilter;
  prefilter.allowed.SetAll();
  record(flat_[0]);
  // Depth-first over flat_: entering a node whose test holds moves to its first child; a pruned
  // or failed node skips its subtree.
  uint32_t i = 1;
  const uint32_t end = static_cast<uint32_t>(flat_.size());
  while (i < end) {
    const FlatNode& node = flat_[i];
    // Siblings are ascending by min_rule: none of the rest can beat the match found.
    if (first_only && node.min_rule >= best) {
      i = node.parent_end;
      continue;
    }
    // No rule below can hold when each fails its prefix requirement. The requirements already
    // read decide for free; the others are read once the node's own test holds, so a field is
    // not read for rules a false test already rules out.
    if (!AnyAllowed(node, prefilter.allowed) || !TestHolds(node, context, prefilter)) {
      i = node.end;
      continue;
    }
    if (const uint64_t needed = node.filters & ~prefilter.computed; needed != 0) {
      Prefilter(needed, context, prefilter);
      if (!AnyAllowed(node, prefilter.allowed)) {
        i = node.end;
        continue;
      }
    }
    record(node);
    ++i;
  }
  if (first_only) {
    if (best != SIZE_MAX) matches.push_back(best);
    return;
  }
  std::sort(matches.begin() + static_cast<std::ptrdiff_t>(start), matches.end());
}

}  // namespace bulwark::runtime::internal
