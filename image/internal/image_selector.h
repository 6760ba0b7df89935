// Choosing one image from an OCI index tree or a docker-archive: collecting the image manifests
// below index.json (nested indexes followed, cycles and depth caught) and picking one by
// reference and platform (image-internal; Image::Open's policy lives here).
//   BULWARK_ASSIGN_OR_RETURN(auto candidates, CollectManifests(source, index, limits, 8));
//   BULWARK_ASSIGN_OR_RETURN(size_t i, SelectImage(candidates, "linux/arm64", "", "x.tar"));
// Thread safety: the functions share no state.
#ifndef BULWARK_IMAGE_INTERNAL_IMAGE_SELECTOR_H_
#define BULWARK_IMAGE_INTERNAL_IMAGE_SELECTOR_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/limits.h"
#include "bulwark/image/blob_source.h"
#include "bulwark/image/oci.h"

namespace bulwark::image::internal {

// One image an input offers.
struct ImageCandidate {
  // The manifest's descriptor (OCI), or the config's (docker-archive).
  Descriptor descriptor;
  // Names that choose it: its own and enclosing indexes' ref.name annotations, or RepoTags.
  std::vector<std::string> names;
  // Digests that choose it: its own and those of the indexes above it.
  std::vector<std::string> digests;
  std::optional<Platform> platform;
  // Images listed by the same index share a group: siblings in a multi-platform index.
  size_t group = 0;
};

// The image manifests below `root` (index.json), in index order, each once. Entries of other
// media types (artifacts) and BuildKit attestation manifests are skipped. Errors: InvalidArgument
// for an index cycle (naming the chain); ResourceExhausted for `max_depth` nested indexes or
// limits.max_entries descriptors; errors of reading and verifying the nested index blobs.
absl::StatusOr<std::vector<ImageCandidate>> CollectManifests(const BlobSource& source,
                                                             const Index& root,
                                                             const core::Limits& limits,
                                                             uint32_t max_depth);

// Picks one candidate: those chosen by `reference` (any name or digest equal to it) when given;
// then, when `platform` is given or several remain, those whose platform matches it (the host's
// when empty); then an exact platform match, or the first of one multi-platform index's entries
// (siblings whose descriptors carry platforms); distinct images (tags) are never chosen between
// silently. Every candidate's platform must be known when it is needed. Errors: NotFound listing
// what is available; InvalidArgument for a malformed platform or an ambiguous choice, listing the
// candidates.
absl::StatusOr<size_t> SelectImage(const std::vector<ImageCandidate>& candidates,
                                   absl::string_view platform, absl::string_view reference,
                                   absl::string_view where);

}  // namespace bulwark::image::internal

#endif  // BULWARK_IMAGE_INTERNAL_IMAGE_SELECTOR_H_
