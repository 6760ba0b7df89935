// UTF-8 decoding and encoding per RFC 3629 (no overlong forms, no surrogates, at most U+10FFFF),
// for code that counts or edits code points: CEL strings, Maven qualifiers.
// Thread safety: pure functions.
#ifndef BULWARK_CORE_UTF8_H_
#define BULWARK_CORE_UTF8_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace bulwark::core {

// Decodes the code point starting at byte `pos` of `text` into `code_point`; returns its length
// in bytes (1-4), or 0 when the sequence there is malformed or truncated.
size_t DecodeUtf8CodePoint(absl::string_view text, size_t pos, char32_t& code_point);
// Code points of `text`; each byte of a malformed sequence becomes U+FFFD.
std::u32string DecodeUtf8(absl::string_view text);
std::string EncodeUtf8(std::u32string_view code_points);
// Appends one code point (the caller passes a Unicode scalar value; no check).
void AppendUtf8(char32_t code_point, std::string& out);
// Whether `text` is well-formed UTF-8 (no surrogates, no overlong forms).
bool IsValidUtf8(absl::string_view text);

}  // namespace bulwark::core

#endif  // BULWARK_CORE_UTF8_H_
