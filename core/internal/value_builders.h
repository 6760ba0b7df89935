// Builders for list and map Values whose elements are collected on a scratch stack shared by a
// whole parse: nested containers push above their parent's elements, and each finished container
// moves its elements into one exactly sized vector. This avoids a vector regrowth (and the moves
// it costs) per container, which dominated JSON parsing before.
//   ValueList scratch;
//   ListBuilder list(&scratch);  list.Add(Value(1));  Value v(std::move(list).Finish());
// Thread safety: a builder and its scratch stack belong to one parse.
#ifndef BULWARK_CORE_INTERNAL_VALUE_BUILDERS_H_
#define BULWARK_CORE_INTERNAL_VALUE_BUILDERS_H_

#include <string>

#include "absl/container/flat_hash_set.h"
#include "bulwark/core/value.h"

namespace bulwark::core::internal {

// Collects one list's elements at the top of `scratch` (borrowed; must outlive the builder).
class ListBuilder {
 public:
  explicit ListBuilder(ValueList* scratch) : scratch_(scratch), base_(scratch->size()) {}
  void Add(Value value) { scratch_->push_back(std::move(value)); }
  // Moves the elements out of `scratch`.
  ValueList Finish() &&;

 private:
  ValueList* scratch_;
  size_t base_;
};

// Collects one map's entries at the top of `scratch` (borrowed; must outlive the builder),
// rejecting duplicate keys in time linear in the number of entries.
class MapBuilder {
 public:
  explicit MapBuilder(ValueMap* scratch) : scratch_(scratch), base_(scratch->size()) {}
  // Adds an entry; returns false (and adds nothing) when `key` is already present.
  bool Add(std::string key, Value value);
  bool Contains(absl::string_view key) const;
  // Moves the entries out of `scratch`, in insertion order.
  ValueMap Finish() &&;

 private:
  // Small maps are scanned; past this size a hash set of the keys answers.
  static constexpr size_t kLinearScanMax = 16;
  size_t size() const { return scratch_->size() - base_; }

  ValueMap* scratch_;
  size_t base_;
  absl::flat_hash_set<std::string> index_;
};

}  // namespace bulwark::core::internal

#endif  // BULWARK_CORE_INTERNAL_VALUE_BUILDERS_H_
