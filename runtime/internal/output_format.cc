#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "bulwark/runtime/internal/compiled_rules.h"

namespace bulwark::runtime::internal {
namespace {

bool IsFieldChar(char c) { return absl::ascii_isalnum(c) || c == '_' || c == '.'; }

}  // namespace

absl::StatusOr<std::vector<OutputPart>> CompileOutput(absl::string_view format) {
  std::vector<OutputPart> parts;
  std::string literal;
  size_t i = 0;
  while (i < format.size()) {
    char c = format[i];
    if (c != '%' || i + 1 >= format.size() ||
        !(absl::ascii_isalpha(format[i + 1]) || format[i + 1] == '(')) {
      literal += c;
      ++i;
      continue;
    }
    ++i;
    const bool parenthesised = format[i] == '(';
    if (parenthesised) ++i;
    size_t start = i;
    while (i < format.size() && IsFieldChar(format[i])) ++i;
    FieldExpr expr;
    expr.name = std::string(format.substr(start, i - start));
    if (i < format.size() && format[i] == '[') {
      size_t close = format.find(']', i);
      if (close == absl::string_view::npos) {
        return absl::InvalidArgumentError(
            absl::StrCat("invalid formatting token ", expr.name, ": missing ']'"));
      }
      expr.arg = std::string(format.substr(i + 1, close - i - 1));
      expr.has_arg = true;
      i = close + 1;
    }
    if (parenthesised) {
      if (i >= format.size() || format[i] != ')') {
        return absl::InvalidArgumentError(
            absl::StrCat("invalid formatting token ", expr.name, ": missing ')'"));
      }
      ++i;
    }
    absl::StatusOr<BoundField> field = BindField(expr);
    // A sentence-ending period is not part of the field name.
    while (!field.ok() && !expr.has_arg && !expr.name.empty() && expr.name.back() == '.') {
      expr.name.pop_back();
      --i;
      field = BindField(expr);
    }
    if (!field.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("invalid formatting token ", expr.name));
    }
    if (!literal.empty()) {
      parts.push_back(OutputPart{.literal = std::move(literal)});
      literal.clear();
    }
    parts.push_back(OutputPart{.is_field = true, .field = *std::move(field)});
  }
  if (!literal.empty()) parts.push_back(OutputPart{.literal = std::move(literal)});
  return parts;
}

}  // namespace bulwark::runtime::internal
