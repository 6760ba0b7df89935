// UTF-8 decoding, validation, repair and encoding per RFC 3629 (no overlong forms, no
// surrogates, at most U+10FFFF), for code that counts or edits code points (CEL strings, Maven
// qualifiers) and for text taken from untrusted bytes (package databases, binaries).
//   std::string name = SanitizeUtf8(raw);  // each maximal invalid subpart becomes U+FFFD
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

// Code points of `text`; each byte that does not start a well-formed sequence becomes U+FFFD
// (one per byte, as Go's and cel-go's string-to-rune conversions do).
std::u32string DecodeUtf8(absl::string_view text);

// UTF-8 bytes of `code_points` (each passed to AppendUtf8).
std::string EncodeUtf8(std::u32string_view code_points);

// Appends one code point (the caller passes a Unicode scalar value; no check: a surrogate is
// written as 3 bytes like any other value below U+10000).
void AppendUtf8(char32_t code_point, std::string& out);

// Whether `text` is well-formed UTF-8 (no surrogates, no overlong forms, at most U+10FFFF).
bool IsValidUtf8(absl::string_view text);

// `text` with each maximal subpart of an ill-formed subsequence replaced by one U+FFFD: the
// practice the Unicode Standard (section 3.9, "U+FFFD Substitution of Maximal Subparts") and the
// W3C Encoding Standard describe, and what Python's "replace" error handler produces. A maximal
// subpart is the longest prefix of a well-formed sequence found at that point, or one byte.
// Well-formed input is returned unchanged.
std::string SanitizeUtf8(absl::string_view text);

}  // namespace bulwark::core

#endif  // BULWARK_CORE_UTF8_H_
