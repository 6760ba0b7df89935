// UTF-8 checks for text taken from binary package databases, which may hold any bytes.
//   std::string name = SanitizeUtf8(raw);  // invalid sequences become U+FFFD
// Thread safety: pure functions.
#ifndef BULWARK_IMAGE_SBOM_BINFMT_UTF8_H_
#define BULWARK_IMAGE_SBOM_BINFMT_UTF8_H_

#include <string>

#include "absl/strings/string_view.h"

namespace bulwark::sbom::binfmt {

// True when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, at most
// U+10FFFF).
bool IsValidUtf8(absl::string_view text);

// `text` with each maximal invalid subsequence replaced by U+FFFD, the replacement the Unicode
// standard recommends (and what Python's "replace" error handler produces).
std::string SanitizeUtf8(absl::string_view text);

}  // namespace bulwark::sbom::binfmt

#endif  // BULWARK_IMAGE_SBOM_BINFMT_UTF8_H_
