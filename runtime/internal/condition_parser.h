// Parses Falco condition text into a syntax tree (lexer and recursive-descent parser).
//   absl::StatusOr<std::unique_ptr<Expr>> ast = ParseCondition("evt.type=open and proc.name=cat");
// Grammar (libsinsp's): or/and/not with the usual precedence, parentheses, `field op value`,
// `field op (list)`, unary `exists`, transformers `tolower(f)` and `val(f)`, bare identifiers as
// macro references. Errors: InvalidArgument "<what>" (libsinsp's wording where it has one, e.g.
// "unexpected token after 'x', expecting 'or', 'and'"), with the byte offset as payload
// kConditionOffsetPayload. Nesting is capped (kMaxDepth).
// Thread safety: pure.
#ifndef BULWARK_RUNTIME_INTERNAL_CONDITION_PARSER_H_
#define BULWARK_RUNTIME_INTERNAL_CONDITION_PARSER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/runtime/internal/condition_ast.h"

namespace bulwark::runtime::internal {

inline constexpr int kMaxConditionDepth = 200;

// Status payload type URL under which ParseCondition errors carry the byte offset (decimal).
inline constexpr char kConditionOffsetPayload[] = "bulwark.runtime/condition_offset";

// Comparison operators taking one value, a list, or nothing.
bool IsValueOperator(absl::string_view op);
bool IsListOperator(absl::string_view op);

absl::StatusOr<std::unique_ptr<Expr>> ParseCondition(absl::string_view text);

}  // namespace bulwark::runtime::internal

#endif  // BULWARK_RUNTIME_INTERNAL_CONDITION_PARSER_H_
