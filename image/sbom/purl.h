// Package URLs (https://github.com/package-url/purl-spec): the type-specific rules for each
// ecosystem Bulwark catalogs, with distro qualifiers for OS packages.
//   PackageUrl(deb_package, os)  // "pkg:deb/debian/bash@5.2.15-2?arch=amd64&distro=debian-12"
// Thread safety: plain functions.
#ifndef BULWARK_IMAGE_SBOM_PURL_H_
#define BULWARK_IMAGE_SBOM_PURL_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "bulwark/image/sbom/sbom.pb.h"

namespace bulwark::sbom {

// The components of a purl before encoding.
struct PurlParts {
  std::string type;
  std::string namespace_;  // "/"-separated segments; "" for none.
  std::string name;
  std::string version;
  std::vector<std::pair<std::string, std::string>> qualifiers;  // Empty values are dropped.
};

// The canonical string: components percent-encoded (letters, digits, ".-_~" kept, and ":" and
// "+" in versions and qualifier values), qualifiers sorted by key.
std::string FormatPurl(const PurlParts& parts);

// The purl of `package` by its type ("deb", "apk", "rpm", "pypi", "npm", "cargo", "gem",
// "composer", "golang", "maven"; any other type gets type/name@version). OS packages take the
// namespace and the distro qualifier from `os` ("debian-12", "alpine-3.19.1").
std::string PackageUrl(const v1::Package& package, const v1::OperatingSystem& os);

// PEP 503 normalised Python project name: lower case, runs of "-", "_", "." as one "-".
std::string NormalizePythonName(absl::string_view name);

}  // namespace bulwark::sbom

#endif  // BULWARK_IMAGE_SBOM_PURL_H_
