// The CEL abstract syntax tree (the cel-spec `Expr` shape) with source offsets, produced by
// Parse() and consumed by the planner. Macros are already expanded into comprehensions.
//   BULWARK_ASSIGN_OR_RETURN(ParsedExpr parsed, Parse("a.b + 1"));
//   if (parsed.root->kind == Expr::Kind::kCall) Use(parsed.root->function);
// Thread safety: an Expr is a plain tree; share it read-only.
#ifndef BULWARK_POLICY_CEL_AST_H_
#define BULWARK_POLICY_CEL_AST_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bulwark/policy/cel/value.h"

namespace bulwark::cel {

// Which macro a comprehension came from (lets the planner pick a specialised loop).
enum class MacroKind : uint8_t {
  kNone,
  kAll,
  kExists,
  kExistsOne,
  kMap,
  kMapFilter,
  kFilter,
  kBind,
  kTransformList,
  kTransformMap,
};

struct Expr {
  enum class Kind : uint8_t {
    kConstant,       // constant
    kIdent,          // name
    kSelect,         // operand.name (test_only: has(operand.name)), optional: operand.?name
    kCall,           // [target.]function(args)
    kList,           // [args] with optional_indices
    kMap,            // {entries}
    kStruct,         // name{entries with field}
    kComprehension,  // iter_range, iter_var[, iter_var2], accu_var, ...
  };

  struct Entry {
    int64_t id = 0;
    uint32_t offset = 0;
    std::string field;           // struct field name
    std::unique_ptr<Expr> key;   // map key
    std::unique_ptr<Expr> value;
    bool optional = false;       // `?key: value`
  };

  int64_t id = 0;
  uint32_t offset = 0;  // byte offset of the expression in the source
  Kind kind = Kind::kConstant;

  Value constant;
  std::string name;  // ident, select field, call function, struct message type
  std::unique_ptr<Expr> target;  // select operand or receiver of a member call
  bool test_only = false;
  std::vector<std::unique_ptr<Expr>> args;  // call arguments or list elements
  std::vector<size_t> optional_indices;     // list elements written `?e`
  std::vector<Entry> entries;               // map or struct entries

  // Comprehension.
  std::string iter_var;
  std::string iter_var2;
  std::string accu_var;
  std::unique_ptr<Expr> iter_range;
  std::unique_ptr<Expr> accu_init;
  std::unique_ptr<Expr> loop_condition;
  std::unique_ptr<Expr> loop_step;
  std::unique_ptr<Expr> result;
  MacroKind macro = MacroKind::kNone;
};

}  // namespace bulwark::cel

#endif  // BULWARK_POLICY_CEL_AST_H_
