// Helpers around the report schema (core/report.proto, package bulwark.core.v1): severity names,
// finding fingerprints, and the --fail-on check.
//   v1::Finding f; f.set_rule_id("BLK-SECRET-AWS"); f.set_severity(v1::SEVERITY_HIGH);
//   f.set_fingerprint(FingerprintFinding(f));
//   if (HasFindingAtOrAbove(report, v1::SEVERITY_HIGH)) return kExitFindings;
// Thread safety: the functions share no state.
#ifndef BULWARK_CORE_REPORT_H_
#define BULWARK_CORE_REPORT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/report.pb.h"

namespace bulwark::core {

// "UNKNOWN", "LOW", "MEDIUM", "HIGH" or "CRITICAL".
absl::string_view SeverityName(v1::Severity severity);

// Reads a severity name in any case, with or without the "SEVERITY_" prefix ("high",
// "SEVERITY_HIGH"). Errors: InvalidArgument listing the accepted names.
absl::StatusOr<v1::Severity> ParseSeverity(absl::string_view name);

// A stable fingerprint of what a finding is and where: the hex SHA-256 of rule id, target,
// path, layer digest and line (and the "match" property when present). Title, description and
// severity are left out so that rewording a rule does not reopen suppressed findings.
std::string FingerprintFinding(const v1::Finding& finding);

// True when any finding's severity is at or above `threshold`.
bool HasFindingAtOrAbove(const v1::Report& report, v1::Severity threshold);

}  // namespace bulwark::core

#endif  // BULWARK_CORE_REPORT_H_
