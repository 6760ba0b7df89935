// Debian package versions ([epoch:]upstream[-revision]) parsed and ordered as dpkg does
// (lib/dpkg/parsehelp.c parseversion, lib/dpkg/version.c dpkg_version_compare): Debian, Ubuntu.
// Thread safety: pure functions.
#ifndef BULWARK_IMAGE_VULN_INTERNAL_DPKG_VERSION_H_
#define BULWARK_IMAGE_VULN_INTERNAL_DPKG_VERSION_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bulwark::vuln::internal {

// The parts borrow from the text that was parsed (comparisons allocate nothing).
struct DpkgVersion {
  uint32_t epoch = 0;
  absl::string_view upstream;
  absl::string_view revision;  // "" when the version has no '-'.
  // Set when dpkg accepts the version only with a warning (Debian policy says "should"): the
  // upstream part does not start with a digit, or a part holds a character policy forbids.
  // `dpkg --compare-versions` still compares such versions, and so does Bulwark.
  absl::string_view warning;
};

// Parses `text` (which must outlive the result) as dpkg does; leading and trailing whitespace is
// ignored. Errors (InvalidArgument, dpkg's wording): empty version, embedded spaces, an empty,
// non-numeric, negative or too big epoch, nothing after the colon, an empty revision, an empty
// upstream part.
absl::StatusOr<DpkgVersion> ParseDpkgVersion(absl::string_view text);

// dpkg's order: epoch, then upstream and revision by verrevcmp ('~' before everything, even the
// end; digit runs numerically; letters before other characters). Returns -1, 0 or 1.
int CompareDpkgVersions(const DpkgVersion& a, const DpkgVersion& b);

}  // namespace bulwark::vuln::internal

#endif  // BULWARK_IMAGE_VULN_INTERNAL_DPKG_VERSION_H_
