// A BlobReader over a local file, opened without following a final symlink, and helpers that
// read a small blob whole and check it against its descriptor (image-internal).
//   BULWARK_ASSIGN_OR_RETURN(auto reader, OpenFileBlob("/layout/blobs/sha256/ab12..."));
//   BULWARK_ASSIGN_OR_RETURN(std::string bytes, ReadVerifiedBlob(source, descriptor, limits));
// Thread safety: the functions share no state; a reader is used by one thread at a time.
#ifndef BULWARK_IMAGE_INTERNAL_FILE_BLOB_READER_H_
#define BULWARK_IMAGE_INTERNAL_FILE_BLOB_READER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/limits.h"
#include "bulwark/image/blob_source.h"
#include "bulwark/image/oci.h"

namespace bulwark::image::internal {

// Opens the regular file at `path` for streaming. Errors: NotFound / PermissionDenied naming the
// path; InvalidArgument when it is not a regular file.
absl::StatusOr<std::unique_ptr<BlobReader>> OpenFileBlob(const std::string& path);

// Reads `length` bytes at `offset` of the open file `fd` (a member of an uncompressed archive)
// with pread; takes `fd` over and closes it. `path` names it in errors. Reading past the file's
// end is DataLoss.
std::unique_ptr<BlobReader> FileRangeReader(int fd, std::string path, uint64_t offset,
                                            uint64_t length);

// Reads a whole blob of at most limits.max_file_bytes and checks its size and digest against
// `descriptor`. Errors: those of source.OpenBlob; ResourceExhausted (max_file_bytes); DataLoss
// "<source>: blob <digest>: size|digest mismatch: expected <x>, actual <y>".
absl::StatusOr<std::string> ReadVerifiedBlob(const BlobSource& source, const Descriptor& descriptor,
                                             const core::Limits& limits);

// Reads `reader` to its end, at most `max_bytes` bytes. `where` names it in errors.
absl::StatusOr<std::string> ReadAllBlob(BlobReader& reader, uint64_t max_bytes,
                                        absl::string_view where);

}  // namespace bulwark::image::internal

#endif  // BULWARK_IMAGE_INTERNAL_FILE_BLOB_READER_H_
