// What a Python `bulwark.image.Image` holds: the opened image::Image, its rebuilt history, and its
// merged filesystem, built on first use by walking every layer with the GIL released.
//   std::unique_ptr<OpenedImage> opened = ValueOrThrow(OpenedImage::Open(path, options));  // no
//   GIL const image::MergedFilesystem& fs = opened->Filesystem();  // GIL held; walks once
// Thread safety: the image and history are immutable. Filesystem() may be called from several
// Python threads at once: one walks, the others wait for it without holding the GIL.
#ifndef BULWARK_BINDINGS_PYTHON_OPENED_IMAGE_H_
#define BULWARK_BINDINGS_PYTHON_OPENED_IMAGE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "bulwark/core/report.pb.h"
#include "bulwark/image/filesystem.h"
#include "bulwark/image/history.h"
#include "bulwark/image/image.h"
#include "bulwark/image/layer_walker.h"

namespace bulwark::python {

class OpenedImage {
 public:
  // image::Image::Open plus the history; needs no GIL (call it with the GIL released). Walks
  // use `verify`: under kReport, digest mismatches become findings (Findings()).
  static absl::StatusOr<std::unique_ptr<OpenedImage>> Open(absl::string_view path,
                                                           const image::OpenOptions& options,
                                                           image::VerifyMode verify);

  const image::Image& image() const { return *image_; }
  const image::BuildHistory& history() const { return history_; }

  // The merged filesystem; the first successful call builds it (a failed walk is not kept, so
  // the next call walks again). Call with the GIL held: it is released for each layer's walk and
  // taken back between layers to honour KeyboardInterrupt. Raises the walk's error as a Bulwark
  // exception (DataLossError for a digest mismatch, UnimplementedError for an unknown layer media
  // type, ...). The reference lives as long as this object.
  const image::MergedFilesystem& Filesystem();

  // What the walk behind Filesystem() reported without stopping (digest mismatches under
  // kReport, entries with unsafe names), layer by layer; walks first like Filesystem().
  const std::vector<core::v1::Finding>& Findings();

  // The content of the regular file at `path` (symlinks followed inside the image when
  // `follow_symlinks`), read from its layer blob with the GIL released. Call with the GIL held.
  // Raises NotFoundError, InvalidArgumentError for a non-regular file, ResourceExhaustedError
  // beyond the per-file cap (max_file_bytes), and the walk's errors.
  std::string ReadFile(const std::string& path, bool follow_symlinks);

 private:
  OpenedImage(std::unique_ptr<const image::Image> image, image::VerifyMode verify);

  // Walks every layer into a new filesystem; mutex_ held, GIL released.
  absl::Status BuildFilesystem() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  const std::unique_ptr<const image::Image> image_;
  const image::BuildHistory history_;
  const image::VerifyMode verify_;
  absl::Mutex mutex_;
  std::optional<image::MergedFilesystem> filesystem_ ABSL_GUARDED_BY(mutex_);
  // Set with filesystem_, never changed after.
  std::vector<core::v1::Finding> findings_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace bulwark::python

#endif  // BULWARK_BINDINGS_PYTHON_OPENED_IMAGE_H_
