// OCI image-spec data types (descriptors, platforms, manifests, indexes, image configs, the
// oci-layout file) and their
// parsers. Parsing follows the image-spec: unknown fields are tolerated; a document that breaks a
// MUST of the spec is rejected with the JSON path of the problem.
//   BULWARK_ASSIGN_OR_RETURN(Manifest m, ParseManifest(bytes, limits, "blobs/sha256/ab12..."));
//   for (const Descriptor& layer : m.layers) ...
// Thread safety: plain value types; the parsers share no state.
#ifndef BULWARK_IMAGE_OCI_H_
#define BULWARK_IMAGE_OCI_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/limits.h"

namespace bulwark::image {

// Media types this library recognises (OCI and Docker schema 2).
namespace media_type {
inline constexpr absl::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr absl::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr absl::string_view kOciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr absl::string_view kOciLayerTar = "application/vnd.oci.image.layer.v1.tar";
inline constexpr absl::string_view kOciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr absl::string_view kOciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
inline constexpr absl::string_view kOciLayerNondistributableTar =
    "application/vnd.oci.image.layer.nondistributable.v1.tar";
inline constexpr absl::string_view kOciLayerNondistributableGzip =
    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
inline constexpr absl::string_view kOciLayerNondistributableZstd =
    "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";
inline constexpr absl::string_view kDockerManifestList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr absl::string_view kDockerManifest =
    "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr absl::string_view kDockerConfig = "application/vnd.docker.container.image.v1+json";
inline constexpr absl::string_view kDockerLayerGzip =
    "application/vnd.docker.image.rootfs.diff.tar.gzip";
inline constexpr absl::string_view kDockerLayerForeignGzip =
    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
}  // namespace media_type

// An os/architecture[/variant] pair, as in index entries and image configs.
struct Platform {
  std::string os;
  std::string architecture;
  std::string variant;
  std::string os_version;
  std::vector<std::string> os_features;

  // Parses "os/arch[/variant]", e.g. "linux/arm64/v8", and normalises it (Normalized()).
  // Errors: InvalidArgument.
  static absl::StatusOr<Platform> Parse(absl::string_view text);
  // The same platform in canonical form, with containerd's aliases: lower case; os "macos" is
  // "darwin"; architecture x86_64/x86-64 is amd64 (variant v1 is none), aarch64 is arm64 (variant
  // 8/v8.0 is v8, 9/9.0/v9.0 is v9), i386 is 386, armhf is arm/v7, armel is arm/v6, and arm's
  // variants 5-8 are v5-v8. Default variants are not filled in.
  Platform Normalized() const;
  // The platform of this process's host (e.g. linux/amd64).
  static Platform Host();
  // "os/arch[/variant]".
  std::string ToString() const;
  // True when `candidate` satisfies this platform, both normalised: os and architecture equal,
  // and the variant equal when this one has one. The default variants count as named, as in
  // containerd: arm64 is v8 and arm is v7 when no variant is given (so "linux/arm" does not match
  // arm/v6); other architectures without a variant match any variant.
  bool Matches(const Platform& candidate) const;
};

// A content descriptor: what a blob is, its digest and size.
struct Descriptor {
  std::string media_type;
  core::Digest digest = core::DigestBytes(core::DigestAlgorithm::kSha256, "");
  int64_t size = 0;
  std::vector<std::string> urls;
  std::map<std::string, std::string> annotations;
  std::optional<Platform> platform;
  std::string artifact_type;
};

// An image manifest (OCI or Docker schema 2).
struct Manifest {
  int schema_version = 2;
  std::string media_type;
  std::string artifact_type;
  Descriptor config;
  std::vector<Descriptor> layers;
  std::optional<Descriptor> subject;
  std::map<std::string, std::string> annotations;
};

// An image index or Docker manifest list.
struct Index {
  int schema_version = 2;
  std::string media_type;
  std::string artifact_type;
  std::vector<Descriptor> manifests;
  std::optional<Descriptor> subject;
  std::map<std::string, std::string> annotations;
};

// One entry of the image config's history.
struct HistoryEntry {
  std::string created;  // RFC 3339 text as written.
  std::string created_by;
  std::string author;
  std::string comment;
  bool empty_layer = false;
};

struct HealthCheck {
  std::vector<std::string> test;
  int64_t interval_ns = 0;
  int64_t timeout_ns = 0;
  int64_t start_period_ns = 0;
  int64_t retries = 0;
};

// The image config (OCI image-spec config.md, and Docker's superset of it).
struct ImageConfig {
  std::string created;
  std::string author;
  Platform platform;  // os, architecture, variant, os.version, os.features.
  // The runtime configuration ("config" object).
  std::string user;
  std::vector<std::string> env;
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  std::string working_dir;
  std::vector<std::string> exposed_ports;  // "80/tcp", sorted.
  std::vector<std::string> volumes;        // Sorted.
  std::map<std::string, std::string> labels;
  std::string stop_signal;
  std::optional<HealthCheck> healthcheck;
  // rootfs.
  std::string rootfs_type;
  std::vector<core::Digest> diff_ids;
  std::vector<HistoryEntry> history;
};

// The `oci-layout` file at the root of an image layout (image-layout.md).
struct ImageLayout {
  std::string version;  // imageLayoutVersion; "1.0.0" is the only one the image-spec defines.
};

// Parsers. `bytes` is the document as stored; `where` names it in error messages (a blob path or
// digest). Errors: InvalidArgument "<where>: <json path>: <problem>" for documents that are not
// valid per the image-spec; ResourceExhausted for core::Limits caps.
absl::StatusOr<Descriptor> ParseDescriptor(absl::string_view bytes, const core::Limits& limits,
                                           absl::string_view where);
absl::StatusOr<Manifest> ParseManifest(absl::string_view bytes, const core::Limits& limits,
                                       absl::string_view where);
absl::StatusOr<Index> ParseIndex(absl::string_view bytes, const core::Limits& limits,
                                 absl::string_view where);
absl::StatusOr<ImageConfig> ParseImageConfig(absl::string_view bytes, const core::Limits& limits,
                                             absl::string_view where);
// imageLayoutVersion must be a string; a well-formed version other than "1.0.0" is Unimplemented
// (a later layout version this library cannot read), not InvalidArgument.
absl::StatusOr<ImageLayout> ParseImageLayout(absl::string_view bytes, const core::Limits& limits,
                                             absl::string_view where);

}  // namespace bulwark::image

#endif  // BULWARK_IMAGE_OCI_H_
