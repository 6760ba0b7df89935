// CVSS vectors (v2.0, v3.0, v3.1, v4.0): strict parsing, scores by the FIRST specifications, and
// qualitative severity ratings.
//   BULWARK_ASSIGN_OR_RETURN(CvssScores s,
//   ScoreCvss("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")); s.base_score == 9.8; s.rating ==
//   CvssRating::kCritical
// Specifications: CVSS v2 Complete Guide (section 3.2 equations), CVSS v3.0 and v3.1
// Specification Documents (section 7/8 equations, v3.1 Appendix A Roundup), CVSS v4.0
// Specification Document (section 8: MacroVector lookup, severity-distance interpolation).
// Thread safety: free functions over immutable tables; safe to call concurrently.
#ifndef BULWARK_IMAGE_VULN_CVSS_H_
#define BULWARK_IMAGE_VULN_CVSS_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/report.pb.h"

namespace bulwark::vuln {

enum class CvssVersion { kV2_0, kV3_0, kV3_1, kV4_0 };

// "2.0", "3.0", "3.1" or "4.0".
absl::string_view CvssVersionName(CvssVersion version);

// The qualitative rating of a score. v3.x and v4.0 define None (0.0), Low (0.1-3.9), Medium
// (4.0-6.9), High (7.0-8.9) and Critical (9.0-10.0). v2 defines no scale; the NVD's is used:
// Low (0.0-3.9), Medium (4.0-6.9), High (7.0-10.0).
enum class CvssRating { kNone, kLow, kMedium, kHigh, kCritical };

// "None", "Low", "Medium", "High" or "Critical".
absl::string_view CvssRatingName(CvssRating rating);

CvssRating RatingForScore(CvssVersion version, double score);

// The report severity of a rating. None maps to SEVERITY_LOW: a finding that matched an
// advisory is never "unknown", and Bulwark has no lower level.
core::v1::Severity ToReportSeverity(CvssRating rating);

// What one vector scores. Scores are already rounded as the specification says (one decimal).
struct CvssScores {
  CvssVersion version = CvssVersion::kV3_1;
  // The score of the Base metrics alone (v4.0: Threat and Environmental metrics as Not Defined).
  double base_score = 0;
  CvssRating base_rating = CvssRating::kNone;
  // v2 and v3.x: set when the vector defines any Temporal metric (not X / ND).
  std::optional<double> temporal_score;
  // v2 and v3.x: set when the vector defines any Environmental metric.
  std::optional<double> environmental_score;
  // The score the whole vector expresses: v2/v3.x the environmental, else temporal, else base
  // score; v4.0 the score with every metric given (CVSS-B, -BT, -BE or -BTE).
  double score = 0;
  CvssRating rating = CvssRating::kNone;
  // v4.0 only: "CVSS-B", "CVSS-BT", "CVSS-BE" or "CVSS-BTE"; empty for earlier versions.
  std::string nomenclature;
  // v4.0 only: the six-digit MacroVector (EQ1..EQ6), e.g. "000200".
  std::string macro_vector;
};

// Parses and scores `vector`. The version comes from the prefix: "CVSS:3.0/", "CVSS:3.1/",
// "CVSS:4.0/", and no prefix is v2 ("AV:N/AC:L/Au:N/C:P/I:P/A:P"). Metrics may come in any
// order (the v3.x specifications allow it and published v4.0 vectors do it), but each at most
// once. Errors: InvalidArgument quoting the vector and naming the problem — an unknown prefix,
// an unknown metric, a duplicate metric, a missing mandatory (Base) metric, or a value the
// metric does not have — e.g. `CVSS vector "CVSS:3.1/AV:N": missing mandatory metric "AC"`.
absl::StatusOr<CvssScores> ScoreCvss(absl::string_view vector);

}  // namespace bulwark::vuln

#endif  // BULWARK_IMAGE_VULN_CVSS_H_
