#include "bulwark/core/internal/value_builders.h"

#include <iterator>

namespace bulwark::core::internal {

ValueList ListBuilder::Finish() && {
  auto first = scratch_->begin() + base_;
  ValueList elements(std::make_move_iterator(first), std::make_move_iterator(scratch_->end()));
  scratch_->erase(first, scratch_->end());
  return elements;
}

bool MapBuilder::Contains(absl::string_view key) const {
  if (size() <= kLinearScanMax) {
    for (size_t i = base_; i < scratch_->size(); ++i) {
      if ((*scratch_)[i].key == key) return true;
    }
    return false;
  }
  return index_.contains(key);
}

bool MapBuilder::Add(std::string key, Value value) {
  if (Contains(key)) return false;
  if (size() == kLinearScanMax) {
    for (size_t i = base_; i < scratch_->size(); ++i) index_.insert((*scratch_)[i].key);
  }
  if (size() >= kLinearScanMax) index_.insert(key);
  scratch_->push_back(MapEntry{std::move(key), std::move(value)});
  return true;
}

ValueMap MapBuilder::Finish() && {
  auto first = scratch_->begin() + base_;
  ValueMap entries(std::make_move_iterator(first), std::make_move_iterator(scratch_->end()));
  scratch_->erase(first, scratch_->end());
  return entries;
}

}  // namespace bulwark::core::internal
