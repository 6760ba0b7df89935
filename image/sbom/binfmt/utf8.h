// UTF-8 checks for text taken from binary package databases, which may hold any bytes.
//   std::string name = SanitizeUtf8(raw);  // invalid sequences become U+FFFD
// Thread safety: pure functions.
#ifndef BULWARK_IMAGE_SBOM_BINFMT_UTF8_H_
#define BULWARK_IMAGE_SBOM_BINFMT_UTF8_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace bulwark::sbom::binfmt {

// True when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, at most
// U+10FFFF).
bool IsValidUtf8(absl::string_view text);

// `text` with each maximal invalid subsequence replaced by U+FFFD, the replacement the Unicode
// standard recommends (and what Python's "replace" error handler produces).
std::string SanitizeUtf8(absl::string_view text);

// Appends code point `rune` to `out` as UTF-8 (1 to 4 bytes). The caller checks that `rune` is a
// Unicode scalar value where that matters; surrogates are encoded as 3 bytes like any other.
void AppendUtf8(uint32_t rune, std::string* out);

}  // namespace bulwark::sbom::binfmt

#endif  // BULWARK_IMAGE_SBOM_BINFMT_UTF8_H_
