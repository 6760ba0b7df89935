// One entry of a layer tar as the layer walker hands it to visitors.
// Thread safety: plain value type.
#ifndef BULWARK_IMAGE_LAYER_ENTRY_H_
#define BULWARK_IMAGE_LAYER_ENTRY_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace bulwark::image {

enum class EntryType {
  kRegular,
  kDirectory,
  kSymlink,
  kHardlink,
  kCharDevice,
  kBlockDevice,
  kFifo,
  kOther,
};

// OCI whiteout names (layer.md): ".wh.<name>" hides <name> in lower layers; a directory holding
// ".wh..wh..opq" is opaque.
inline constexpr absl::string_view kWhiteoutPrefix = ".wh.";
inline constexpr absl::string_view kOpaqueWhiteoutName = ".wh..wh..opq";

// "regular", "directory", "symlink", "hardlink", "char-device", "block-device", "fifo", "other".
absl::string_view EntryTypeName(EntryType type);

struct LayerEntry {
  // Normalised path inside the image: no leading "/" or "./", no "." or ".." components, no
  // repeated or trailing "/"; "" is the root directory. Entries whose name would leave the root
  // are reported by the walker as findings and not handed to visitors.
  std::string path;
  EntryType type = EntryType::kRegular;
  uint32_t mode = 0;  // Permission bits and setuid/setgid/sticky (07777).
  uint32_t uid = 0;
  uint32_t gid = 0;
  int64_t size = 0;   // Regular files: content bytes.
  int64_t mtime = 0;  // Seconds since the epoch.
  // Symlinks: the target as written. Hardlinks: the normalised path of the linked entry.
  std::string link_target;
  uint32_t device_major = 0;
  uint32_t device_minor = 0;
  std::vector<std::pair<std::string, std::string>> xattrs;  // Name, raw value.

  // OCI whiteouts: ".wh.<name>" hides <name> from lower layers; ".wh..wh..opq" makes its
  // directory opaque.
  bool IsWhiteout() const;
  bool IsOpaqueWhiteout() const;
  // For a (non-opaque) whiteout, the path it hides.
  std::string WhiteoutTarget() const;
};

}  // namespace bulwark::image

#endif  // BULWARK_IMAGE_LAYER_ENTRY_H_
