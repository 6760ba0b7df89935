#include "bulwark/image/image.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/document.h"
#include "bulwark/core/file.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/docker_archive.h"
#include "bulwark/image/internal/blob_decoder.h"
#include "bulwark/image/internal/file_blob_reader.h"
#include "bulwark/image/internal/image_selector.h"
#include "bulwark/image/oci_layout_source.h"
#include "bulwark/image/rootfs_source.h"
#include "bulwark/image/tar_archive_source.h"

namespace bulwark::image {

using internal::ImageCandidate;

namespace {

// Serves the one blob of a single-layer tarball.
class LayerFileSource : public BlobSource {
 public:
  LayerFileSource(std::string path, core::Digest digest)
      : path_(std::move(path)), digest_(std::move(digest)) {}
  absl::StatusOr<std::unique_ptr<BlobReader>> OpenBlob(
      const Descriptor& descriptor) const override {
    if (descriptor.digest != digest_) {
      return absl::NotFoundError(
          absl::StrCat(path_, ": blob ", descriptor.digest.ToString(), " not found"));
    }
    return internal::OpenFileBlob(path_);
  }
  std::string Name() const override { return path_; }

 private:
  std::string path_;
  core::Digest digest_;
};

// The media type of a layer blob from its first bytes.
absl::string_view LayerMediaType(absl::string_view magic) {
  if (absl::StartsWith(magic, "\x1f\x8b")) return media_type::kOciLayerGzip;
  if (absl::StartsWith(magic, "\x28\xb5\x2f\xfd")) return media_type::kOciLayerZstd;
  return media_type::kOciLayerTar;
}

std::vector<Platform> DistinctPlatforms(const std::vector<ImageCandidate>& candidates) {
  std::vector<Platform> platforms;
  std::vector<std::string> seen;
  for (const ImageCandidate& candidate : candidates) {
    if (!candidate.platform.has_value()) continue;
    std::string text = candidate.platform->ToString();
    if (std::find(seen.begin(), seen.end(), text) != seen.end()) continue;
    seen.push_back(std::move(text));
    platforms.push_back(*candidate.platform);
  }
  return platforms;
}

}  // namespace

// Builds Images; a friend of Image so that Open's steps can fill it in place.
class ImageBuilder {
 public:
  ImageBuilder(std::string path, const OpenOptions& options)
      : path_(std::move(path)), options_(options), image_(new Image()) {
    image_->name_ = options.reference.empty() ? path_ : absl::StrCat(path_, "@", options.reference);
  }

  absl::StatusOr<std::unique_ptr<const Image>> Build() {
    struct stat st;
    if (stat(path_.c_str(), &st) != 0) return core::ErrnoToStatus(errno, path_);
    if (S_ISDIR(st.st_mode)) {
      struct stat layout;
      if (stat(absl::StrCat(path_, "/oci-layout").c_str(), &layout) == 0) return OpenLayout();
      return OpenRootfs();
    }
    if (!S_ISREG(st.st_mode)) {
      return absl::InvalidArgumentError(absl::StrCat(path_, ": not a file or directory"));
    }
    BULWARK_ASSIGN_OR_RETURN(std::shared_ptr<const TarArchive> archive,
                             TarArchive::Open(path_, options_.limits));
    // Docker >= 25 writes both an OCI layout and manifest.json: the layout says more (media
    // types, manifest digests), so it wins when it lists images.
    if (archive->Contains("index.json")) {
      if (!archive->Contains("manifest.json")) return OpenOciArchive(std::move(archive));
      // Some Docker 25 archives carry an empty index ("manifests": null) beside manifest.json.
      BULWARK_ASSIGN_OR_RETURN(std::string index,
                               archive->ReadMember("index.json", options_.limits.max_file_bytes));
      absl::StatusOr<Index> parsed = ParseIndex(index, options_.limits, "index.json");
      if (parsed.ok() && !parsed->manifests.empty()) return OpenOciArchive(std::move(archive));
    }
    if (archive->Contains("manifest.json")) return OpenDockerArchive(std::move(archive));
    return OpenLayerTarball();
  }

 private:
  absl::StatusOr<std::unique_ptr<const Image>> OpenLayout() {
    image_->format_ = ImageFormat::kOciLayout;
    const core::Limits& limits = options_.limits;
    const std::string layout_path = absl::StrCat(path_, "/oci-layout");
    BULWARK_ASSIGN_OR_RETURN(std::string layout,
                             core::ReadFileToString(layout_path, limits.max_file_bytes));
    BULWARK_RETURN_IF_ERROR(ParseImageLayout(layout, limits, layout_path).status());
    const std::string index_path = absl::StrCat(path_, "/index.json");
    BULWARK_ASSIGN_OR_RETURN(std::string index,
                             core::ReadFileToString(index_path, limits.max_file_bytes));
    BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<OciLayoutSource> source, OciLayoutSource::Open(path_));
    image_->source_ = std::move(source);
    return FromIndex(index, index_path);
  }

  absl::StatusOr<std::unique_ptr<const Image>> OpenOciArchive(
      std::shared_ptr<const TarArchive> archive) {
    image_->format_ = ImageFormat::kOciArchive;
    const core::Limits& limits = options_.limits;
    if (archive->Contains("oci-layout")) {
      BULWARK_ASSIGN_OR_RETURN(std::string layout,
                               archive->ReadMember("oci-layout", limits.max_file_bytes));
      BULWARK_RETURN_IF_ERROR(
          ParseImageLayout(layout, limits, absl::StrCat(path_, ": oci-layout")).status());
    }
    BULWARK_ASSIGN_OR_RETURN(std::string index,
                             archive->ReadMember("index.json", limits.max_file_bytes));
    image_->source_ = std::make_unique<TarArchiveSource>(std::move(archive));
    return FromIndex(index, absl::StrCat(path_, ": index.json"));
  }

  // The OCI flow shared by layouts and archives: index.json -> manifest -> config.
  absl::StatusOr<std::unique_ptr<const Image>> FromIndex(absl::string_view index_bytes,
                                                         absl::string_view where) {
    const core::Limits& limits = options_.limits;
    const BlobSource& source = *image_->source_;
    BULWARK_ASSIGN_OR_RETURN(Index index, ParseIndex(index_bytes, limits, where));
    BULWARK_ASSIGN_OR_RETURN(
        std::vector<ImageCandidate> candidates,
        internal::CollectManifests(source, index, limits, options_.max_index_depth));
    // Entries without a platform (single-image layouts, tagged images side by side) take their
    // config's, so that Platforms() is complete and a requested platform can be checked.
    // A candidate that cannot be loaded (umoci leaves a 0-layer "empty" manifest beside the real
    // tags) keeps no platform; its error is reported only if it is the image selected below.
    for (ImageCandidate& candidate : candidates) {
      if (candidate.platform.has_value()) continue;
      auto loaded = LoadManifest(candidate.descriptor);
      if (loaded.ok()) candidate.platform = loaded->second.platform;
    }
    image_->platforms_ = DistinctPlatforms(candidates);
    BULWARK_ASSIGN_OR_RETURN(size_t chosen, internal::SelectImage(candidates, options_.platform,
                                                                  options_.reference, path_));
    const ImageCandidate& candidate = candidates[chosen];
    BULWARK_ASSIGN_OR_RETURN(auto loaded, LoadManifest(candidate.descriptor));
    image_->manifest_ = std::move(loaded.first);
    image_->config_ = std::move(loaded.second);
    image_->manifest_digest_ = candidate.descriptor.digest;
    image_->config_digest_ = image_->manifest_.config.digest;
    image_->references_ = candidate.names;
    return FinishLayers();
  }

  // Reads and verifies a manifest and its config.
  absl::StatusOr<std::pair<Manifest, ImageConfig>> LoadManifest(const Descriptor& descriptor) {
    const core::Limits& limits = options_.limits;
    const BlobSource& source = *image_->source_;
    BULWARK_ASSIGN_OR_RETURN(std::string bytes,
                             internal::ReadVerifiedBlob(source, descriptor, limits));
    BULWARK_ASSIGN_OR_RETURN(
        Manifest manifest,
        ParseManifest(bytes, limits,
                      absl::StrCat(source.Name(), ": manifest ", descriptor.digest.ToString())));
    BULWARK_ASSIGN_OR_RETURN(std::string config_bytes,
                             internal::ReadVerifiedBlob(source, manifest.config, limits));
    BULWARK_ASSIGN_OR_RETURN(ImageConfig config,
                             ParseImageConfig(config_bytes, limits,
                                              absl::StrCat(source.Name(), ": config ",
                                                           manifest.config.digest.ToString())));
    return std::make_pair(std::move(manifest), std::move(config));
  }

  absl::StatusOr<std::unique_ptr<const Image>> OpenDockerArchive(
      std::shared_ptr<const TarArchive> archive) {
    image_->format_ = ImageFormat::kDockerArchive;
    const core::Limits& limits = options_.limits;
    const std::string where = absl::StrCat(path_, ": manifest.json");
    BULWARK_ASSIGN_OR_RETURN(std::string text,
                             archive->ReadMember("manifest.json", limits.max_file_bytes));
    BULWARK_ASSIGN_OR_RETURN(std::vector<DockerArchiveEntry> entries,
                             ParseDockerManifest(text, limits, where));
    std::vector<DockerArchiveImage> images;
    std::vector<ImageCandidate> candidates;
    for (const DockerArchiveEntry& entry : entries) {
      BULWARK_ASSIGN_OR_RETURN(DockerArchiveImage image,
                               LoadDockerArchiveImage(*archive, entry, limits));
      // Images side by side in one archive are distinct images, not platform variants: each is
      // its own group.
      std::vector<std::string> names = image.repo_tags;
      for (const std::string& tag : image.repo_tags) {
        if (std::string familiar = FamiliarReference(tag); familiar != tag) {
          names.push_back(std::move(familiar));
        }
      }
      candidates.push_back({image.manifest.config,
                            std::move(names),
                            {image.manifest.config.digest.ToString()},
                            image.config.platform,
                            candidates.size()});
      images.push_back(std::move(image));
    }
    image_->platforms_ = DistinctPlatforms(candidates);
    BULWARK_ASSIGN_OR_RETURN(size_t chosen, internal::SelectImage(candidates, options_.platform,
                                                                  options_.reference, path_));
    DockerArchiveImage& image = images[chosen];
    image_->manifest_ = std::move(image.manifest);
    image_->config_ = std::move(image.config);
    image_->config_digest_ = image_->manifest_.config.digest;
    image_->references_ = std::move(image.repo_tags);
    image_->source_ =
        std::make_unique<TarArchiveSource>(std::move(archive), std::move(image.members_by_digest));
    return FinishLayers();
  }

  absl::StatusOr<std::unique_ptr<const Image>> OpenRootfs() {
    image_->format_ = ImageFormat::kRootfs;
    BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<RootfsSource> source,
                             RootfsSource::Open(path_, options_.limits));
    Descriptor layer = source->layer();
    image_->source_ = std::move(source);
    return SingleLayer(std::move(layer));
  }

  absl::StatusOr<std::unique_ptr<const Image>> OpenLayerTarball() {
    image_->format_ = ImageFormat::kLayerTarball;
    BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<BlobReader> reader, internal::OpenFileBlob(path_));
    char magic[4] = {};
    BULWARK_ASSIGN_OR_RETURN(size_t n, reader->Read(magic, sizeof magic));
    Descriptor layer;
    layer.media_type = std::string(LayerMediaType(absl::string_view(magic, n)));
    BULWARK_ASSIGN_OR_RETURN(layer.digest, core::DigestFile(path_, core::DigestAlgorithm::kSha256));
    struct stat st;
    if (stat(path_.c_str(), &st) != 0) return core::ErrnoToStatus(errno, path_);
    layer.size = st.st_size;
    image_->source_ = std::make_unique<LayerFileSource>(path_, layer.digest);
    return SingleLayer(std::move(layer));
  }

  // A one-layer image without manifest or config bytes (rootfs, layer tarball).
  absl::StatusOr<std::unique_ptr<const Image>> SingleLayer(Descriptor layer) {
    image_->config_.rootfs_type = "layers";
    // The diff_id is the digest of the uncompressed tar: known only when the blob is one.
    if (layer.media_type == media_type::kOciLayerTar) {
      image_->config_.diff_ids.push_back(layer.digest);
    }
    image_->manifest_.media_type = std::string(media_type::kOciManifest);
    image_->manifest_.layers.push_back(std::move(layer));
    return FinishLayers();
  }

  absl::StatusOr<std::unique_ptr<const Image>> FinishLayers() {
    const Manifest& manifest = image_->manifest_;
    const std::vector<core::Digest>& diff_ids = image_->config_.diff_ids;
    const bool uncompressed_unknown =
        image_->format_ == ImageFormat::kLayerTarball && diff_ids.empty();
    if (!uncompressed_unknown && diff_ids.size() != manifest.layers.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat(image_->name_, ": manifest has ", manifest.layers.size(),
                       " layers but the config's rootfs.diff_ids has ", diff_ids.size()));
    }
    for (size_t i = 0; i < manifest.layers.size(); ++i) {
      LayerInfo layer;
      layer.index = i;
      layer.descriptor = manifest.layers[i];
      if (i < diff_ids.size()) layer.diff_id = diff_ids[i].ToString();
      image_->layers_.push_back(std::move(layer));
    }
    return std::unique_ptr<const Image>(std::move(image_));
  }

  const std::string path_;
  const OpenOptions& options_;
  std::unique_ptr<Image> image_;
};

absl::string_view ImageFormatName(ImageFormat format) {
  switch (format) {
    case ImageFormat::kOciLayout:
      return "oci-layout";
    case ImageFormat::kOciArchive:
      return "oci-archive";
    case ImageFormat::kDockerArchive:
      return "docker-archive";
    case ImageFormat::kRootfs:
      return "rootfs";
    case ImageFormat::kLayerTarball:
      return "layer-tarball";
  }
  return "unknown";
}

absl::StatusOr<std::unique_ptr<const Image>> Image::Open(absl::string_view path,
                                                         const OpenOptions& options) {
  return ImageBuilder(std::string(path), options).Build();
}

absl::StatusOr<std::vector<LayerWalkResult>> Image::Walk(
    absl::Span<LayerVisitor* const> visitors, const WalkOptions& options,
    const std::function<absl::Status(size_t layer_index)>& after_layer) const {
  // Layers one after the other (visitors see them in order); within each, WalkLayer decompresses
  // on a worker thread unless options.background_decompression is false.
  std::vector<LayerWalkResult> results;
  results.reserve(layers_.size());
  WalkOptions layer_options = options;
  for (size_t i = 0; i < layers_.size(); ++i) {
    const LayerInfo& layer = layers_[i];
    BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<BlobReader> reader,
                             source_->OpenBlob(layer.descriptor));
    absl::StatusOr<LayerWalkResult> result = WalkLayer(*reader, layer, visitors, layer_options);
    // A layer that overran what the layers below it left reports its own remaining budget:
    // name the whole image's cap instead.
    if (result.status().GetPayload(internal::TotalBytesPayloadUrl()).has_value() &&
        layer_options.limits.max_total_bytes < options.limits.max_total_bytes) {
      return core::LimitExceeded("max_total_bytes", options.limits.max_total_bytes,
                                 absl::StrCat(Name(), ": layers 0 to ", i, " together"));
    }
    if (!result.ok()) return result.status();
    layer_options.limits.max_total_bytes -=
        std::min(layer_options.limits.max_total_bytes, result->uncompressed_bytes);
    results.push_back(*std::move(result));
    if (after_layer) BULWARK_RETURN_IF_ERROR(after_layer(i));
  }
  return results;
}

}  // namespace bulwark::image
