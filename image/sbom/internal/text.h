// Small text helpers shared by the catalogers.
// Thread safety: plain functions.
#ifndef BULWARK_IMAGE_SBOM_INTERNAL_TEXT_H_
#define BULWARK_IMAGE_SBOM_INTERNAL_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"

namespace bulwark::sbom::internal {

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or values > U+10FFFF).
bool IsValidUtf8(absl::string_view text);

// `text` with every byte that is not part of well-formed UTF-8 replaced by U+FFFD, so that it
// can go into a protobuf string field.
std::string SanitizeUtf8(absl::string_view text);

// True for names and versions a package manager could have written: 1 to 512 printable ASCII
// characters and no spaces. Catalogers skip entries whose name or version is not.
bool IsPlainToken(absl::string_view text);

// The last "/"-separated component of `path`, and everything before it.
absl::string_view Basename(absl::string_view path);
absl::string_view Dirname(absl::string_view path);

}  // namespace bulwark::sbom::internal

#endif  // BULWARK_IMAGE_SBOM_INTERNAL_TEXT_H_
