// Helpers the risk analyzers share to fill report findings.
// Thread safety: pure functions.
#ifndef BULWARK_IMAGE_RISK_INTERNAL_FINDINGS_H_
#define BULWARK_IMAGE_RISK_INTERNAL_FINDINGS_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"
#include "bulwark/core/report.pb.h"
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

// The next severity up (CRITICAL stays CRITICAL).
core::v1::Severity Raise(core::v1::Severity severity);

}  // namespace bulwark::image::internal

#endif  // BULWARK_IMAGE_RISK_INTERNAL_FINDINGS_H_
