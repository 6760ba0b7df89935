// Builds a ValueMap while rejecting duplicate keys in time linear in the number of entries.
#ifndef BULWARK_CORE_INTERNAL_MAP_BUILDER_H_
#define BULWARK_CORE_INTERNAL_MAP_BUILDER_H_

#include <string>

#include "absl/container/flat_hash_set.h"
#include "bulwark/core/value.h"

namespace bulwark::core::internal {

class MapBuilder {
 public:
  // Adds an entry; returns false (and adds nothing) when `key` is already present.
  bool Add(std::string key, Value value);
  bool Contains(absl::string_view key) const;
  ValueMap Finish() && { return std::move(entries_); }

 private:
  // Small maps are scanned; past this size a hash set of the keys answers.
  static constexpr size_t kLinearScanMax = 16;
  ValueMap entries_;
  absl::flat_hash_set<std::string> index_;
};

}  // namespace bulwark::core::internal

#endif  // BULWARK_CORE_INTERNAL_MAP_BUILDER_H_
