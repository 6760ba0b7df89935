// Small text helpers shared by the catalogers.
// Thread safety: plain functions.
#ifndef BULWARK_IMAGE_SBOM_INTERNAL_TEXT_H_
#define BULWARK_IMAGE_SBOM_INTERNAL_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"

namespace bulwark::sbom::internal {

// (UTF-8 checks and repair are in bulwark/core/utf8.h.)

// True for names and versions a package manager could have written: 1 to 512 printable ASCII
// characters and no spaces. Catalogers skip entries whose name or version is not.
bool IsPlainToken(absl::string_view text);

// The last "/"-separated component of `path`, and everything before it.
absl::string_view Basename(absl::string_view path);
absl::string_view Dirname(absl::string_view path);

}  // namespace bulwark::sbom::internal

#endif  // BULWARK_IMAGE_SBOM_INTERNAL_TEXT_H_
