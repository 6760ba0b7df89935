#include "bulwark/image/vuln/os_owned.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "bulwark/image/sbom/path_owners.h"

namespace bulwark::vuln {
namespace {

bool IsOsPackage(const sbom::v1::Package& package) {
  return package.type() == "deb" || package.type() == "apk" || package.type() == "rpm";
}

// Whether any OS package has an installed-file list and any other package could be owned:
// without both there is nothing to index.
bool OwnershipCanApply(const sbom::v1::Sbom& sbom) {
  bool files = false;
  bool language = false;
  for (const sbom::v1::Package& package : sbom.packages()) {
    if (IsOsPackage(package)) {
      files |= package.files_size() > 0;
    } else {
      language |= package.locations_size() > 0;
    }
    if (files && language) return true;
  }
  return false;
}

}  // namespace

bool OsVersionAgrees(absl::string_view version, absl::string_view os_version) {
  const size_t colon = os_version.find(':');
  if (colon != absl::string_view::npos &&
      std::all_of(os_version.begin(), os_version.begin() + colon, absl::ascii_isdigit)) {
    os_version.remove_prefix(colon + 1);
  }
  if (version.size() > 1 && (version[0] == 'v' || version[0] == 'V') &&
      absl::ascii_isdigit(version[1])) {
    version.remove_prefix(1);
  }
  if (version.empty() || !absl::ConsumePrefix(&os_version, version)) return false;
  return os_version.empty() || os_version[0] == '+' || os_version[0] == '-' || os_version[0] == '~';
}

std::vector<std::optional<OsOwner>> FindOsOwners(const sbom::v1::Sbom& sbom) {
  std::vector<std::optional<OsOwner>> result(sbom.packages_size());
  if (!OwnershipCanApply(sbom)) return result;
  const sbom::PathOwners owners(sbom);
  for (int i = 0; i < sbom.packages_size(); ++i) {
    const sbom::v1::Package& package = sbom.packages(i);
    if (IsOsPackage(package) || package.locations_size() == 0) continue;
    const std::string& path = package.locations(0).path();
    absl::StatusOr<std::vector<uint32_t>> found = owners.Find(path);
    if (!found.ok()) continue;  // A path that cannot be normalised has no owner.
    for (uint32_t owner : *found) {
      const sbom::v1::Package& candidate = sbom.packages(owner);
      if (IsOsPackage(candidate) && OsVersionAgrees(package.version(), candidate.version())) {
        result[i] = OsOwner{owner, path};
        break;
      }
    }
  }
  return result;
}

}  // namespace bulwark::vuln
