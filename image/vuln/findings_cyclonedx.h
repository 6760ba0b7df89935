// Findings as a CycloneDX 1.5 BOM: the SBOM's components (image/sbom/sbom_writer.h) plus a
// `vulnerabilities` array, one entry per finding, whose `affects` points at the package's
// component.
//   BULWARK_ASSIGN_OR_RETURN(std::string bom, FindingsToCycloneDx(result, sbom));
// Thread safety: a plain function.
#ifndef BULWARK_IMAGE_VULN_FINDINGS_CYCLONEDX_H_
#define BULWARK_IMAGE_VULN_FINDINGS_CYCLONEDX_H_

#include <string>

#include "absl/status/statusor.h"
#include "bulwark/image/sbom/sbom.pb.h"
#include "bulwark/image/vuln/osv.pb.h"

namespace bulwark::vuln {

// `result` must come from matching `sbom`. Each vulnerability carries its ID, the other IDs as
// references, ratings (the CVSS score, severity, method CVSSv2/v3/v31/v4 and vector when known;
// Bulwark's severity with method "other" and its source as justification), the summary,
// "Upgrade ... to ..." as the recommendation, the affected version, and the VEX assessment as
// `analysis` (state not_affected / resolved / exploitable / in_triage, the justification mapped
// to CycloneDX's, the reason as detail). Errors: Internal only if the SBOM writer's own
// output does not parse.
absl::StatusOr<std::string> FindingsToCycloneDx(const v1::MatchResult& result,
                                                const sbom::v1::Sbom& sbom);

}  // namespace bulwark::vuln

#endif  // BULWARK_IMAGE_VULN_FINDINGS_CYCLONEDX_H_
