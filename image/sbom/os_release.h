// Which distribution a root filesystem is, from the files distributions use to say so:
// os-release (/etc, then /usr/lib), lsb-release, alpine-release, the "<vendor>-release" files of
// the Red Hat family, and debian_version.
//   absl::btree_map<std::string, std::string> files = {{"etc/os-release", text}};
//   v1::OperatingSystem os = DetectOperatingSystem(files);  // os.osv_ecosystem() == "Debian:12"
// Thread safety: plain functions.
#ifndef BULWARK_IMAGE_SBOM_OS_RELEASE_H_
#define BULWARK_IMAGE_SBOM_OS_RELEASE_H_

#include <string>

#include "absl/container/btree_map.h"
#include "absl/strings/string_view.h"
#include "bulwark/image/sbom/sbom.pb.h"

namespace bulwark::sbom {

// True for the normalised paths ("etc/os-release") DetectOperatingSystem reads.
bool IsOsReleaseFile(absl::string_view path);

// The KEY=VALUE assignments of an os-release or lsb-release file (shell-like quoting: "..."
// with backslash escapes, '...' literal, or a bare word). Malformed lines are skipped.
absl::btree_map<std::string, std::string> ParseOsReleaseFields(absl::string_view text);

// The distribution the files say (normalised path -> content); an empty message when none of
// them names one. os-release wins over the others; the first file that names a distribution
// gives id and version, later ones of the same distribution may add a missing codename.
v1::OperatingSystem DetectOperatingSystem(const absl::btree_map<std::string, std::string>& files);

// The OSV ecosystem of the distribution ("Debian:12", "Ubuntu:22.04:LTS", "Alpine:v3.19",
// "AlmaLinux:9"), or "" when OSV has none for it.
std::string OsvEcosystem(const v1::OperatingSystem& os);

}  // namespace bulwark::sbom

#endif  // BULWARK_IMAGE_SBOM_OS_RELEASE_H_
