// Fuzzes every version scheme's parser and comparator: the input is two versions separated by
// the first newline. Nothing may crash or hang; where the order is a total order by design
// (dpkg, rpm EVR, PEP 440, the semver dialects, NuGet, RubyGems, CRAN, Hackage), swapping the
// arguments must negate the result and a valid version must equal itself. node-semver ranges
// and PEP 440 specifiers read the first part as a range / specifier.
#include <cstdint>
#include <cstdlib>

#include "absl/strings/string_view.h"
#include "bulwark/image/versions/pep440_specifier.h"
#include "bulwark/image/vuln/internal/apk_version.h"
#include "bulwark/image/vuln/internal/node_semver_range.h"
#include "bulwark/image/vuln/internal/rpm_version.h"
#include "bulwark/image/vuln/version.h"

namespace vuln = bulwark::vuln;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  absl::string_view a = input.substr(0, newline);
  absl::string_view b = newline == absl::string_view::npos ? input : input.substr(newline + 1);
  for (vuln::VersionScheme scheme :
       {vuln::VersionScheme::kDpkg, vuln::VersionScheme::kApk, vuln::VersionScheme::kRpm,
        vuln::VersionScheme::kPep440, vuln::VersionScheme::kNpm, vuln::VersionScheme::kGo,
        vuln::VersionScheme::kSemver, vuln::VersionScheme::kMaven, vuln::VersionScheme::kRubyGems,
        vuln::VersionScheme::kComposer, vuln::VersionScheme::kNuGet, vuln::VersionScheme::kPub,
        vuln::VersionScheme::kCran, vuln::VersionScheme::kHackage}) {
    absl::StatusOr<int> forward = vuln::CompareVersions(scheme, a, b);
    absl::StatusOr<int> backward = vuln::CompareVersions(scheme, b, a);
    if (forward.ok() != backward.ok()) std::abort();
    bool total_order = scheme != vuln::VersionScheme::kMaven &&
                       scheme != vuln::VersionScheme::kComposer &&
                       scheme != vuln::VersionScheme::kApk;
    if (forward.ok() && total_order) {
      if (*forward != -*backward) std::abort();
      absl::StatusOr<int> self = vuln::CompareVersions(scheme, a, a);
      if (!self.ok() || *self != 0) std::abort();
    }
  }
  if (vuln::internal::RpmVerCmp(a, b) != -vuln::internal::RpmVerCmp(b, a)) std::abort();
  (void)vuln::internal::CompareApkVersions(a, b, /*fuzzy=*/true);
  (void)vuln::internal::NodeSemverSatisfies(a, b, {.loose = size % 2 == 0});
  absl::StatusOr<bulwark::versions::Pep440Version> pep440 =
      bulwark::versions::ParsePep440Version(b);
  if (pep440.ok()) (void)bulwark::versions::Pep440SpecifierContains(a, *pep440, size % 3 == 0);
  return 0;
}
