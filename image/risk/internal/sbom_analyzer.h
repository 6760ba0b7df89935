// The "sbom" analyzer: the package catalogers of image/sbom (dpkg, apk, rpm, language
// ecosystems, Go and Rust binaries, Java archives) on the scan's one walk; the SBOM goes to
// ScanContext::sbom (and ScanResult::sbom), its counts to the report's metadata.
// Thread safety: one instance per scan, driven by one thread.
#ifndef BULWARK_IMAGE_RISK_INTERNAL_SBOM_ANALYZER_H_
#define BULWARK_IMAGE_RISK_INTERNAL_SBOM_ANALYZER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "bulwark/image/risk/analyzer.h"

namespace bulwark::image::internal {

// Never fails.
absl::StatusOr<std::unique_ptr<Analyzer>> CreateSbomAnalyzer(const ScanOptions& options);

}  // namespace bulwark::image::internal

#endif  // BULWARK_IMAGE_RISK_INTERNAL_SBOM_ANALYZER_H_
