#include "bulwark/policy/cel/macros.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace bulwark::cel {
namespace {

class Builder {
 public:
  Builder(MacroExpander* expander, uint32_t offset) : expander_(expander), offset_(offset) {}

  std::unique_ptr<Expr> New(Expr::Kind kind) {
    auto e = std::make_unique<Expr>();
    e->id = expander_->next_id();
    e->kind = kind;
    e->offset = offset_;
    return e;
  }
  std::unique_ptr<Expr> Ident(std::string name) {
    auto e = New(Expr::Kind::kIdent);
    e->name = std::move(name);
    return e;
  }
  std::unique_ptr<Expr> Constant(Value v) {
    auto e = New(Expr::Kind::kConstant);
    e->constant = std::move(v);
    return e;
  }
  std::unique_ptr<Expr> Call(std::string function, std::unique_ptr<Expr> a,
                             std::unique_ptr<Expr> b = nullptr,
                             std::unique_ptr<Expr> c = nullptr) {
    auto e = New(Expr::Kind::kCall);
    e->name = std::move(function);
    e->args.push_back(std::move(a));
    if (b) e->args.push_back(std::move(b));
    if (c) e->args.push_back(std::move(c));
    return e;
  }
  std::unique_ptr<Expr> ListOf(std::unique_ptr<Expr> element) {
    auto e = New(Expr::Kind::kList);
    e->args.push_back(std::move(element));
    return e;
  }
  std::unique_ptr<Expr> Comprehension(MacroKind macro, std::unique_ptr<Expr> range,
                                      std::string iter_var, std::string iter_var2,
                                      std::unique_ptr<Expr> init, std::unique_ptr<Expr> condition,
                                      std::unique_ptr<Expr> step, std::unique_ptr<Expr> result) {
    auto e = New(Expr::Kind::kComprehension);
    e->macro = macro;
    e->iter_range = std::move(range);
    e->iter_var = std::move(iter_var);
    e->iter_var2 = std::move(iter_var2);
    e->accu_var = kAccumulatorName;
    e->accu_init = std::move(init);
    e->loop_condition = std::move(condition);
    e->loop_step = std::move(step);
    e->result = std::move(result);
    return e;
  }

 private:
  MacroExpander* expander_;
  uint32_t offset_;
};

absl::StatusOr<std::string> SimpleName(const std::unique_ptr<Expr>& e, absl::string_view macro) {
  if (e->kind != Expr::Kind::kIdent || e->name.empty() || e->name[0] == '.') {
    return absl::InvalidArgumentError(
        absl::StrCat(macro, "() variable name must be a simple identifier"));
  }
  return e->name;
}

// "a.b.c" for an identifier or a chain of selections on one.
bool QualifiedName(const Expr& e, std::string& out) {
  if (e.kind == Expr::Kind::kIdent) {
    out = e.name;
    return true;
  }
  if (e.kind != Expr::Kind::kSelect || e.test_only || !QualifiedName(*e.target, out)) return false;
  absl::StrAppend(&out, ".", e.name);
  return true;
}

absl::StatusOr<int64_t> IntArg(const std::unique_ptr<Expr>& e, absl::string_view macro) {
  if (e->kind != Expr::Kind::kConstant || !e->constant.is_int() || e->constant.int_value() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(macro, "() argument must be a non-negative integer literal"));
  }
  return e->constant.int_value();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Expr>> MacroExpander::Expand(
    uint32_t offset, const std::string& function, std::unique_ptr<Expr>& target,
    std::vector<std::unique_ptr<Expr>>& args) {
  Builder b(this, offset);
  const size_t n = args.size();
  if (target == nullptr) {
    if (function == "has" && n == 1) {
      if (args[0]->kind != Expr::Kind::kSelect) {
        return absl::InvalidArgumentError("invalid argument to has() macro");
      }
      std::unique_ptr<Expr> select = std::move(args[0]);
      select->test_only = true;
      return select;
    }
    return nullptr;
  }

  // proto.hasExt(msg, qualified.extension) and proto.getExt(msg, qualified.extension).
  if (target->kind == Expr::Kind::kIdent && target->name == "proto" &&
      (function == "hasExt" || function == "getExt") && n == 2) {
    std::string extension;
    if (!QualifiedName(*args[1], extension)) {
      return absl::InvalidArgumentError(
          absl::StrCat("proto.", function, "() requires a qualified extension name"));
    }
    auto select = b.New(Expr::Kind::kSelect);
    select->target = std::move(args[0]);
    select->name = extension;
    select->test_only = function == "hasExt";
    return select;
  }

  // cel.* namespaced macros.
  if (target->kind == Expr::Kind::kIdent && target->name == "cel") {
    if (function == "bind" && n == 3) {
      absl::StatusOr<std::string> var = SimpleName(args[0], "cel.bind");
      if (!var.ok()) return var.status();
      auto e = b.New(Expr::Kind::kComprehension);
      e->macro = MacroKind::kBind;
      e->iter_range = b.New(Expr::Kind::kList);
      e->iter_var = "#unused";
      e->accu_var = *var;
      e->accu_init = std::move(args[1]);
      e->loop_condition = b.Constant(Value::Bool(false));
      e->loop_step = b.Ident(*var);
      e->result = std::move(args[2]);
      return e;
    }
    if (function == "block" && n == 2) {
      if (args[0]->kind != Expr::Kind::kList) {
        return absl::InvalidArgumentError("cel.block() requires a list literal of bindings");
      }
      auto e = b.New(Expr::Kind::kCall);
      e->name = "cel.@block";
      e->args = std::move(args);
      return e;
    }
    if (function == "index" && n == 1) {
      absl::StatusOr<int64_t> index = IntArg(args[0], "cel.index");
      if (!index.ok()) return index.status();
      return b.Ident(absl::StrCat("@index", *index));
    }
    if ((function == "iterVar" || function == "accuVar") && n == 2) {
      absl::StatusOr<int64_t> a = IntArg(args[0], function);
      absl::StatusOr<int64_t> c = IntArg(args[1], function);
      if (!a.ok()) return a.status();
      if (!c.ok()) return c.status();
      return b.Ident(absl::StrCat(function == "iterVar" ? "@it:" : "@ac:", *a, ":", *c));
    }
  }

  if ((function == "optMap" || function == "optFlatMap") && n == 2) {
    absl::StatusOr<std::string> var = SimpleName(args[0], function);
    if (!var.ok()) return var.status();
    auto e = b.New(Expr::Kind::kCall);
    e->name = function == "optMap" ? "@optMap" : "@optFlatMap";
    e->args.push_back(std::move(target));
    e->args.push_back(std::move(args[0]));
    e->args.push_back(std::move(args[1]));
    return e;
  }

  const bool quantifier = function == "all" || function == "exists" ||
                          function == "exists_one" || function == "existsOne";
  if (quantifier && (n == 2 || n == 3)) {
    absl::StatusOr<std::string> var = SimpleName(args[0], function);
    if (!var.ok()) return var.status();
    std::string var2;
    if (n == 3) {
      absl::StatusOr<std::string> second = SimpleName(args[1], function);
      if (!second.ok()) return second.status();
      var2 = *second;
    }
    std::unique_ptr<Expr> predicate = std::move(args[n - 1]);
    if (function == "all") {
      return b.Comprehension(
          MacroKind::kAll, std::move(target), *var, var2, b.Constant(Value::Bool(true)),
          b.Call("@not_strictly_false", b.Ident(kAccumulatorName)),
          b.Call("_&&_", b.Ident(kAccumulatorName), std::move(predicate)),
          b.Ident(kAccumulatorName));
    }
    if (function == "exists") {
      return b.Comprehension(
          MacroKind::kExists, std::move(target), *var, var2, b.Constant(Value::Bool(false)),
          b.Call("@not_strictly_false", b.Call("!_", b.Ident(kAccumulatorName))),
          b.Call("_||_", b.Ident(kAccumulatorName), std::move(predicate)),
          b.Ident(kAccumulatorName));
    }
    return b.Comprehension(
        MacroKind::kExistsOne, std::move(target), *var, var2, b.Constant(Value::Int(0)),
        b.Constant(Value::Bool(true)),
        b.Call("_?_:_", std::move(predicate),
               b.Call("_+_", b.Ident(kAccumulatorName), b.Constant(Value::Int(1))),
               b.Ident(kAccumulatorName)),
        b.Call("_==_", b.Ident(kAccumulatorName), b.Constant(Value::Int(1))));
  }
  if ((function == "transformList" || function == "transformMap") && (n == 3 || n == 4)) {
    absl::StatusOr<std::string> var = SimpleName(args[0], function);
    if (!var.ok()) return var.status();
    absl::StatusOr<std::string> var2 = SimpleName(args[1], function);
    if (!var2.ok()) return var2.status();
    bool to_map = function == "transformMap";
    std::unique_ptr<Expr> transform = std::move(args[n - 1]);
    std::unique_ptr<Expr> add =
        to_map ? b.Call("cel.@mapInsert", b.Ident(kAccumulatorName), b.Ident(*var),
                        std::move(transform))
               : b.Call("_+_", b.Ident(kAccumulatorName), b.ListOf(std::move(transform)));
    // Planned by kind: args of the step are [filter?, transform] in that order.
    auto step = b.New(Expr::Kind::kCall);
    step->name = "@transform";
    if (n == 4) step->args.push_back(std::move(args[2]));
    step->args.push_back(std::move(add));
    return b.Comprehension(to_map ? MacroKind::kTransformMap : MacroKind::kTransformList,
                           std::move(target), *var, *var2,
                           b.New(to_map ? Expr::Kind::kMap : Expr::Kind::kList),
                           b.Constant(Value::Bool(true)), std::move(step),
                           b.Ident(kAccumulatorName));
  }
  if ((function == "map" && (n == 2 || n == 3)) || (function == "filter" && n == 2)) {
    absl::StatusOr<std::string> var = SimpleName(args[0], function);
    if (!var.ok()) return var.status();
    std::unique_ptr<Expr> step;
    MacroKind kind;
    if (function == "filter") {
      kind = MacroKind::kFilter;
      step = b.Call("_?_:_", std::move(args[1]),
                    b.Call("_+_", b.Ident(kAccumulatorName), b.ListOf(b.Ident(*var))),
                    b.Ident(kAccumulatorName));
    } else if (n == 2) {
      kind = MacroKind::kMap;
      step = b.Call("_+_", b.Ident(kAccumulatorName), b.ListOf(std::move(args[1])));
    } else {
      kind = MacroKind::kMapFilter;
      step = b.Call("_?_:_", std::move(args[1]),
                    b.Call("_+_", b.Ident(kAccumulatorName), b.ListOf(std::move(args[2]))),
                    b.Ident(kAccumulatorName));
    }
    return b.Comprehension(kind, std::move(target), *var, "", b.New(Expr::Kind::kList),
                           b.Constant(Value::Bool(true)), std::move(step),
                           b.Ident(kAccumulatorName));
  }
  return nullptr;
}

}  // namespace bulwark::cel
