// A scan as one CycloneDX BOM: the SBOM's components (image/sbom's CycloneDX writer) plus a
// `vulnerabilities` array built from the report's findings of category "vulnerability".
//   BULWARK_ASSIGN_OR_RETURN(ScanResult result, Scan(*image, options));
//   BULWARK_ASSIGN_OR_RETURN(std::string bom, ScanResultToCycloneDx(result, k1_6));
// Each vulnerability has id (the finding's rule id), source (properties "source"/"source_url"
// when present), ratings (the severity), description, recommendation (remediation), advisories
// (references), affects (the component whose purl is the finding's "purl" property, else the
// image) and the finding's properties as bulwark:* properties.
// Thread safety: a plain function.
#ifndef BULWARK_IMAGE_RISK_SCAN_CYCLONEDX_H_
#define BULWARK_IMAGE_RISK_SCAN_CYCLONEDX_H_

#include <string>

#include "absl/status/statusor.h"
#include "bulwark/image/risk/scanner.h"
#include "bulwark/image/sbom/sbom_writer.h"

namespace bulwark::image {

// Errors: FailedPrecondition when the scan has no SBOM (the "sbom" scanner did not run);
// Internal if the SBOM writer's output does not parse back (a defect).
absl::StatusOr<std::string> ScanResultToCycloneDx(const ScanResult& result,
                                                  sbom::CycloneDxVersion version,
                                                  const sbom::WriterOptions& options = {});

}  // namespace bulwark::image

#endif  // BULWARK_IMAGE_RISK_SCAN_CYCLONEDX_H_
