#include "bulwark/core/internal/map_builder.h"

namespace bulwark::core::internal {

bool MapBuilder::Contains(absl::string_view key) const {
  if (entries_.size() <= kLinearScanMax) {
    for (const MapEntry& entry : entries_) {
      if (entry.key == key) return true;
    }
    return false;
  }
  return index_.contains(key);
}

bool MapBuilder::Add(std::string key, Value value) {
  if (Contains(key)) return false;
  if (entries_.size() == kLinearScanMax) {
    for (const MapEntry& entry : entries_) index_.insert(entry.key);
  }
  if (entries_.size() >= kLinearScanMax) index_.insert(key);
  entries_.push_back(MapEntry{std::move(key), std::move(value)});
  return true;
}

}  // namespace bulwark::core::internal
