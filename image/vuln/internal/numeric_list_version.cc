#include "bulwark/image/vuln/internal/numeric_list_version.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bulwark/image/versions/numeric.h"

namespace bulwark::vuln::internal {

using ::bulwark::versions::AllDigits;
using ::bulwark::versions::CompareDigits;
using ::bulwark::versions::CompareValues;

absl::StatusOr<NumericList> ParseCranVersion(absl::string_view text) {
  NumericList out;
  for (absl::string_view part : absl::StrSplit(text, absl::ByAnyChar(".-"))) {
    if (!AllDigits(part)) {
      return absl::InvalidArgumentError(
          "invalid package version (expected numbers separated by '.' or '-', e.g. 1.2-3)");
    }
    out.emplace_back(part);
  }
  if (out.size() < 2) {
    return absl::InvalidArgumentError("invalid package version (needs at least two components)");
  }
  return out;
}

absl::StatusOr<NumericList> ParseHackageVersion(absl::string_view text) {
  NumericList out;
  for (absl::string_view part : absl::StrSplit(text, '.')) {
    if (!AllDigits(part)) {
      return absl::InvalidArgumentError(
          "invalid version (expected numbers separated by '.', e.g. 1.2.3)");
    }
    if (part.size() > 1 && part[0] == '0') {
      return absl::InvalidArgumentError(
          absl::StrCat("version component \"", part, "\" has a leading zero"));
    }
    if (part.size() > 9) {
      return absl::InvalidArgumentError(
          absl::StrCat("version component \"", part, "\" has more than 9 digits"));
    }
    out.emplace_back(part);
  }
  return out;
}

int CompareNumericLists(const NumericList& a, const NumericList& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (int c = CompareDigits(a[i], b[i]); c != 0) return c;
  }
  return CompareValues(a.size(), b.size());
}

}  // namespace bulwark::vuln::internal
