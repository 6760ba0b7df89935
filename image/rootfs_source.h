// A root-filesystem directory presented as an image of one uncompressed layer: the layer blob is
// a tar stream that libarchive's writer generates on the fly from the directory (sorted names,
// lstat metadata, hardlinks, symlinks as links, xattrs of regular files), so the layer walker,
// every visitor and every limit treat a directory exactly like a layer tar, with nothing
// written to disk.
//   BULWARK_ASSIGN_OR_RETURN(auto source, RootfsSource::Open("/srv/rootfs", limits));
//   BULWARK_ASSIGN_OR_RETURN(auto reader, source->OpenBlob(source->layer()));
// Thread safety: immutable after Open(); each OpenBlob generates an independent stream.
#ifndef BULWARK_IMAGE_ROOTFS_SOURCE_H_
#define BULWARK_IMAGE_ROOTFS_SOURCE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/limits.h"
#include "bulwark/image/blob_source.h"
#include "bulwark/image/oci.h"

namespace bulwark::image {

class RootfsSource : public BlobSource {
 public:
  // Generates the layer once to learn its digest and size (a descriptor needs them, and the
  // walker verifies them, which also catches a directory that changes between the two passes).
  // Symlinks are never followed; sockets are left out (tar cannot hold them). Errors: NotFound /
  // PermissionDenied naming the path; ResourceExhausted for limits.max_entries,
  // max_path_length and max_total_bytes.
  static absl::StatusOr<std::unique_ptr<RootfsSource>> Open(absl::string_view directory,
                                                            const core::Limits& limits);

  // The generated layer: media type OCI tar, its digest (also the diff_id) and size.
  const Descriptor& layer() const { return layer_; }

  // Errors: NotFound for any descriptor other than layer(); errors of reading the directory.
  absl::StatusOr<std::unique_ptr<BlobReader>> OpenBlob(const Descriptor& descriptor) const override;
  std::string Name() const override { return directory_; }

 private:
  RootfsSource(std::string directory, core::Limits limits)
      : directory_(std::move(directory)), limits_(limits) {}

  std::string directory_;
  core::Limits limits_;
  Descriptor layer_;
};

}  // namespace bulwark::image

#endif  // BULWARK_IMAGE_ROOTFS_SOURCE_H_
