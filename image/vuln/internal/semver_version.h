// Semantic versions MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD] in the dialects the ecosystems use:
// semver.org 2.0.0 (crates.io), node-semver (npm, strict and loose), Go modules (optional "v",
// pseudo-versions and +incompatible are ordinary pre-release and build parts) and Dart's
// pub_semver (leading zeros allowed, build metadata ordered).
// Thread safety: pure functions.
#ifndef BULWARK_IMAGE_VULN_INTERNAL_SEMVER_VERSION_H_
#define BULWARK_IMAGE_VULN_INTERNAL_SEMVER_VERSION_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bulwark::vuln::internal {

enum class SemverDialect {
  kSemver2,    // semver.org 2.0.0 exactly (Rust's semver crate): no prefix, no leading zeros.
  kNode,       // node-semver strict: surrounding whitespace, optional "v", at most 256 bytes,
               // numbers up to 2^53-1.
  kNodeLoose,  // node-semver {loose: true}: also "=" and spaces before, leading zeros, and a
               // pre-release without '-' ("1.2.3beta").
  kGo,         // Go module versions, with or without the "v" prefix.
  kPub,        // Dart pub_semver: leading zeros allowed.
};

struct SemVer {
  std::string major, minor, patch;  // Digit strings.
  std::vector<std::string> prerelease;
  std::vector<std::string> build;
};

// Errors: InvalidArgument naming the dialect's rule the text breaks.
absl::StatusOr<SemVer> ParseSemver(absl::string_view text, SemverDialect dialect);

// semver.org precedence (node-semver's compare): build metadata is ignored. -1, 0 or 1.
int CompareSemver(const SemVer& a, const SemVer& b);

// pub_semver's Version.compareTo: as CompareSemver, then no build < build, then build
// identifiers like pre-release ones.
int ComparePubVersions(const SemVer& a, const SemVer& b);

// Compares dot-separated identifier lists as semver.org 11.4 does: digit-only identifiers
// numerically and below alphanumeric ones, others by ASCII; a shorter list that is a prefix of
// the longer one sorts first. With `ignore_case`, letters compare case-insensitively (NuGet).
int CompareIdentifierLists(const std::vector<std::string>& a, const std::vector<std::string>& b,
                           bool ignore_case = false);

}  // namespace bulwark::vuln::internal

#endif  // BULWARK_IMAGE_VULN_INTERNAL_SEMVER_VERSION_H_
