// Which language packages an OS package installed: a Python egg-info that dpkg's
// python3-requests lists, a jar of a Debian libfoo-java, an npm package.json that an apk owns.
// The distribution's advisories for the owner (with the fixes it backports) are the ones that
// apply to such a package, so the matcher leaves it out (MatchOptions::match_os_owned_packages),
// as Trivy and Grype do (docs/vuln.md, "OS-owned language packages").
//   BULWARK_ASSIGN_OR_RETURN(v1::Sbom sbom, sbom::Catalog(*image));  // include_files = true
//   std::vector<std::optional<OsOwner>> owners = FindOsOwners(sbom);
//   if (owners[i]) std::cout << sbom.packages(owners[i]->owner).name() << "\n";
// Thread safety: a plain function over its argument.
#ifndef BULWARK_IMAGE_VULN_OS_OWNED_H_
#define BULWARK_IMAGE_VULN_OS_OWNED_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "bulwark/image/sbom/sbom.pb.h"

namespace bulwark::vuln {

// The OS package that installed a language package.
struct OsOwner {
  uint32_t owner = 0;  // Index into Sbom.packages of the deb, apk or rpm package.
  std::string path;    // The language package's declaring file, which the owner's file list names.
};

// For each of `sbom.packages`, in order, its OsOwner or nullopt. A package is OS-owned when
// - its type is not deb, apk or rpm (a language package: pypi, npm, gem, maven, golang, ...);
// - a deb, apk or rpm package lists the file that declared it (its first location: a METADATA
//   or PKG-INFO, a package.json, a gemspec, a jar, an executable) among its installed files
//   (Package.files, which sbom::Catalog keeps when CatalogOptions::include_files is true;
//   sbom::PathOwners answers the lookup as `dpkg -S` does); and
// - its version agrees with the owner's (OsVersionAgrees), as in Grype: that tells the package
//   the OS package is (requests 2.28.1 in python3-requests 2.28.1+dfsg-1) from other software
//   inside the owner's files (the Go standard library or modules built into a Debian executable,
//   jars shaded into a packaged jar), which the distribution's advisories for the owner do not
//   cover.
// Without installed-file lists nothing is OS-owned. When several OS packages qualify, the first.
std::vector<std::optional<OsOwner>> FindOsOwners(const sbom::v1::Sbom& sbom);

// True when an OS package of version `os_version` ships the upstream version `version`: after
// dropping an epoch ("1:") from the first and a "v" before a digit from the second,
// `os_version` is `version` or continues it with '+', '-' or '~' ("2.28.1" in "2.28.1+dfsg-1",
// "3.3" in "3.3-1+deb12u1", "2.20.0" in "2.20.0-3.el8", "2.32.3" in "2.32.3-r0"; not "3.3" in
// "3.3.1-1").
bool OsVersionAgrees(absl::string_view version, absl::string_view os_version);

}  // namespace bulwark::vuln

#endif  // BULWARK_IMAGE_VULN_OS_OWNED_H_
