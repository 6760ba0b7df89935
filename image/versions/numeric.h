// Helpers the version schemes share: comparing runs of ASCII digits as unbounded integers, so
// that no scheme overflows on a 30-digit date stamp.
// Thread safety: pure functions.
#ifndef BULWARK_IMAGE_VERSIONS_NUMERIC_H_
#define BULWARK_IMAGE_VERSIONS_NUMERIC_H_

#include "absl/strings/string_view.h"

namespace bulwark::versions {

inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

inline bool AllDigits(absl::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!IsAsciiDigit(c)) return false;
  }
  return true;
}

// `digits` without its leading zeros ("" for "000").
inline absl::string_view StripLeadingZeros(absl::string_view digits) {
  size_t i = 0;
  while (i < digits.size() && digits[i] == '0') ++i;
  return digits.substr(i);
}

// Compares two runs of ASCII digits as non-negative integers of any size: -1, 0 or 1.
inline int CompareDigits(absl::string_view a, absl::string_view b) {
  a = StripLeadingZeros(a);
  b = StripLeadingZeros(b);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

// -1, 0 or 1 for any three-way comparison value.
inline int Sign(int value) { return value < 0 ? -1 : (value > 0 ? 1 : 0); }

template <typename T>
int CompareValues(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

}  // namespace bulwark::versions

#endif  // BULWARK_IMAGE_VERSIONS_NUMERIC_H_
