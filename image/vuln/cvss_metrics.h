// Internal to cvss.cc and cvss_v4.cc: the strict "NAME:VALUE/NAME:VALUE" parser shared by every
// CVSS version, driven by a table of the version's metrics.
#ifndef BULWARK_IMAGE_VULN_CVSS_METRICS_H_
#define BULWARK_IMAGE_VULN_CVSS_METRICS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bulwark/image/vuln/cvss.h"

namespace bulwark::vuln::cvss_internal {

// One metric of a version: its abbreviation, its values separated by spaces (the "not defined"
// value included for optional metrics), and whether a vector must give it.
struct MetricSpec {
  absl::string_view name;
  absl::string_view values;
  bool mandatory;
};

// The metrics of one vector. Borrows the specs and the vector text.
class Metrics {
 public:
  Metrics(absl::Span<const MetricSpec> specs, std::vector<absl::string_view> values)
      : specs_(specs), values_(std::move(values)) {}

  // The value of `name`, or `absent` when the vector does not give it. `name` must be in the
  // spec table (a programming error otherwise).
  absl::string_view Get(absl::string_view name, absl::string_view absent = "") const;

 private:
  absl::Span<const MetricSpec> specs_;
  std::vector<absl::string_view> values_;  // Parallel to specs_; empty when absent.
};

// Parses `body` (the vector without its "CVSS:x.y/" prefix). `vector` is the whole vector, for
// error messages. Errors: InvalidArgument naming the metric (unknown, duplicate, missing
// mandatory, invalid value) or an empty / malformed component.
absl::StatusOr<Metrics> ParseMetrics(absl::string_view vector, absl::string_view body,
                                     absl::Span<const MetricSpec> specs);

// The InvalidArgument error `CVSS vector "<vector>": <problem>`.
absl::Status VectorError(absl::string_view vector, absl::string_view problem);

// Scores a v4.0 vector (cvss_v4.cc); `body` follows the "CVSS:4.0/" prefix.
absl::StatusOr<CvssScores> ScoreCvss4(absl::string_view vector, absl::string_view body);

}  // namespace bulwark::vuln::cvss_internal

#endif  // BULWARK_IMAGE_VULN_CVSS_METRICS_H_
