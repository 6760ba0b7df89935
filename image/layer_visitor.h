// What a build-stage analyzer implements to receive the entries of an image's layers from the
// layer walker (image/layer_walker.h), in order, in one pass, without extraction.
//   class SetuidFinder : public LayerVisitor {
//     absl::Status OnEntry(const LayerInfo& layer, const LayerEntry& e, ContentReader*) override;
//   };
// Thread safety: the walker calls one visitor from one thread at a time, layers in order.
#ifndef BULWARK_IMAGE_LAYER_VISITOR_H_
#define BULWARK_IMAGE_LAYER_VISITOR_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/image/layer_entry.h"
#include "bulwark/image/oci.h"

namespace bulwark::image {

// The layer being walked.
struct LayerInfo {
  size_t index = 0;       // 0 = bottom layer.
  Descriptor descriptor;  // The blob as the manifest describes it.
  std::string diff_id;    // "sha256:<hex>" from the config's rootfs.diff_ids ("" if none).
};

// The content of one regular file, read once, front to back, while its entry is current.
// Reads stop at the per-file cap of the walk (core::Limits::max_file_bytes); truncated() then
// says so. Not thread-safe; valid only during the OnEntry call it was passed to.
class ContentReader {
 public:
  virtual ~ContentReader() = default;
  // Reads up to `size` bytes into `buffer`; 0 at the end. Errors: DataLoss for a corrupt blob.
  virtual absl::StatusOr<size_t> Read(char* buffer, size_t size) = 0;
  // Reads the rest (up to the cap) into a string.
  absl::StatusOr<std::string> ReadAll();
  // The rest (up to the cap) as one view, valid until the OnEntry call returns. Content the
  // walker already buffered for several visitors is returned without a copy; otherwise it is
  // read into the reader's own buffer. Errors: as Read.
  virtual absl::StatusOr<absl::string_view> ReadAllView();
  // True when the file is larger than the cap and reading stopped there.
  virtual bool truncated() const = 0;

 private:
  std::string read_all_;  // What ReadAllView read, when it had to read.
};

class LayerVisitor {
 public:
  virtual ~LayerVisitor() = default;

  // Path interest: only entries for which this returns true get a ContentReader in OnEntry.
  // Called for regular files only. Default: no content.
  virtual bool WantsContent(const LayerEntry& entry) const { return false; }

  virtual absl::Status OnLayerStart(const LayerInfo& layer) { return absl::OkStatus(); }
  // Every entry of the layer, in tar order. `content` is non-null only for regular files the
  // visitor wants; it must not be kept after the call. A non-OK status stops the walk.
  virtual absl::Status OnEntry(const LayerInfo& layer, const LayerEntry& entry,
                               ContentReader* content) = 0;
  virtual absl::Status OnLayerEnd(const LayerInfo& layer) { return absl::OkStatus(); }
};

}  // namespace bulwark::image

#endif  // BULWARK_IMAGE_LAYER_VISITOR_H_
