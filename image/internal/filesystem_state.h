// What a MergedFilesystem holds, shared by the builder (filesystem_builder.cc) and the queries
// (filesystem.cc).
// Thread safety: immutable once FilesystemBuilder::Finish has returned it.
#ifndef BULWARK_IMAGE_INTERNAL_FILESYSTEM_STATE_H_
#define BULWARK_IMAGE_INTERNAL_FILESYSTEM_STATE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "bulwark/image/filesystem.h"
#include "bulwark/image/internal/path_tree.h"

namespace bulwark::image::internal {

// One DeletedFile: 56 bytes, its path is the node's.
struct DeletedRecord {
  EntryRecord record;
  uint32_t node = kNoNode;
  uint32_t hidden_by_layer = 0;
  HiddenBy hidden_by = HiddenBy::kWhiteout;
};

struct FilesystemState {
  PathTree tree;
  std::vector<DeletedRecord> deleted;  // In the order the entries were hidden.
  std::vector<BrokenHardlink> broken_hardlinks;
  size_t size = 0;  // Present nodes, the root excluded.
};

}  // namespace bulwark::image::internal

#endif  // BULWARK_IMAGE_INTERNAL_FILESYSTEM_STATE_H_
