// Versions that are lists of numbers, ordered component by component with a shorter list that
// is a prefix of a longer one sorting first: CRAN (R's package_version: "1.2-3", at least two
// components, '.' or '-' between them) and Hackage (Cabal's Version: "1.2.3", no leading zeros,
// at most 9 digits per component).
// Thread safety: pure functions.
#ifndef BULWARK_IMAGE_VULN_INTERNAL_NUMERIC_LIST_VERSION_H_
#define BULWARK_IMAGE_VULN_INTERNAL_NUMERIC_LIST_VERSION_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bulwark::vuln::internal {

using NumericList = std::vector<std::string>;  // Digit strings.

// Errors: InvalidArgument saying which rule of R's package_version the text breaks.
absl::StatusOr<NumericList> ParseCranVersion(absl::string_view text);

// Errors: InvalidArgument saying which rule of Cabal's version syntax the text breaks.
absl::StatusOr<NumericList> ParseHackageVersion(absl::string_view text);

// -1, 0 or 1.
int CompareNumericLists(const NumericList& a, const NumericList& b);

}  // namespace bulwark::vuln::internal

#endif  // BULWARK_IMAGE_VULN_INTERNAL_NUMERIC_LIST_VERSION_H_
