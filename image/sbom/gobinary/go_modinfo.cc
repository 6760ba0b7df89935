// runtime/debug's module-info text: one record per line, fields separated by tabs.
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/core/utf8.h"
#include "bulwark/image/sbom/gobinary/go_buildinfo.h"

namespace bulwark::sbom {
namespace {

// Appends code point `rune` as UTF-8; false for surrogates and values above U+10FFFF.
bool AppendRune(uint32_t rune, std::string* out) {
  if (rune > 0x10FFFF || (rune >= 0xD800 && rune <= 0xDFFF)) return false;
  core::AppendUtf8(rune, *out);
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The length of the quoted literal at the start of `text` (Go's strconv.QuotedPrefix), or 0.
size_t QuotedPrefixLength(absl::string_view text) {
  if (text.empty()) return 0;
  const char quote = text[0];
  if (quote == '`') {
    size_t end = text.find('`', 1);
    return end == absl::string_view::npos ? 0 : end + 1;
  }
  if (quote != '"') return 0;
  for (size_t i = 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    } else if (text[i] == '\n') {
      return 0;
    }
  }
  return 0;
}

absl::StatusOr<GoModuleVersion> ReadModule(absl::string_view fields, absl::string_view where) {
  std::vector<absl::string_view> parts = absl::StrSplit(fields, '\t');
  if (parts.size() != 2 && parts.size() != 3) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": expected 2 or 3 tab-separated module fields, got ", parts.size()));
  }
  GoModuleVersion module;
  module.path = core::SanitizeUtf8(parts[0]);
  module.version = core::SanitizeUtf8(parts[1]);
  if (parts.size() == 3) module.sum = core::SanitizeUtf8(parts[2]);
  return module;
}

absl::StatusOr<std::pair<std::string, std::string>> ReadSetting(absl::string_view setting,
                                                                absl::string_view where) {
  auto invalid = [&](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": build setting ", what));
  };
  if (setting.empty()) return invalid("is empty");
  std::string key;
  absl::string_view raw_value;
  if (setting[0] == '=') return invalid("has no key");
  if (setting[0] == '"' || setting[0] == '`') {
    size_t length = QuotedPrefixLength(setting);
    if (length == 0) return invalid("has an unterminated quoted key");
    BULWARK_ASSIGN_OR_RETURN(key, UnquoteGoString(setting.substr(0, length)));
    if (length >= setting.size() || setting[length] != '=')
      return invalid("has no '=' after its key");
    raw_value = setting.substr(length + 1);
  } else {
    size_t equals = setting.find('=');
    if (equals == absl::string_view::npos) return invalid("has no '='");
    key = std::string(setting.substr(0, equals));
    raw_value = setting.substr(equals + 1);
  }
  std::string value;
  if (!raw_value.empty() && (raw_value[0] == '"' || raw_value[0] == '`')) {
    if (QuotedPrefixLength(raw_value) != raw_value.size())
      return invalid("has a malformed quoted value");
    BULWARK_ASSIGN_OR_RETURN(value, UnquoteGoString(raw_value));
  } else {
    value = std::string(raw_value);
  }
  return std::make_pair(core::SanitizeUtf8(key), core::SanitizeUtf8(value));
}

}  // namespace

absl::StatusOr<std::string> UnquoteGoString(absl::string_view quoted) {
  auto invalid = [&](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat("invalid Go string literal: ", what));
  };
  if (quoted.size() < 2 || quoted.front() != quoted.back()) return invalid("unbalanced quotes");
  if (quoted.front() == '`') {
    absl::string_view body = quoted.substr(1, quoted.size() - 2);
    if (absl::StrContains(body, '`')) return invalid("backquote inside a raw string");
    std::string out;
    for (char c : body) {
      if (c != '\r') out.push_back(c);  // Go drops carriage returns from raw strings.
    }
    return out;
  }
  if (quoted.front() != '"') return invalid("not quoted");
  absl::string_view body = quoted.substr(1, quoted.size() - 2);
  std::string out;
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c == '"' || c == '\n') return invalid("unescaped quote or newline");
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (++i >= body.size()) return invalid("trailing backslash");
    char escape = body[i];
    switch (escape) {
      case 'a':
        out.push_back('\a');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'v':
        out.push_back('\v');
        break;
      case '\\':
        out.push_back('\\');
        break;
      case '"':
        out.push_back('"');
        break;
      case 'x':
      case 'u':
      case 'U': {
        const size_t digits = escape == 'x' ? 2 : escape == 'u' ? 4 : 8;
        if (i + digits >= body.size()) return invalid("short hex escape");
        uint32_t value = 0;
        for (size_t k = 1; k <= digits; ++k) {
          int digit = HexValue(body[i + k]);
          if (digit < 0) return invalid("bad hex digit");
          value = value * 16 + static_cast<uint32_t>(digit);
        }
        i += digits;
        if (escape == 'x') {
          out.push_back(static_cast<char>(value));
        } else if (!AppendRune(value, &out)) {
          return invalid("escape is not a Unicode scalar value");
        }
        break;
      }
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7': {
        if (i + 2 >= body.size()) return invalid("short octal escape");
        uint32_t value = 0;
        for (size_t k = 0; k < 3; ++k) {
          char digit = body[i + k];
          if (digit < '0' || digit > '7') return invalid("bad octal digit");
          value = value * 8 + static_cast<uint32_t>(digit - '0');
        }
        if (value > 255) return invalid("octal escape above 255");
        out.push_back(static_cast<char>(value));
        i += 2;
        break;
      }
      default:
        return invalid(absl::StrCat("unknown escape \\", std::string(1, escape)));
    }
  }
  return out;
}

absl::StatusOr<GoBuildInfo> ParseGoModInfo(absl::string_view text, absl::string_view source) {
  GoBuildInfo info;
  size_t line_number = 0;
  // Like runtime/debug.ParseBuildInfo, only newline-terminated lines count.
  while (!text.empty()) {
    size_t newline = text.find('\n');
    if (newline == absl::string_view::npos) break;
    absl::string_view line = text.substr(0, newline);
    text.remove_prefix(newline + 1);
    ++line_number;
    const std::string where = absl::StrCat(source, ": module info line ", line_number);
    if (absl::ConsumePrefix(&line, "path\t")) {
      info.path = core::SanitizeUtf8(line);
    } else if (absl::ConsumePrefix(&line, "go\t")) {
      info.go_version = core::SanitizeUtf8(line);
    } else if (absl::ConsumePrefix(&line, "mod\t")) {
      BULWARK_ASSIGN_OR_RETURN(GoModuleVersion module, ReadModule(line, where));
      info.main.emplace();
      static_cast<GoModuleVersion&>(*info.main) = std::move(module);
    } else if (absl::ConsumePrefix(&line, "dep\t")) {
      BULWARK_ASSIGN_OR_RETURN(GoModuleVersion module, ReadModule(line, where));
      GoModule dep;
      static_cast<GoModuleVersion&>(dep) = std::move(module);
      info.deps.push_back(std::move(dep));
    } else if (absl::ConsumePrefix(&line, "=>\t")) {
      if (info.deps.empty() || info.deps.back().replace.has_value()) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": replacement with no module on the previous line"));
      }
      BULWARK_ASSIGN_OR_RETURN(info.deps.back().replace, ReadModule(line, where));
    } else if (absl::ConsumePrefix(&line, "build\t")) {
      BULWARK_ASSIGN_OR_RETURN(auto setting, ReadSetting(line, where));
      info.settings.push_back(std::move(setting));
    }
    // Other lines are ignored, as Go does, so newer toolchains' additions still parse.
  }
  return info;
}

}  // namespace bulwark::sbom
