// Maven artifact versions ordered as Maven's ComparableVersion (maven-artifact 3.9 / 4.0, with
// MNG-5568, MNG-6572, MNG-6964, MNG-7644 and MNG-7714): items split at '.', '-' and letter/digit
// transitions, known qualifiers (alpha < beta < milestone < rc = cr < snapshot < "" = ga = final
// = release < sp) before unknown ones, trailing zero items ignored.
// Thread safety: pure functions.
#ifndef BULWARK_IMAGE_VULN_INTERNAL_MAVEN_VERSION_H_
#define BULWARK_IMAGE_VULN_INTERNAL_MAVEN_VERSION_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bulwark::vuln::internal {

// One item of ComparableVersion's tree.
struct MavenItem {
  // Java's IntItem, LongItem and BigIntegerItem are kNumber with rank 0, 1, 2.
  enum class Kind { kNumber, kString, kCombination, kList };
  Kind kind = Kind::kList;
  int number_rank = 0;
  std::string text;    // kNumber: digits; kString / kCombination: the (aliased) qualifier.
  std::string digits;  // kCombination: the number after the qualifier.
  std::vector<MavenItem> items;  // kList.
};

// Maven accepts any string; Bulwark rejects only what no repository holds: an empty version,
// whitespace or control characters, invalid UTF-8, and more than 512 nested '-' lists (the
// tree is recursive). Letters are lower-cased for ASCII, Latin-1, Latin Extended-A, Greek and
// Cyrillic (Java lower-cases all of Unicode).
absl::StatusOr<MavenItem> ParseMavenVersion(absl::string_view text);

// ComparableVersion.compareTo: -1, 0 or 1.
int CompareMavenVersions(const MavenItem& a, const MavenItem& b);

}  // namespace bulwark::vuln::internal

#endif  // BULWARK_IMAGE_VULN_INTERNAL_MAVEN_VERSION_H_
