// The "vuln" analyzer: matches the packages of the scan's SBOM (the "sbom" analyzer, which
// finishes first) against ScanOptions::vulnerability_db with image/vuln's matcher and adds one
// finding of category "vulnerability" per (advisory, package), with the package's purl.
// Thread safety: one instance per scan, driven by one thread.
#ifndef BULWARK_IMAGE_RISK_INTERNAL_VULN_ANALYZER_H_
#define BULWARK_IMAGE_RISK_INTERNAL_VULN_ANALYZER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "bulwark/image/risk/analyzer.h"

namespace bulwark::image::internal {

// Errors: InvalidArgument when ScanOptions::scanners names "vuln" and no database is set (a
// default scan without a database skips vulnerability matching and says so in the metadata).
absl::StatusOr<std::unique_ptr<Analyzer>> CreateVulnAnalyzer(const ScanOptions& options);

}  // namespace bulwark::image::internal

#endif  // BULWARK_IMAGE_RISK_INTERNAL_VULN_ANALYZER_H_
