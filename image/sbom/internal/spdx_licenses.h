// Telling SPDX license identifiers from free-text license names, for the CycloneDX and SPDX
// writers. Only a table of widely used identifiers is known; anything else is a name.
// Thread safety: plain functions.
#ifndef BULWARK_IMAGE_SBOM_INTERNAL_SPDX_LICENSES_H_
#define BULWARK_IMAGE_SBOM_INTERNAL_SPDX_LICENSES_H_

#include <string>

#include "absl/strings/string_view.h"

namespace bulwark::sbom::internal {

// The SPDX identifier `text` denotes ("MIT", "Apache-2.0"; Debian's "GPL-2+" is
// "GPL-2.0-or-later", "Expat" is "MIT"), or "" when it is not a known one.
std::string SpdxLicenseId(absl::string_view text);

// "LicenseRef-" followed by `text` with every character outside [A-Za-z0-9.-] as "-".
std::string SpdxLicenseRef(absl::string_view text);

}  // namespace bulwark::sbom::internal

#endif  // BULWARK_IMAGE_SBOM_INTERNAL_SPDX_LICENSES_H_
