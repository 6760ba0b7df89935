// RubyGems versions as Gem::Version accepts and orders them: digits, then ".segment"s of
// letters and digits, then an optional "-prerelease" (read as ".pre."); letter segments make a
// prerelease and sort before numbers; trailing zeros of the numeric and of the letter part are
// ignored (1.0 == 1, 1.a.0 == 1.a).
// Thread safety: pure functions.
#ifndef BULWARK_IMAGE_VULN_INTERNAL_RUBYGEMS_VERSION_H_
#define BULWARK_IMAGE_VULN_INTERNAL_RUBYGEMS_VERSION_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bulwark::vuln::internal {

struct GemSegment {
  bool numeric = false;
  std::string text;  // Digits without leading zeros, or letters.
};

struct GemVersion {
  std::vector<GemSegment> canonical_segments;
};

// Errors: InvalidArgument for an empty version or one Gem::Version::ANCHORED_VERSION_PATTERN
// rejects (surrounding ASCII whitespace is allowed, as in RubyGems).
absl::StatusOr<GemVersion> ParseGemVersion(absl::string_view text);

// Gem::Version#<=>: -1, 0 or 1.
int CompareGemVersions(const GemVersion& a, const GemVersion& b);

}  // namespace bulwark::vuln::internal

#endif  // BULWARK_IMAGE_VULN_INTERNAL_RUBYGEMS_VERSION_H_
