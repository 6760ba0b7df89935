// A BlobSource over an OCI image layout directory (`oci-layout`, `index.json`,
// `blobs/<algorithm>/<hex>`), reading blobs in place.
//   BULWARK_ASSIGN_OR_RETURN(auto source, OciLayoutSource::Open("/images/alpine"));
//   BULWARK_ASSIGN_OR_RETURN(auto reader, source->OpenBlob(manifest.config));
// Thread safety: immutable after Open(); OpenBlob may be called from several threads.
#ifndef BULWARK_IMAGE_OCI_LAYOUT_SOURCE_H_
#define BULWARK_IMAGE_OCI_LAYOUT_SOURCE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/image/blob_source.h"
#include "bulwark/image/oci.h"

namespace bulwark::image {

class OciLayoutSource : public BlobSource {
 public:
  // `directory` must exist; its contents are checked by Image::Open. Errors: NotFound /
  // PermissionDenied naming the directory.
  static absl::StatusOr<std::unique_ptr<OciLayoutSource>> Open(absl::string_view directory);

  // Opens blobs/<algorithm>/<hex>. Errors: NotFound naming the digest and the path;
  // InvalidArgument when the blob path resolves outside the layout (a symlinked blob or blobs
  // directory); Unimplemented for digest algorithms the image-spec does not allow for blobs (md5).
  absl::StatusOr<std::unique_ptr<BlobReader>> OpenBlob(const Descriptor& descriptor) const override;

  // The layout directory as given.
  std::string Name() const override { return name_; }

  // The canonical (symlink-free) path of the layout directory.
  const std::string& root() const { return root_; }

 private:
  OciLayoutSource(std::string name, std::string root)
      : name_(std::move(name)), root_(std::move(root)) {}

  std::string name_;
  std::string root_;
};

// The relative path "blobs/<algorithm>/<hex>" of a blob in a layout (and in an OCI archive).
// Errors: Unimplemented for md5, which the image-spec does not allow for content addressing.
absl::StatusOr<std::string> BlobPath(const core::Digest& digest);

}  // namespace bulwark::image

#endif  // BULWARK_IMAGE_OCI_LAYOUT_SOURCE_H_
