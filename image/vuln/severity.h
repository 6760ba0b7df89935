// The severity of one advisory for one package: the database's own label where it gives one,
// otherwise the rating of its CVSS vector (cvss.h).
//   AdvisorySeverity s = SelectSeverity(*match.record, match.affected);
//   finding.set_severity(s.level);   // s.label "MODERATE", s.source "database_specific.severity"
// Thread safety: a pure function of its arguments.
#ifndef BULWARK_IMAGE_VULN_SEVERITY_H_
#define BULWARK_IMAGE_VULN_SEVERITY_H_

#include <optional>
#include <string>
#include <vector>

#include "bulwark/core/report.pb.h"
#include "bulwark/image/vuln/cvss.h"
#include "bulwark/image/vuln/osv.pb.h"

namespace bulwark::vuln {

struct AdvisorySeverity {
  // The severity to report; SEVERITY_UNKNOWN when the record has neither a recognised label nor
  // a valid CVSS vector.
  core::v1::Severity level = core::v1::SEVERITY_UNKNOWN;
  // The database's label as written ("MODERATE", "unimportant", "not yet assigned"); "" when
  // the record has none. Kept even when it maps to no level.
  std::string label;
  // Where `level` came from, e.g. "affected[].ecosystem_specific.urgency", "severity[CVSS_V3]";
  // "" when level is SEVERITY_UNKNOWN.
  std::string source;
  // The chosen CVSS vector and its scores (the newest CVSS version among the valid vectors),
  // also when a label decided `level`.
  std::string cvss_vector;
  std::optional<CvssScores> cvss;
  // One line per vector that failed to parse: `severity[CVSS_V3]: <ScoreCvss error>`.
  std::vector<std::string> warnings;
};

// The report severity of a database label, case-insensitively: critical; high / important;
// medium / moderate; low / negligible / unimportant (Debian's urgency for "not a security
// problem in Debian"). Other labels ("not yet assigned", "unknown") give SEVERITY_UNKNOWN.
core::v1::Severity SeverityFromLabel(absl::string_view label);

// Picks the severity of `record` as it affects the package of `affected` (which may be null,
// and otherwise must be one of record.affected()). Labels are looked for, first found first, in
// affected.ecosystem_specific.severity, affected.ecosystem_specific.urgency (Debian),
// affected.database_specific.severity, record.database_specific.severity (GHSA), then the
// non-CVSS entries of affected.severity[] and record.severity[] (e.g. type "Ubuntu"), then a
// summary prefix ("Important: openssl security update", Red Hat style); the first label that
// maps to a level decides it. Otherwise the CVSS vectors of affected.severity[] and
// record.severity[] (types CVSS_V2, CVSS_V3, CVSS_V4) are scored and the newest version's
// overall rating decides. Invalid JSON in the *_specific fields is ignored (the loader already
// validated it).
AdvisorySeverity SelectSeverity(const v1::Record& record, const v1::Affected* affected);

}  // namespace bulwark::vuln

#endif  // BULWARK_IMAGE_VULN_SEVERITY_H_
