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

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "bulwark/image/filesystem.h"
#include "bulwark/image/history.h"
#include "bulwark/image/image.h"

namespace bulwark::python {

class OpenedImage {
 public:
  // image::Image::Open plus the history; needs no GIL (call it with the GIL released).
  static absl::StatusOr<std::unique_ptr<OpenedImage>> Open(absl::string_view path,
                                                           const image::OpenOptions& options);

  const image::Image& image() const { return *image_; }
  const image::BuildHistory& history() const { return history_; }

  // The merged filesystem; the first successful call builds it (a failed walk is not kept, so
  // the next call walks again). Call with the GIL held: it is released for each layer's walk and
  // taken back between layers to honour KeyboardInterrupt. Raises the walk's error as a Bulwark
  // exception (DataLossError for a digest mismatch, UnimplementedError for an unknown layer media
  // type, ...). The reference lives as long as this object.
  const image::MergedFilesystem& Filesystem();

 private:
  explicit OpenedImage(std::unique_ptr<const image::Image> image);

  // Walks every layer into a new filesystem; mutex_ held, GIL released.
  absl::Status BuildFilesystem() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  const std::unique_ptr<const image::Image> image_;
  const image::BuildHistory history_;
  absl::Mutex mutex_;
  std::optional<image::MergedFilesystem> filesystem_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace bulwark::python

#endif  // BULWARK_BINDINGS_PYTHON_OPENED_IMAGE_H_
