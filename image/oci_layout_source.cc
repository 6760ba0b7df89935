#include "bulwark/image/oci_layout_source.h"

#include <errno.h>
#include <stdlib.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/internal/file_blob_reader.h"

namespace bulwark::image {
namespace {

absl::StatusOr<std::string> RealPath(const std::string& path) {
  char* resolved = realpath(path.c_str(), nullptr);
  if (resolved == nullptr) return core::ErrnoToStatus(errno, path);
  std::string result(resolved);
  free(resolved);
  return result;
}

}  // namespace

absl::StatusOr<std::string> BlobPath(const core::Digest& digest) {
  if (digest.algorithm() == core::DigestAlgorithm::kMd5) {
    return absl::UnimplementedError(
        absl::StrCat("digest ", digest.ToString(), ": md5 is not a blob digest algorithm"));
  }
  // Both parts come from a parsed Digest (a fixed algorithm name and lowercase hex), so the path
  // cannot hold "/" or "..": only symlinks on disk could lead elsewhere.
  return absl::StrCat("blobs/", core::DigestAlgorithmName(digest.algorithm()), "/", digest.Hex());
}

absl::StatusOr<std::unique_ptr<OciLayoutSource>> OciLayoutSource::Open(
    absl::string_view directory) {
  BULWARK_ASSIGN_OR_RETURN(std::string root, RealPath(std::string(directory)));
  return std::unique_ptr<OciLayoutSource>(new OciLayoutSource(std::string(directory), root));
}

absl::StatusOr<std::unique_ptr<BlobReader>> OciLayoutSource::OpenBlob(
    const Descriptor& descriptor) const {
  BULWARK_ASSIGN_OR_RETURN(std::string relative, BlobPath(descriptor.digest));
  const std::string path = absl::StrCat(root_, "/", relative);
  absl::StatusOr<std::string> resolved = RealPath(path);
  if (absl::IsNotFound(resolved.status())) {
    return absl::NotFoundError(
        absl::StrCat(name_, ": blob ", descriptor.digest.ToString(), " not found (", path, ")"));
  }
  if (!resolved.ok()) return resolved.status();
  if (!absl::StartsWith(*resolved, absl::StrCat(root_, "/"))) {
    return absl::InvalidArgumentError(absl::StrCat(name_, ": blob ", descriptor.digest.ToString(),
                                                   " resolves outside the layout to ", *resolved));
  }
  return internal::OpenFileBlob(*resolved);
}

}  // namespace bulwark::image
