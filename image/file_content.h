// Reads one file of the merged filesystem from the image: the layer its final version comes from
// is walked once more (digests verified), and the file's content is kept when its entry passes.
//   BULWARK_ASSIGN_OR_RETURN(FileInfo file, filesystem.Lookup("etc/os-release"));
//   BULWARK_ASSIGN_OR_RETURN(std::string text, ReadFileContent(*image, file));
// Thread safety: shares no state; the Image may be used by other threads meanwhile.
#ifndef BULWARK_IMAGE_FILE_CONTENT_H_
#define BULWARK_IMAGE_FILE_CONTENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "bulwark/image/filesystem.h"
#include "bulwark/image/image.h"
#include "bulwark/image/layer_walker.h"

namespace bulwark::image {

// The content of `file` (from `image`'s merged filesystem): a regular file, or a hardlink, read
// as the file it links to in its layer. The walk reads the whole layer blob, so its digests are
// verified as in Image::Walk (options.verify: kReport ignores mismatches here). Errors:
// InvalidArgument for a file that is not regular or a hardlink (resolve symlinks first with
// MergedFilesystem::ResolvePath); ResourceExhausted naming max_file_bytes when the file is larger
// than options.limits.max_file_bytes; NotFound when the layer does not hold it (the filesystem
// was built from another image); the errors of OpenBlob and WalkLayer.
absl::StatusOr<std::string> ReadFileContent(const Image& image, const FileInfo& file,
                                            const WalkOptions& options = {});

}  // namespace bulwark::image

#endif  // BULWARK_IMAGE_FILE_CONTENT_H_
