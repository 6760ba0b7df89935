// Helpers the risk analyzers share to fill report findings.
// Thread safety: pure functions.
#ifndef BULWARK_IMAGE_RISK_INTERNAL_FINDINGS_H_
#define BULWARK_IMAGE_RISK_INTERNAL_FINDINGS_H_

#include <cstddef>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/report.pb.h"
#include "bulwark/image/filesystem.h"
#include "bulwark/image/image.h"

namespace bulwark::image::internal {

// Appends a finding with the fields every finding has.
core::v1::Finding& AddFinding(core::v1::Report& report, absl::string_view rule_id,
                              core::v1::Severity severity, absl::string_view category,
                              absl::string_view title);

// "/" + path: how image paths appear in findings.
std::string ImagePath(absl::string_view path);

// Sets location.path, location.layer_digest and the "layer" property (0-based index).
void SetFileLocation(const Image& image, absl::string_view path, size_t layer,
                     core::v1::Finding& finding);

// Which file versions of which layers the merged tree still shows, for "deleted but still
// shipped" findings (the file's bytes are in a layer blob, but a later layer hides it).
// Borrows `filesystem` for its lifetime.
class ShippedFiles {
 public:
  explicit ShippedFiles(const MergedFilesystem& filesystem);
  // True when the merged tree's `path` is the version layer `layer` ships.
  bool Visible(const std::string& path, size_t layer) const;
  // Sets the finding's "deleted" property, and for a hidden version "hidden_by" (whiteout,
  // opaque, overwrite) and "hidden_by_layer".
  void SetDeletedProperties(const std::string& path, size_t layer,
                            core::v1::Finding& finding) const;

 private:
  const MergedFilesystem& filesystem_;
  absl::flat_hash_map<std::pair<std::string, size_t>, DeletedFile> deleted_;
};

// The next severity up (CRITICAL stays CRITICAL).
core::v1::Severity Raise(core::v1::Severity severity);

}  // namespace bulwark::image::internal

#endif  // BULWARK_IMAGE_RISK_INTERNAL_FINDINGS_H_
