#include "bulwark/image/sign/internal/canonical_json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/core/value.h"

namespace bulwark::sign::internal {
namespace {

constexpr int64_t kMaxSafeInteger = (int64_t{1} << 53);

// UTF-16 code units of a UTF-8 name, for RFC 8785's member order.
std::u16string Utf16(const std::string& text) {
  std::u16string out;
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    uint32_t cp = c;
    int extra = 0;
    if (c >= 0xf0) {
      cp = c & 0x07;
      extra = 3;
    } else if (c >= 0xe0) {
      cp = c & 0x0f;
      extra = 2;
    } else if (c >= 0xc0) {
      cp = c & 0x1f;
      extra = 1;
    }
    ++i;
    for (int k = 0; k < extra && i < text.size(); ++k, ++i) {
      cp = (cp << 6) | (static_cast<unsigned char>(text[i]) & 0x3f);
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xd800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xdc00 + (cp & 0x3ff)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

// ECMAScript Number.prototype.toString for a finite double (RFC 8785 section 3.2.2.3).
std::string FormatDouble(double d) {
  if (d == 0) return "0";
  char digits[32];
  // Shortest round-trip digits in scientific form: d.ddddde[+-]x.
  auto result = std::to_chars(digits, digits + sizeof digits, d, std::chars_format::scientific);
  std::string sci(digits, result.ptr);
  std::string sign;
  if (sci[0] == '-') {
    sign = "-";
    sci.erase(0, 1);
  }
  const size_t e = sci.find('e');
  std::string mantissa = sci.substr(0, e);
  const int exponent = std::stoi(sci.substr(e + 1));
  mantissa.erase(std::remove(mantissa.begin(), mantissa.end(), '.'), mantissa.end());
  const int k = static_cast<int>(mantissa.size());
  const int n = exponent + 1;
  std::string out;
  if (k <= n && n <= 21) {
    out = mantissa + std::string(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out =
        mantissa.substr(0, static_cast<size_t>(n)) + "." + mantissa.substr(static_cast<size_t>(n));
  } else if (-6 < n && n <= 0) {
    out = "0." + std::string(static_cast<size_t>(-n), '0') + mantissa;
  } else {
    out = mantissa.substr(0, 1);
    if (k > 1) out += "." + mantissa.substr(1);
    out += absl::StrCat("e", n - 1 >= 0 ? "+" : "-", std::abs(n - 1));
  }
  return sign + out;
}

absl::Status Append(const core::Value& value, std::string* out) {
  switch (value.kind()) {
    case core::Value::Kind::kNull:
      out->append("null");
      return absl::OkStatus();
    case core::Value::Kind::kBool:
      out->append(value.bool_value() ? "true" : "false");
      return absl::OkStatus();
    case core::Value::Kind::kInt:
      if (value.int_value() > kMaxSafeInteger || value.int_value() < -kMaxSafeInteger) {
        return absl::InvalidArgumentError("canonical JSON: integer beyond 2^53");
      }
      absl::StrAppend(out, value.int_value());
      return absl::OkStatus();
    case core::Value::Kind::kUint:
      if (value.uint_value() > static_cast<uint64_t>(kMaxSafeInteger)) {
        return absl::InvalidArgumentError("canonical JSON: integer beyond 2^53");
      }
      absl::StrAppend(out, value.uint_value());
      return absl::OkStatus();
    case core::Value::Kind::kDouble:
      if (!std::isfinite(value.double_value())) {
        return absl::InvalidArgumentError("canonical JSON: non-finite number");
      }
      out->append(FormatDouble(value.double_value()));
      return absl::OkStatus();
    case core::Value::Kind::kString:
      core::AppendJsonString(value.string_value(), out);
      return absl::OkStatus();
    case core::Value::Kind::kBytes:
      return absl::InvalidArgumentError("canonical JSON: bytes value");
    case core::Value::Kind::kList: {
      out->push_back('[');
      bool first = true;
      for (const core::Value& item : value.list_value()) {
        if (!first) out->push_back(',');
        first = false;
        BULWARK_RETURN_IF_ERROR(Append(item, out));
      }
      out->push_back(']');
      return absl::OkStatus();
    }
    case core::Value::Kind::kMap: {
      std::vector<std::pair<std::u16string, const core::MapEntry*>> entries;
      for (const core::MapEntry& entry : value.map_value()) {
        entries.emplace_back(Utf16(entry.key), &entry);
      }
      std::sort(entries.begin(), entries.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      out->push_back('{');
      bool first = true;
      for (const auto& [unused, entry] : entries) {
        if (!first) out->push_back(',');
        first = false;
        core::AppendJsonString(entry->key, out);
        out->push_back(':');
        BULWARK_RETURN_IF_ERROR(Append(entry->value, out));
      }
      out->push_back('}');
      return absl::OkStatus();
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> CanonicalJson(const core::Value& value) {
  std::string out;
  BULWARK_RETURN_IF_ERROR(Append(value, &out));
  return out;
}

}  // namespace bulwark::sign::internal
