// A character trie of text prefixes, each with a payload (e.g. a bit set of the rules or the
// alternatives that require the prefix), for finding every indexed prefix of a value in one walk.
//   PrefixIndex<uint64_t> index;
//   index.At("/etc/") |= 1;                                   // while building
//   index.Freeze();
//   index.ForEachPrefixOf("/etc/shadow", [&](uint64_t bits) { found |= bits; });
// Thread safety: immutable after Freeze(); ForEachPrefixOf() is const and safe from many threads.
#ifndef BULWARK_RUNTIME_INTERNAL_PREFIX_INDEX_H_
#define BULWARK_RUNTIME_INTERNAL_PREFIX_INDEX_H_

#include <algorithm>
#include <bit>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace bulwark::runtime::internal {

template <typename Payload>
class PrefixIndex {
 public:
  // The payload of `prefix` (value-initialised on first use). Before Freeze() only.
  Payload& At(absl::string_view prefix) {
    uint32_t at = 0;
    for (char ch : prefix) {
      uint32_t next = 0;
      for (const auto& [edge, child] : building_[at]) {
        if (edge == ch) next = child;
      }
      if (next == 0) {
        next = static_cast<uint32_t>(nodes_.size());
        building_[at].emplace_back(ch, next);
        nodes_.emplace_back();
        building_.emplace_back();
      }
      at = next;
    }
    if (nodes_[at].payload < 0) {
      nodes_[at].payload = static_cast<int32_t>(payloads_.size());
      payloads_.emplace_back();
    }
    return payloads_[nodes_[at].payload];
  }

  // Lays the edges out for the lookups (call once, after the last At): each node's children
  // sorted by character in one array, found through a 256-bit set of the characters present.
  void Freeze() {
    for (size_t i = 0; i < nodes_.size(); ++i) {
      std::vector<std::pair<char, uint32_t>>& edges = building_[i];
      std::sort(edges.begin(), edges.end(), [](const auto& a, const auto& b) {
        return static_cast<unsigned char>(a.first) < static_cast<unsigned char>(b.first);
      });
      CharNode& node = nodes_[i];
      node.first_child = static_cast<uint32_t>(children_.size());
      if (edges.size() == 1) node.only_child = static_cast<unsigned char>(edges[0].first);
      for (const auto& [ch, child] : edges) {
        const unsigned char c = static_cast<unsigned char>(ch);
        node.present[c >> 6] |= uint64_t{1} << (c & 63);
        for (int w = (c >> 6) + 1; w < 4; ++w) ++node.rank_base[w];
        children_.push_back(child);
      }
    }
    building_ = {};
  }

  // Calls `f(payload)` for every indexed prefix of `value`, shortest first. Frozen indexes only.
  template <typename F>
  void ForEachPrefixOf(absl::string_view value, F&& f) const {
    uint32_t at = 0;
    for (char ch : value) {
      at = Find(at, ch);
      if (at == 0) return;
      if (nodes_[at].payload >= 0) f(payloads_[nodes_[at].payload]);
    }
  }

 private:
  struct CharNode {
    uint64_t present[4] = {};   // Characters with a child, as bits.
    uint32_t first_child = 0;   // Into children_, which lists them ascending by character.
    int32_t payload = -1;       // Into payloads_ when a prefix ends here.
    uint8_t rank_base[4] = {};  // Children with a character below 64 * i (at most 192).
    int16_t only_child = -1;    // The character of the only child, if there is exactly one.
  };
  // The child of `at` along `ch`, or 0 (the root is nobody's child).
  uint32_t Find(uint32_t at, char ch) const {
    const CharNode& node = nodes_[at];
    const unsigned char c = static_cast<unsigned char>(ch);
    // Most nodes of a prefix trie have one child: no rank to compute (popcount is a library
    // call without -mpopcnt).
    if (node.only_child >= 0) return node.only_child == c ? children_[node.first_child] : 0;
    const int word = c >> 6;
    const uint64_t bit = uint64_t{1} << (c & 63);
    if ((node.present[word] & bit) == 0) return 0;
    const int rank = node.rank_base[word] + std::popcount(node.present[word] & (bit - 1));
    return children_[node.first_child + rank];
  }

  std::vector<CharNode> nodes_{1};
  std::vector<std::vector<std::pair<char, uint32_t>>> building_{1};  // Edges until Freeze().
  std::vector<uint32_t> children_;
  std::vector<Payload> payloads_;
};

}  // namespace bulwark::runtime::internal

#endif  // BULWARK_RUNTIME_INTERNAL_PREFIX_INDEX_H_
