// node-semver ranges ("^1.2.3", "~1.2", "1.x || >=2.5.0", "1.2.3 - 2.3.4"), evaluated as
// node-semver 7's satisfies(version, range, {loose, includePrerelease}) does: caret, tilde,
// x-range and hyphen sugar become primitive comparators, and a pre-release version only matches
// a comparator set that names a pre-release of the same MAJOR.MINOR.PATCH.
// Thread safety: pure function.
#ifndef BULWARK_IMAGE_VULN_INTERNAL_NODE_SEMVER_RANGE_H_
#define BULWARK_IMAGE_VULN_INTERNAL_NODE_SEMVER_RANGE_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bulwark::vuln::internal {

struct NodeRangeOptions {
  bool loose = false;               // Default: false.
  bool include_prerelease = false;  // Default: false.
};

// Whether `version` satisfies `range`. A version node-semver cannot parse satisfies nothing
// (false), as in node-semver. Errors: InvalidArgument for a range node-semver rejects (its
// satisfies() then returns false too).
absl::StatusOr<bool> NodeSemverSatisfies(absl::string_view range, absl::string_view version,
                                         const NodeRangeOptions& options = {});

}  // namespace bulwark::vuln::internal

#endif  // BULWARK_IMAGE_VULN_INTERNAL_NODE_SEMVER_RANGE_H_
