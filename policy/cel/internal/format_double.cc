#include "bulwark/policy/cel/internal/format_double.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace bulwark::cel::internal {

std::string FormatDouble(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
  if (d == 0) return std::signbit(d) ? "-0" : "0";
  // Shortest round-trip digits in scientific form: "-d.ddde+XX".
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), d, std::chars_format::scientific);
  std::string text(buffer, result.ptr);
  std::string sign;
  if (text[0] == '-') {
    sign = "-";
    text.erase(0, 1);
  }
  size_t e = text.find('e');
  int exponent = std::atoi(text.c_str() + e + 1);
  std::string digits;
  for (size_t i = 0; i < e; ++i) {
    if (text[i] != '.') digits.push_back(text[i]);
  }
  if (exponent < -4 || exponent >= 21) {
    std::string mantissa = digits.substr(0, 1);
    if (digits.size() > 1) absl::StrAppend(&mantissa, ".", digits.substr(1));
    int magnitude = std::abs(exponent);
    return absl::StrCat(sign, mantissa, "e", exponent < 0 ? "-" : "+", magnitude < 10 ? "0" : "",
                        magnitude);
  }
  if (exponent < 0) {
    return absl::StrCat(sign, "0.", std::string(static_cast<size_t>(-exponent - 1), '0'), digits);
  }
  auto point = static_cast<size_t>(exponent + 1);
  if (digits.size() <= point) {
    return absl::StrCat(sign, digits, std::string(point - digits.size(), '0'));
  }
  return absl::StrCat(sign, digits.substr(0, point), ".", digits.substr(point));
}

}  // namespace bulwark::cel::internal
