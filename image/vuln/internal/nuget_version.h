// NuGet package versions as NuGet.Versioning's NuGetVersion parses and VersionComparer.Default
// orders them: 1 to 4 numeric parts (missing parts are 0), an optional release label of
// dot-separated identifiers compared case-insensitively, and build metadata that is ignored.
// Thread safety: pure functions.
#ifndef BULWARK_IMAGE_VULN_INTERNAL_NUGET_VERSION_H_
#define BULWARK_IMAGE_VULN_INTERNAL_NUGET_VERSION_H_

#include <array>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bulwark::vuln::internal {

struct NuGetVersion {
  std::array<std::string, 4> parts;  // Major, minor, patch, revision as digit strings.
  std::vector<std::string> release_labels;
  std::vector<std::string> metadata;
};

// Errors: InvalidArgument naming the part that is not a number or label that is malformed.
absl::StatusOr<NuGetVersion> ParseNuGetVersion(absl::string_view text);

// -1, 0 or 1.
int CompareNuGetVersions(const NuGetVersion& a, const NuGetVersion& b);

}  // namespace bulwark::vuln::internal

#endif  // BULWARK_IMAGE_VULN_INTERNAL_NUGET_VERSION_H_
