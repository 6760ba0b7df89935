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

  // Lays the edges out for the lookups (call once, after the last At): a node with one child
  // keeps its character, a node with more gets a 256-entry table of children by character.
  void Freeze() {
    for (size_t i = 0; i < nodes_.size(); ++i) {
      const std::vector<std::pair<char, uint32_t>>& edges = building_[i];
      CharNode& node = nodes_[i];
      if (edges.size() == 1) {
        node.only_child = static_cast<unsigned char>(edges[0].first);
        node.child = edges[0].second;
      } else if (edges.size() > 1) {
        node.child = static_cast<uint32_t>(tables_.size());
        node.has_table = true;
        tables_.resize(tables_.size() + 256, 0);
        for (const auto& [ch, child] : edges) {
          tables_[node.child + static_cast<unsigned char>(ch)] = child;
        }
      }
    }
    building_ = {};
  }

  // Whether some indexed prefix is a prefix of `value`. Frozen indexes only.
  bool HasPrefixOf(absl::string_view value) const {
    if (nodes_[0].payload >= 0) return true;
    uint32_t at = 0;
    for (char ch : value) {
      at = Find(at, ch);
      if (at == 0) return false;
      if (nodes_[at].payload >= 0) return true;
    }
    return false;
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
    // With one child: that child. With more: where the node's table starts in tables_.
    uint32_t child = 0;
    int32_t payload = -1;     // Into payloads_ when a prefix ends here.
    int16_t only_child = -1;  // The character of the only child, if there is exactly one.
    bool has_table = false;
  };
  // The child of `at` along `ch`, or 0 (the root is nobody's child).
  uint32_t Find(uint32_t at, char ch) const {
    const CharNode& node = nodes_[at];
    const unsigned char c = static_cast<unsigned char>(ch);
    if (node.only_child >= 0) return node.only_child == c ? node.child : 0;
    return node.has_table ? tables_[node.child + c] : 0;
  }

  std::vector<CharNode> nodes_{1};
  std::vector<std::vector<std::pair<char, uint32_t>>> building_{1};  // Edges until Freeze().
  std::vector<uint32_t> tables_;  // 256 children (0: none) per node with several.
  std::vector<Payload> payloads_;
};

}  // namespace bulwark::runtime::internal

#endif  // BULWARK_RUNTIME_INTERNAL_PREFIX_INDEX_H_
