// The syntax tree of a Falco condition, as the parser produces it (nothing resolved yet: macro
// and list names are plain identifiers). Thread safety: plain values.
#ifndef BULWARK_RUNTIME_INTERNAL_CONDITION_AST_H_
#define BULWARK_RUNTIME_INTERNAL_CONDITION_AST_H_

#include <memory>
#include <string>
#include <vector>

namespace bulwark::runtime::internal {

// A field, optionally wrapped in transformers: `tolower(proc.name)` has name "proc.name" and
// transformers {"tolower"} (innermost last applied first: the vector lists outermost first).
struct FieldExpr {
  std::string name;  // "proc.aname", "evt.arg.path", "container.mount.dest"
  std::string arg;   // Text between [ and ], when has_arg.
  bool has_arg = false;
  std::vector<std::string> transformers;
  std::string ToString() const;
};

struct ValueItem {
  std::string text;
  bool quoted = false;  // A quoted string is never a list name.
};

struct Operand {
  enum class Kind { kNone, kValue, kList, kField };
  Kind kind = Kind::kNone;
  std::vector<ValueItem> items;  // One for kValue.
  FieldExpr field;               // kField: val(field) or a transformer on the right-hand side.
};

struct Expr {
  enum class Kind { kAnd, kOr, kNot, kCompare, kIdentifier };
  Kind kind = Kind::kCompare;
  size_t offset = 0;                            // Byte offset in the condition text.
  std::vector<std::unique_ptr<Expr>> children;  // kAnd, kOr (2+), kNot (1).
  FieldExpr field;                              // kCompare.
  std::string op;                               // kCompare: "=", "in", "exists", ...
  Operand operand;                              // kCompare.
  std::string name;                             // kIdentifier: a macro name.
};

}  // namespace bulwark::runtime::internal

#endif  // BULWARK_RUNTIME_INTERNAL_CONDITION_AST_H_
