// Cataloging the packages of a container image in one pass over its layers, without extraction:
// OS detection plus every Cataloger (catalogers.h), with whiteouts followed so that the final
// state of each package database decides, each package attributed to the layer where it first
// appeared in that state, and packages that a layer removed recorded apart.
//   BULWARK_ASSIGN_OR_RETURN(auto image, image::Image::Open("debian.tar"));
//   BULWARK_ASSIGN_OR_RETURN(v1::Sbom sbom, Catalog(*image));
// or, sharing the walk with other visitors:
//   SbomBuilder builder;
//   BULWARK_RETURN_IF_ERROR(image->Walk({&builder, &secrets}).status());
//   v1::Sbom sbom = std::move(builder).Finish(*image);
// Thread safety: Catalog() shares no state; an SbomBuilder is driven by one walk.
#ifndef BULWARK_IMAGE_SBOM_CATALOG_H_
#define BULWARK_IMAGE_SBOM_CATALOG_H_

#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bulwark/image/image.h"
#include "bulwark/image/layer_visitor.h"
#include "bulwark/image/layer_walker.h"
#include "bulwark/image/sbom/cataloger.h"
#include "bulwark/image/sbom/sbom.pb.h"

namespace bulwark::sbom {

struct CatalogOptions {
  // The catalogers to run, borrowed (they must outlive the SbomBuilder or the Catalog call).
  // Default: empty, meaning DefaultCatalogers().
  std::vector<const Cataloger*> catalogers;
  // Keep installed-file lists (dpkg info/*.list, apk R: lines) in Package.files. Default: true.
  bool include_files = true;
  // How Catalog() walks the image (limits, digest verification). Default: core defaults.
  image::WalkOptions walk;
};

// A LayerVisitor that catalogs packages; Finish() gives the SBOM.
class SbomBuilder : public image::LayerVisitor {
 public:
  explicit SbomBuilder(const CatalogOptions& options = {});
  ~SbomBuilder() override;
  SbomBuilder(const SbomBuilder&) = delete;
  SbomBuilder& operator=(const SbomBuilder&) = delete;

  bool WantsContent(const image::LayerEntry& entry) const override;
  // Never fails for bad package data (it becomes a warning of the SBOM); errors are those of
  // reading content (DataLoss for a corrupt blob).
  absl::Status OnEntry(const image::LayerInfo& layer, const image::LayerEntry& entry,
                       image::ContentReader* content) override;
  absl::Status OnLayerEnd(const image::LayerInfo& layer) override;

  // The SBOM of everything walked. `image` gives the name, manifest digest and layer digests.
  v1::Sbom Finish(const image::Image& image) &&;
  // The same for a walk without an Image (layer digests from `layers`, index = position).
  v1::Sbom Finish(const std::vector<image::LayerInfo>& layers) &&;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// Opens nothing: walks `image` once with an SbomBuilder and returns its SBOM.
// Errors: those of Image::Walk (corrupt or mismatching blobs, Limits caps).
absl::StatusOr<v1::Sbom> Catalog(const image::Image& image, const CatalogOptions& options = {});

}  // namespace bulwark::sbom

#endif  // BULWARK_IMAGE_SBOM_CATALOG_H_
