// The "misconfig" analyzer: the build-risk rules (build_rules.h) over the image's rebuilt
// history and config, as findings of category "misconfiguration".
// Thread safety: one instance per scan.
#ifndef BULWARK_IMAGE_RISK_INTERNAL_BUILD_ANALYZER_H_
#define BULWARK_IMAGE_RISK_INTERNAL_BUILD_ANALYZER_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "bulwark/core/report.pb.h"
#include "bulwark/image/risk/analyzer.h"
#include "bulwark/image/risk/build_rules.h"

namespace bulwark::image::internal {

absl::StatusOr<std::unique_ptr<Analyzer>> CreateBuildAnalyzer(const ScanOptions& options);

// Adds one finding per risk; `image` (may be null) gives layer digests.
void AddBuildRiskFindings(const std::vector<BuildRisk>& risks, const Image* image,
                          core::v1::Report& report);

}  // namespace bulwark::image::internal

#endif  // BULWARK_IMAGE_RISK_INTERNAL_BUILD_ANALYZER_H_
