#include "bulwark/image/layer_entry.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/image/internal/entry_path.h"

namespace bulwark::image {
absl::string_view EntryTypeName(EntryType type) {
  switch (type) {
    case EntryType::kRegular:
      return "regular";
    case EntryType::kDirectory:
      return "directory";
    case EntryType::kSymlink:
      return "symlink";
    case EntryType::kHardlink:
      return "hardlink";
    case EntryType::kCharDevice:
      return "char-device";
    case EntryType::kBlockDevice:
      return "block-device";
    case EntryType::kFifo:
      return "fifo";
    case EntryType::kOther:
      return "other";
  }
  return "other";
}

bool LayerEntry::IsWhiteout() const {
  return absl::StartsWith(internal::PathBaseName(path), kWhiteoutPrefix) && !IsOpaqueWhiteout();
}

bool LayerEntry::IsOpaqueWhiteout() const {
  return internal::PathBaseName(path) == kOpaqueWhiteoutName;
}

std::string LayerEntry::WhiteoutTarget() const {
  absl::string_view base = internal::PathBaseName(path);
  absl::string_view directory =
      absl::string_view(path).substr(0, path.size() - base.size());  // Keeps the trailing "/".
  return absl::StrCat(directory, base.substr(kWhiteoutPrefix.size()));
}

}  // namespace bulwark::image
