// Packagist (Composer) versions: normalised as Composer's VersionParser::normalize does
// ("v1.2" -> "1.2.0.0", "1.0-b2" -> "1.0.0.0-beta2", date versions, "-dev" suffixes, build
// metadata dropped) and ordered as PHP's version_compare() orders the normalised strings.
// Thread safety: pure functions.
#ifndef BULWARK_IMAGE_VULN_INTERNAL_COMPOSER_VERSION_H_
#define BULWARK_IMAGE_VULN_INTERNAL_COMPOSER_VERSION_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bulwark::vuln::internal {

// Errors: InvalidArgument for what Composer calls an invalid version string, and for branch
// versions ("dev-main", "1.x-dev"), which have no order.
absl::StatusOr<std::string> NormalizeComposerVersion(absl::string_view text);

// PHP's version_compare(a, b) on any two strings: -1, 0 or 1.
int PhpVersionCompare(absl::string_view a, absl::string_view b);

}  // namespace bulwark::vuln::internal

#endif  // BULWARK_IMAGE_VULN_INTERNAL_COMPOSER_VERSION_H_
