// Parses CEL source text into an AST (cel-spec langdef grammar, optional-syntax extensions
// `.?f`, `[?i]`, `{?k: v}`, backtick field names), expanding the standard macros (has, all,
// exists, exists_one, map, filter, cel.bind, cel.block test macros) into comprehensions.
//   BULWARK_ASSIGN_OR_RETURN(ParsedExpr parsed, Parse("x.all(y, y > 0)"));
// Errors: InvalidArgument whose message has one "ERROR: <input>:LINE:COLUMN: message" block per
// problem followed by the source line and a caret under the column. ResourceExhausted when the
// source or its nesting exceeds ParseOptions. Thread safety: Parse is reentrant.
#ifndef BULWARK_POLICY_CEL_PARSER_H_
#define BULWARK_POLICY_CEL_PARSER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/policy/cel/ast.h"

namespace bulwark::cel {

struct ParseOptions {
  // Longest accepted source, in bytes. Default: 100,000 (cel-go's code point limit).
  size_t max_source_bytes = 100'000;
  // Deepest nesting of parenthesised/compound expressions and longest operator chain.
  // Default: 250 (as in cel-go).
  uint32_t max_recursion_depth = 250;
  // Expand macros (has, all, exists, ...). Default: true.
  bool enable_macros = true;
  // Name used for the source in error messages. Default: "<input>".
  std::string description = "<input>";
};

struct ParsedExpr {
  std::unique_ptr<Expr> root;
  std::string source;
  int64_t next_id = 0;  // one past the largest node id
};

// Parses `source`; see the file comment for errors.
absl::StatusOr<ParsedExpr> Parse(absl::string_view source, const ParseOptions& options = {});

// "line:column" (1-based, columns count code points) of byte `offset` in `source`.
std::string OffsetToLineColumn(absl::string_view source, uint32_t offset);

// The error block used for parse and compile errors: "ERROR: <description>:L:C: message",
// the source line, and a caret under the column.
std::string FormatSourceError(absl::string_view source, absl::string_view description,
                              uint32_t offset, absl::string_view message);

}  // namespace bulwark::cel

#endif  // BULWARK_POLICY_CEL_PARSER_H_
