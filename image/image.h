// Opening a container image from disk: an OCI image layout directory, an OCI archive (a tar of a
// layout), a docker-archive (`docker save`, skopeo, buildah; Docker >= 25's tar with a layout
// inside), a root-filesystem directory (one layer), or a single layer tarball (tar, tar+gzip,
// tar+zstd). Open detects the format, selects one image (platform, tag, digest) and verifies the
// digest and size of every index, manifest and config it reads.
//   BULWARK_ASSIGN_OR_RETURN(auto image, Image::Open("alpine.tar", {.platform = "linux/arm64"}));
//   for (const LayerInfo& layer : image->layers()) Print(layer.descriptor.digest.ToString());
//   BULWARK_ASSIGN_OR_RETURN(auto results, image->Walk({&my_visitor}));
// Thread safety: an Image is immutable after Open(); share it freely. Walk() may run
// concurrently with distinct visitors.
#ifndef BULWARK_IMAGE_IMAGE_H_
#define BULWARK_IMAGE_IMAGE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/limits.h"
#include "bulwark/image/blob_source.h"
#include "bulwark/image/layer_visitor.h"
#include "bulwark/image/layer_walker.h"
#include "bulwark/image/oci.h"

namespace bulwark::image {

enum class ImageFormat {
  kOciLayout,      // Directory with oci-layout and index.json.
  kOciArchive,     // Tar holding oci-layout / index.json (also Docker >= 25 `docker save`).
  kDockerArchive,  // Tar holding manifest.json only (docker save < 25, skopeo docker-archive:).
  kRootfs,         // Any other directory: one generated layer.
  kLayerTarball,   // Any other tar, tar+gzip or tar+zstd file: one layer.
};

// "oci-layout", "oci-archive", "docker-archive", "rootfs", "layer-tarball".
absl::string_view ImageFormatName(ImageFormat format);

struct OpenOptions {
  // "os/arch[/variant]" to choose from a multi-platform index. When empty and several images
  // remain, the host's platform (Platform::Host()) chooses; a lone image is taken whatever its
  // platform. Default: "".
  std::string platform;
  // Chooses an image by `org.opencontainers.image.ref.name` annotation (on the entry or on an
  // index above it), by docker-archive RepoTag ("name:tag"), or by digest ("sha256:..." of a
  // manifest or index; of the config for a docker-archive). Default: "" (the only image).
  std::string reference;
  // Caps for every document and archive read while opening (and Walk()'s default limits).
  core::Limits limits;
  // Nested indexes followed below index.json. Default: 8.
  uint32_t max_index_depth = 8;
};

class Image {
 public:
  // Opens the image at `path` (see the file comment for formats). Errors: NotFound for a missing
  // path, member or blob, and (naming the available ones) for a platform or reference that no
  // image has; InvalidArgument for malformed documents, an index cycle, descriptors that would
  // resolve outside the image, and an ambiguous choice (several images and no way to pick one,
  // listing them); DataLoss naming blob, expected and actual digest or size; ResourceExhausted
  // for OpenOptions caps.
  static absl::StatusOr<std::unique_ptr<const Image>> Open(absl::string_view path,
                                                           const OpenOptions& options = {});

  ImageFormat format() const { return format_; }
  // The path as given, followed by "@<reference>" when one was used to choose.
  const std::string& Name() const { return name_; }

  // The selected manifest. For docker-archive, rootfs and layer tarballs it is synthesised from
  // what the input holds (there are no manifest bytes), and manifest_digest() is empty.
  const Manifest& manifest() const { return manifest_; }
  const std::optional<core::Digest>& manifest_digest() const { return manifest_digest_; }
  // The image config. Rootfs and layer tarballs have no config: it is empty except for
  // rootfs.diff_ids (known when the layer is uncompressed), and config_digest() is empty.
  const ImageConfig& config() const { return config_; }
  const std::optional<core::Digest>& config_digest() const { return config_digest_; }

  // The layers, bottom first, with their diff_ids ("" when unknown).
  const std::vector<LayerInfo>& layers() const { return layers_; }
  // Names the selected image is known by: ref.name annotations or RepoTags.
  const std::vector<std::string>& references() const { return references_; }
  // The platforms of every image the input offers (index entries' platforms, or their configs'),
  // in index order, without duplicates.
  const std::vector<Platform>& Platforms() const { return platforms_; }

  // Where blobs come from; layer blobs are read through it as streams.
  const BlobSource& blob_source() const { return *source_; }

  // Walks every layer, bottom first, through WalkLayer with `visitors`. Returns one result per
  // layer (findings recorded under VerifyMode::kReport included). options.limits.max_total_bytes
  // caps the uncompressed bytes of the whole image: each layer may use what the layers below it
  // left (a small bomb listed many times stops too). `after_layer`, when given, runs after each
  // layer with its index (e.g. to check for cancellation); its error ends the walk.
  // Errors: those of OpenBlob, WalkLayer and `after_layer`, the first one ending the walk.
  absl::StatusOr<std::vector<LayerWalkResult>> Walk(
      absl::Span<LayerVisitor* const> visitors, const WalkOptions& options = {},
      const std::function<absl::Status(size_t layer_index)>& after_layer = nullptr) const;

 private:
  friend class ImageBuilder;
  Image() = default;

  ImageFormat format_ = ImageFormat::kOciLayout;
  std::string name_;
  Manifest manifest_;
  std::optional<core::Digest> manifest_digest_;
  ImageConfig config_;
  std::optional<core::Digest> config_digest_;
  std::vector<LayerInfo> layers_;
  std::vector<std::string> references_;
  std::vector<Platform> platforms_;
  std::unique_ptr<const BlobSource> source_;
};

}  // namespace bulwark::image

#endif  // BULWARK_IMAGE_IMAGE_H_
