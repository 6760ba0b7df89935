// docker-archive support: the `manifest.json` that `docker save`, skopeo and buildah write
// (a list of {Config, RepoTags, Layers} naming archive members), and loading one of its images
// from the archive as an OCI-style manifest plus config.
//   BULWARK_ASSIGN_OR_RETURN(auto entries, ParseDockerManifest(text, limits, "manifest.json"));
//   BULWARK_ASSIGN_OR_RETURN(DockerArchiveImage image, LoadDockerArchiveImage(archive, entries[0],
//   limits));
// Thread safety: the functions share no state.
#ifndef BULWARK_IMAGE_DOCKER_ARCHIVE_H_
#define BULWARK_IMAGE_DOCKER_ARCHIVE_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/limits.h"
#include "bulwark/image/oci.h"
#include "bulwark/image/tar_archive_source.h"

namespace bulwark::image {

// One image of a docker-archive manifest.json. Member paths are as written.
struct DockerArchiveEntry {
  std::string config;
  std::vector<std::string> repo_tags;  // "name:tag"; empty for untagged images.
  std::vector<std::string> layers;     // Bottom layer first.
};

// Parses manifest.json: a JSON list of objects with a string "Config", a list of strings
// "Layers" and an optional (possibly null) list of strings "RepoTags"; other fields are ignored.
// Errors: InvalidArgument "<where>:<line>:<column>: <json path>: <problem>" (also for a document
// that is not a list, such as `null`, or an empty list).
absl::StatusOr<std::vector<DockerArchiveEntry>> ParseDockerManifest(absl::string_view bytes,
                                                                    const core::Limits& limits,
                                                                    absl::string_view where);

// The short form Docker shows for a reference: "docker.io/library/alpine:3.18" is
// "alpine:3.18", "docker.io/example/app:v1" is "example/app:v1"; others are returned unchanged.
std::string FamiliarReference(absl::string_view reference);

// An image of a docker-archive described the way an OCI layout would describe it.
struct DockerArchiveImage {
  // Docker schema 2 media type; config and layer descriptors as found in the archive. There are
  // no manifest bytes, so the manifest has no digest.
  Manifest manifest;
  ImageConfig config;
  std::vector<std::string> repo_tags;
  // Digest string -> member name, for TarArchiveSource.
  absl::flat_hash_map<std::string, std::string> members_by_digest;
};

// Reads `entry`'s config (checking its digest when the member name carries one, as in
// "<hex>.json" or "blobs/sha256/<hex>") and describes its layers. A layer's compression is taken
// from its first bytes; an uncompressed layer's digest is its diff_id from the config (the walker
// verifies it), a compressed layer's is computed here by reading it once. The symlinked
// "<id>/layer.tar" form resolves inside the archive. Errors: NotFound for missing members;
// DataLoss for a config whose digest differs from its name; InvalidArgument when the config's
// diff_ids and the layers differ in number; parser errors of the config.
absl::StatusOr<DockerArchiveImage> LoadDockerArchiveImage(const TarArchive& archive,
                                                          const DockerArchiveEntry& entry,
                                                          const core::Limits& limits);

}  // namespace bulwark::image

#endif  // BULWARK_IMAGE_DOCKER_ARCHIVE_H_
