#include "bulwark/policy/cel/escaping.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace bulwark::cel {
namespace {

constexpr absl::string_view kReserved[] = {
    "true",     "false",   "null",      "in",       "as",  "break",  "const",
    "continue", "else",    "for",       "function", "if",  "import", "let",
    "loop",     "package", "namespace", "return",   "var", "void",   "while",
};

bool IsReserved(absl::string_view name) {
  for (absl::string_view r : kReserved) {
    if (r == name) return true;
  }
  return false;
}

struct Escape {
  absl::string_view from;
  absl::string_view to;
};

constexpr Escape kEscapes[] = {
    {"__", "__underscores__"}, {".", "__dot__"}, {"-", "__dash__"}, {"/", "__slash__"}};

}  // namespace

std::optional<std::string> EscapePropertyName(absl::string_view name) {
  if (name.empty()) return std::nullopt;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = absl::ascii_isalpha(c) || c == '_' || c == '.' || c == '-' || c == '/' ||
              (i > 0 && absl::ascii_isdigit(c));
    if (!ok) return std::nullopt;
  }
  if (IsReserved(name)) return absl::StrCat("__", name, "__");
  std::string out;
  for (size_t i = 0; i < name.size();) {
    bool replaced = false;
    for (const Escape& e : kEscapes) {
      if (absl::StartsWith(name.substr(i), e.from)) {
        absl::StrAppend(&out, e.to);
        i += e.from.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out.push_back(name[i++]);
  }
  return out;
}

std::string UnescapePropertyName(absl::string_view identifier) {
  if (absl::StartsWith(identifier, "__") && absl::EndsWith(identifier, "__") &&
      identifier.size() > 4 && IsReserved(identifier.substr(2, identifier.size() - 4))) {
    return std::string(identifier.substr(2, identifier.size() - 4));
  }
  std::string out;
  for (size_t i = 0; i < identifier.size();) {
    bool replaced = false;
    for (const Escape& e : kEscapes) {
      if (absl::StartsWith(identifier.substr(i), e.to)) {
        absl::StrAppend(&out, e.from);
        i += e.to.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out.push_back(identifier[i++]);
  }
  return out;
}

}  // namespace bulwark::cel
