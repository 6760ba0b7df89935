// Where an image's blobs come from: an OCI layout directory, a tar archive (OCI archive or
// docker-archive), or a root-filesystem directory. Image::Open picks one; the layer walker reads
// layer blobs through it as streams, so nothing is extracted to disk.
//   BULWARK_ASSIGN_OR_RETURN(auto reader, source.OpenBlob(descriptor));
//   while ((n = reader->Read(buf, sizeof buf)) > 0) ...
// Thread safety: a BlobSource may be used from several threads at once; each BlobReader by one.
#ifndef BULWARK_IMAGE_BLOB_SOURCE_H_
#define BULWARK_IMAGE_BLOB_SOURCE_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "bulwark/image/oci.h"

namespace bulwark::image {

// A sequential byte stream of one blob, exactly as stored (still compressed).
class BlobReader {
 public:
  virtual ~BlobReader() = default;
  // Reads up to `size` bytes; 0 at the end. Errors: DataLoss for a truncated or unreadable blob.
  virtual absl::StatusOr<size_t> Read(char* buffer, size_t size) = 0;
};

class BlobSource {
 public:
  virtual ~BlobSource() = default;
  // Opens the blob a descriptor names. Errors: NotFound naming the digest; InvalidArgument for a
  // descriptor that points outside the image (e.g. a path with "..").
  virtual absl::StatusOr<std::unique_ptr<BlobReader>> OpenBlob(
      const Descriptor& descriptor) const = 0;
  // A human-readable name of where blobs come from, for messages.
  virtual std::string Name() const = 0;
};

}  // namespace bulwark::image

#endif  // BULWARK_IMAGE_BLOB_SOURCE_H_
