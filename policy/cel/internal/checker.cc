#include "bulwark/policy/cel/internal/checker.h"

#include <algorithm>
#include <functional>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bulwark/policy/cel/function_library.h"
#include "bulwark/policy/cel/internal/functions.h"
#include "bulwark/policy/cel/internal/std_decls.h"

namespace bulwark::cel::internal {
namespace {

namespace pb = google::protobuf;
using TK = Type::Kind;

constexpr size_t kMaxReportedErrors = 10;

// The CEL type of a protobuf message (well-known types map to their CEL equivalents).
Type TypeOfMessageName(const std::string& name) {
  absl::StatusOr<Type> parsed = Type::Parse(name);
  if (parsed.ok() && parsed->kind() != TK::kOpaque) return *parsed;
  return Type::Message(name);
}

Type ScalarFieldType(const pb::FieldDescriptor& field) {
  switch (field.cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_INT32:
    case pb::FieldDescriptor::CPPTYPE_INT64:
      return Type::Int();
    case pb::FieldDescriptor::CPPTYPE_UINT32:
    case pb::FieldDescriptor::CPPTYPE_UINT64:
      return Type::Uint();
    case pb::FieldDescriptor::CPPTYPE_FLOAT:
    case pb::FieldDescriptor::CPPTYPE_DOUBLE:
      return Type::Double();
    case pb::FieldDescriptor::CPPTYPE_BOOL:
      return Type::Bool();
    case pb::FieldDescriptor::CPPTYPE_STRING:
      return field.type() == pb::FieldDescriptor::TYPE_BYTES ? Type::Bytes() : Type::String();
    case pb::FieldDescriptor::CPPTYPE_ENUM:
      // Legacy enum semantics: enum fields are ints; google.protobuf.NullValue is null.
      return field.enum_type()->full_name() == "google.protobuf.NullValue" ? Type::Null()
                                                                           : Type::Int();
    case pb::FieldDescriptor::CPPTYPE_MESSAGE:
      return TypeOfMessageName(field.message_type()->full_name());
  }
  return Type::Dyn();
}

Type FieldType(const pb::FieldDescriptor& field) {
  if (field.is_map()) {
    return Type::Map(ScalarFieldType(*field.message_type()->map_key()),
                     ScalarFieldType(*field.message_type()->map_value()));
  }
  if (field.is_repeated()) return Type::List(ScalarFieldType(field));
  return ScalarFieldType(field);
}

Type Rebuild(const Type& t, std::vector<Type> params) {
  switch (t.kind()) {
    case TK::kList:
      return Type::List(std::move(params[0]));
    case TK::kMap:
      return Type::Map(std::move(params[0]), std::move(params[1]));
    case TK::kWrapper:
      return Type::Wrapper(std::move(params[0]));
    case TK::kType:
      return Type::TypeOf(std::move(params[0]));
    case TK::kOpaque:
      return Type::Opaque(t.name(), std::move(params));
    default:
      return t;
  }
}

// Types that accept null (legacy rule of the reference checkers).
bool IsNullable(const Type& t) {
  switch (t.kind()) {
    case TK::kNull:
    case TK::kMessage:
    case TK::kAny:
    case TK::kTimestamp:
    case TK::kDuration:
    case TK::kWrapper:
    case TK::kOpaque:
      return true;
    default:
      return false;
  }
}

using Substitutions = absl::flat_hash_map<std::string, Type>;

class Checker {
 public:
  Checker(absl::string_view source, const Env& env, const pb::DescriptorPool& pool)
      : source_(source), env_(env), pool_(pool) {}

  absl::StatusOr<Type> Run(const Expr& root) {
    Type type = Check(root);
    if (!errors_.empty()) return absl::InvalidArgumentError(absl::StrJoin(errors_, "\n"));
    return Substitute(type, /*free_to_dyn=*/true);
  }

 private:
  // ---- errors ----
  Type Fail(uint32_t offset, absl::string_view message) {
    if (errors_.size() < kMaxReportedErrors) {
      errors_.push_back(
          FormatSourceError(source_, env_.parse_options.description, offset, message));
    }
    return Type::Error();
  }
  std::string Show(const Type& t) { return Substitute(t, true).DebugString(); }

  // ---- type variables ----
  Type NewVar() { return Type::Param(absl::StrCat("_var", next_var_++)); }

  Type Substitute(const Type& t, bool free_to_dyn) const {
    if (t.kind() == TK::kTypeParam) {
      auto it = subs_.find(t.name());
      if (it != subs_.end()) return Substitute(it->second, free_to_dyn);
      return free_to_dyn ? Type::Dyn() : t;
    }
    if (t.params().empty()) return t;
    std::vector<Type> params;
    for (const Type& p : t.params()) params.push_back(Substitute(p, free_to_dyn));
    return Rebuild(t, std::move(params));
  }

  // Whether type variable `var` occurs in `t` (following substitutions).
  bool ReferencedIn(const std::string& var, const Type& t) const {
    if (t.kind() == TK::kTypeParam) {
      if (t.name() == var) return true;
      auto it = subs_.find(t.name());
      return it != subs_.end() && ReferencedIn(var, it->second);
    }
    for (const Type& p : t.params()) {
      if (ReferencedIn(var, p)) return true;
    }
    return false;
  }

  // The more general of two assignable types.
  static Type MostGeneral(const Type& a, const Type& b) {
    if (a.is_dyn() || a.is_param() || a.kind() == TK::kError) return a;
    if (b.is_dyn() || b.is_param() || b.kind() == TK::kError) return b;
    if (a.kind() == TK::kNull) return b;
    if (b.kind() == TK::kNull) return a;
    if (a.kind() == TK::kWrapper && b.kind() != TK::kWrapper) return a;
    if (b.kind() == TK::kWrapper && a.kind() != TK::kWrapper) return b;
    if (a.kind() == b.kind() && !a.params().empty() && a.params().size() == b.params().size() &&
        a.kind() != TK::kWrapper) {
      std::vector<Type> params;
      for (size_t i = 0; i < a.params().size(); ++i) {
        params.push_back(MostGeneral(a.params()[i], b.params()[i]));
      }
      return Rebuild(a, std::move(params));
    }
    return a;
  }

  struct SubstitutionResult {
    bool valid;
    bool had_substitution;
  };

  // Whether `t` may stand for type variable `var`, recording the substitution.
  SubstitutionResult TrySubstitute(const Type& t, const Type& var) {
    if (t == var) return {true, true};
    auto it = subs_.find(var.name());
    if (it != subs_.end()) {
      Type current = it->second;
      if (t == current) return {true, true};
      if (Assignable(t, current)) {
        Type general = MostGeneral(t, current);
        if (!ReferencedIn(var.name(), general)) subs_[var.name()] = general;
        return {true, true};
      }
      return {false, true};
    }
    if (!ReferencedIn(var.name(), t)) {
      subs_[var.name()] = t;
      return {true, false};
    }
    return {false, false};
  }

  // Whether a value of type `b` may be used where `a` is expected or vice versa (the reference
  // checkers' symmetric "is assignable" with type-variable unification). Mutates subs_.
  bool Assignable(const Type& a, const Type& b) {
    if (b.is_param()) {
      SubstitutionResult r = TrySubstitute(a, b);
      if (r.valid) return true;
      if (r.had_substitution) return false;
    }
    if (a.is_param()) return TrySubstitute(b, a).valid;
    if (a.is_dyn() || b.is_dyn() || a.kind() == TK::kError || b.kind() == TK::kError) return true;
    if (a.kind() == TK::kAny || b.kind() == TK::kAny) return true;
    if (a.kind() == TK::kNull) return IsNullable(b);
    if (b.kind() == TK::kNull) return IsNullable(a);
    if (a.kind() == TK::kWrapper || b.kind() == TK::kWrapper) {
      TK wa = a.kind() == TK::kWrapper ? a.params()[0].kind() : a.kind();
      TK wb = b.kind() == TK::kWrapper ? b.params()[0].kind() : b.kind();
      return wa == wb;
    }
    if (a.kind() != b.kind()) return false;
    switch (a.kind()) {
      case TK::kMessage:
        return a.name() == b.name();
      case TK::kType:
        return true;
      case TK::kList:
      case TK::kMap:
      case TK::kOpaque:
        if (a.name() != b.name() || a.params().size() != b.params().size()) return false;
        for (size_t i = 0; i < a.params().size(); ++i) {
          if (!Assignable(a.params()[i], b.params()[i])) return false;
        }
        return true;
      default:
        return true;
    }
  }

  // Assignable() that leaves the substitutions untouched when it fails.
  bool TryAssign(const Type& a, const Type& b) {
    Substitutions saved = subs_;
    if (Assignable(a, b)) return true;
    subs_ = std::move(saved);
    return false;
  }

  bool TryAssignList(const std::vector<Type>& actual, const std::vector<Type>& expected) {
    Substitutions saved = subs_;
    for (size_t i = 0; i < actual.size(); ++i) {
      if (!Assignable(actual[i], expected[i])) {
        subs_ = std::move(saved);
        return false;
      }
    }
    return true;
  }

  // The element type of a list literal or the key/value type of a map literal so far.
  Type Join(const std::optional<Type>& previous, const Type& current) {
    if (!previous) return current;
    if (TryAssign(*previous, current)) return MostGeneral(*previous, current);
    return Type::Dyn();
  }

  // ---- names ----
  std::vector<std::string> Candidates(absl::string_view name) const {
    return ContainerCandidates(env_.container, name);
  }

  const Type* FindLocal(absl::string_view name) const {
    for (auto it = scope_.rbegin(); it != scope_.rend(); ++it) {
      if (it->first == name) return &it->second;
    }
    return nullptr;
  }

  // The type of a variable, type name or enum constant called `name`, if any.
  std::optional<Type> ResolveGlobal(const std::string& name) const {
    if (auto it = env_.variable_types.find(name); it != env_.variable_types.end()) {
      return it->second;
    }
    if (env_.variables.contains(name)) return Type::Dyn();
    static const auto* kTypeNames = new absl::flat_hash_map<std::string, Type>{
        {"int", Type::Int()},
        {"uint", Type::Uint()},
        {"double", Type::Double()},
        {"bool", Type::Bool()},
        {"string", Type::String()},
        {"bytes", Type::Bytes()},
        {"null_type", Type::Null()},
        {"list", Type::List(Type::Dyn())},
        {"map", Type::Map(Type::Dyn(), Type::Dyn())},
        {"type", Type::AnyTypeValue()},
        {"dyn", Type::Dyn()},
        {"optional_type", Type::Optional(Type::Dyn())},
        {"net.IP", Type::Opaque("net.IP")},
        {"net.CIDR", Type::Opaque("net.CIDR")},
    };
    if (auto it = kTypeNames->find(name); it != kTypeNames->end()) {
      return Type::TypeOf(it->second);
    }
    if (pool_.FindMessageTypeByName(name) != nullptr) {
      return Type::TypeOf(TypeOfMessageName(name));
    }
    if (pool_.FindEnumTypeByName(name) != nullptr) return Type::TypeOf(Type::Int());
    size_t dot = name.rfind('.');
    if (dot != std::string::npos) {
      const pb::EnumDescriptor* e = pool_.FindEnumTypeByName(name.substr(0, dot));
      if (e != nullptr && e->FindValueByName(name.substr(dot + 1)) != nullptr) {
        return e->full_name() == "google.protobuf.NullValue" ? Type::Null() : Type::Int();
      }
    }
    return std::nullopt;
  }

  // Fills `chain` (outermost last) when `e` is an identifier or plain selections on one.
  static bool QualifiedChain(const Expr& e, std::vector<const Expr*>& chain) {
    if (e.kind == Expr::Kind::kIdent) {
      chain.push_back(&e);
      return true;
    }
    if (e.kind == Expr::Kind::kSelect && !e.test_only && QualifiedChain(*e.target, chain)) {
      chain.push_back(&e);
      return true;
    }
    return false;
  }

  bool IsValueName(const std::vector<const Expr*>& chain) const {
    if (FindLocal(chain[0]->name) != nullptr) return true;
    for (size_t k = chain.size(); k >= 1; --k) {
      for (const std::string& c : Candidates(JoinChain(chain, k))) {
        if (env_.variables.contains(c)) return true;
      }
    }
    return false;
  }

  static std::string JoinChain(const std::vector<const Expr*>& chain, size_t k) {
    std::string out;
    for (size_t i = 0; i < k; ++i) absl::StrAppend(&out, i == 0 ? "" : ".", chain[i]->name);
    return out;
  }

  Type CheckName(const Expr& e) {
    std::vector<const Expr*> chain;
    if (e.kind == Expr::Kind::kSelect && (e.test_only || !QualifiedChain(e, chain))) {
      return CheckSelect(e, Check(*e.target));
    }
    if (e.kind == Expr::Kind::kIdent) chain = {&e};
    if (const Type* local = FindLocal(chain[0]->name)) return ApplySelects(*local, chain, 1);
    for (size_t k = chain.size(); k >= 1; --k) {
      for (const std::string& candidate : Candidates(JoinChain(chain, k))) {
        if (std::optional<Type> t = ResolveGlobal(candidate)) return ApplySelects(*t, chain, k);
      }
    }
    if (env_.allow_undeclared) return Type::Dyn();
    return Fail(chain[0]->offset, absl::StrCat("undeclared reference to '", chain[0]->name,
                                               "' (in container '", env_.container, "')"));
  }

  Type ApplySelects(Type t, const std::vector<const Expr*>& chain, size_t from) {
    for (size_t i = from; i < chain.size(); ++i) t = CheckSelect(*chain[i], t);
    return t;
  }

  // The type of `field` selected from `operand`; nullopt (after reporting) on error.
  Type FieldOf(const Expr& e, const Type& operand_type, const std::string& field) {
    Type operand = Substitute(operand_type, false);
    switch (operand.kind()) {
      case TK::kTypeParam:
        // Pin an unconstrained variable to dyn so that later uses do not assume more.
        TryAssign(Type::Dyn(), operand);
        return Type::Dyn();
      case TK::kDyn:
      case TK::kError:
      case TK::kAny:
        return Type::Dyn();
      case TK::kMap:
        return operand.params()[1];
      case TK::kMessage: {
        const pb::Descriptor* d = pool_.FindMessageTypeByName(operand.name());
        if (d == nullptr) return Type::Dyn();
        if (const pb::FieldDescriptor* f = d->FindFieldByName(field)) return FieldType(*f);
        if (const pb::FieldDescriptor* x = pool_.FindExtensionByName(field)) {
          if (x->containing_type() == d) return FieldType(*x);
        }
        return Fail(e.offset, absl::StrCat("undefined field '", field, "'"));
      }
      default:
        if (operand.is_optional()) {
          return Type::Optional(FieldOf(e, operand.params()[0], field));
        }
        return Fail(e.offset, absl::StrCat("type '", operand.DebugString(),
                                           "' does not support field selection"));
    }
  }

  Type CheckSelect(const Expr& e, const Type& operand) {
    Type field = FieldOf(e, operand, e.name);
    if (e.test_only) return field.kind() == TK::kError ? field : Type::Bool();
    return field;
  }

  // ---- aggregates ----
  Type CheckList(const Expr& e) {
    std::optional<Type> element;
    std::vector<bool> optional(e.args.size(), false);
    for (size_t i : e.optional_indices) optional[i] = true;
    for (size_t i = 0; i < e.args.size(); ++i) {
      Type t = Check(*e.args[i]);
      if (optional[i]) t = UnwrapOptional(*e.args[i], t);
      element = Join(element, t);
    }
    return Type::List(element ? *element : NewVar());
  }

  Type UnwrapOptional(const Expr& e, const Type& t) {
    Type s = Substitute(t, false);
    if (s.is_optional()) return s.params()[0];
    if (s.is_dyn() || s.is_param()) return Type::Dyn();
    return Fail(e.offset,
                absl::StrCat("expected type 'optional_type' but found '", s.DebugString(), "'"));
  }

  Type CheckMap(const Expr& e) {
    std::optional<Type> key, value;
    for (const Expr::Entry& entry : e.entries) {
      key = Join(key, Check(*entry.key));
      Type v = Check(*entry.value);
      if (entry.optional) v = UnwrapOptional(*entry.value, v);
      value = Join(value, v);
    }
    return Type::Map(key ? *key : NewVar(), value ? *value : NewVar());
  }

  Type CheckStruct(const Expr& e) {
    const pb::Descriptor* d = nullptr;
    for (const std::string& candidate : Candidates(e.name)) {
      d = pool_.FindMessageTypeByName(candidate);
      if (d != nullptr) break;
    }
    if (d == nullptr) return Fail(e.offset, absl::StrCat("undeclared reference to '", e.name, "'"));
    for (const Expr::Entry& entry : e.entries) {
      Type value = Check(*entry.value);
      const pb::FieldDescriptor* f = d->FindFieldByName(entry.field);
      if (f == nullptr) {
        Fail(entry.offset, absl::StrCat("undefined field '", entry.field, "'"));
        continue;
      }
      Type expected = FieldType(*f);
      if (entry.optional) expected = Type::Optional(expected);
      if (!TryAssign(expected, value)) {
        Fail(entry.offset,
             absl::StrCat("expected type of field '", entry.field, "' is '", expected.DebugString(),
                          "' but provided type is '", Show(value), "'"));
      }
    }
    return TypeOfMessageName(d->full_name());
  }

  // ---- comprehensions ----
  Type CheckComprehension(const Expr& e) {
    if (e.macro == MacroKind::kBind) {
      Type init = Check(*e.accu_init);
      scope_.emplace_back(e.accu_var, init);
      Type result = Check(*e.result);
      scope_.pop_back();
      return result;
    }
    Type range = Substitute(Check(*e.iter_range), false);
    Type var1 = Type::Dyn(), var2 = Type::Dyn();
    bool two = !e.iter_var2.empty();
    switch (range.kind()) {
      case TK::kList:
        var1 = two ? Type::Int() : range.params()[0];
        var2 = range.params()[0];
        break;
      case TK::kMap:
        var1 = range.params()[0];
        var2 = range.params()[1];
        break;
      case TK::kTypeParam:
        TryAssign(Type::Dyn(), range);
        break;
      case TK::kDyn:
      case TK::kError:
      case TK::kAny:
        break;
      default:
        Fail(e.iter_range->offset,
             absl::StrCat("expression of type '", range.DebugString(),
                          "' cannot be the range of a comprehension (must be list, map, or "
                          "dynamic)"));
    }
    Type accu = Check(*e.accu_init);
    size_t scope_size = scope_.size();
    scope_.emplace_back(e.accu_var, accu);
    scope_.emplace_back(e.iter_var, var1);
    if (two) scope_.emplace_back(e.iter_var2, var2);
    Type condition = Check(*e.loop_condition);
    if (!TryAssign(Type::Bool(), condition)) {
      Fail(e.loop_condition->offset,
           absl::StrCat("expected type 'bool' but found '", Show(condition), "'"));
    }
    Type step = Check(*e.loop_step);
    if (!TryAssign(accu, step)) {
      Fail(e.loop_step->offset,
           absl::StrCat("expected type '", Show(accu), "' but found '", Show(step), "'"));
    }
    scope_.resize(scope_size);
    scope_.emplace_back(e.accu_var, accu);
    Type result = Check(*e.result);
    scope_.resize(scope_size);
    return result;
  }

  // ---- calls ----
  const std::vector<Overload>* FindDecl(const std::string& name) const {
    if (auto it = env_.functions.find(name); it != env_.functions.end()) return &it->second;
    const FunctionDecls& std_decls = StandardDeclarations();
    if (auto it = std_decls.find(name); it != std_decls.end()) return &it->second;
    return nullptr;
  }

  // The functions the runtime implements for this Env.
  const FunctionRegistry& Functions() const {
    return env_.function_library != nullptr ? env_.function_library->registry() : FunctionRegistry::Default();
  }

  bool FunctionExists(const std::string& name, size_t arity) const {
    if (FindDecl(name) != nullptr) return true;
    return Functions().Find(name, false, arity) != nullptr;
  }

  Type CheckCall(const Expr& e) {
    const std::string& f = e.name;
    if (e.target == nullptr) {
      if (f == "_?._" && e.args.size() == 2) {
        Type operand = Substitute(Check(*e.args[0]), false);
        if (operand.is_optional()) operand = operand.params()[0];
        Type field = FieldOf(e, operand, std::string(e.args[1]->constant.string_value()));
        return field.kind() == TK::kError ? field : Type::Optional(field);
      }
      if ((f == "@optMap" || f == "@optFlatMap") && e.args.size() == 3) {
        Type target = UnwrapOptional(*e.args[0], Check(*e.args[0]));
        scope_.emplace_back(e.args[1]->name, target);
        Type body = Check(*e.args[2]);
        scope_.pop_back();
        if (f == "@optMap") return Type::Optional(body);
        return Type::Optional(UnwrapOptional(*e.args[2], body));
      }
      if (f == "cel.@block" && e.args.size() == 2) return CheckBlock(e);
      for (const std::string& candidate : Candidates(f)) {
        if (FunctionExists(candidate, e.args.size())) return CheckOverloads(e, candidate, false);
      }
      return CheckOverloads(e, f, false);
    }
    // A member call on a qualified name that is not a value may be a namespaced function.
    std::vector<const Expr*> chain;
    if (QualifiedChain(*e.target, chain) && !IsValueName(chain)) {
      std::string qualified = absl::StrCat(JoinChain(chain, chain.size()), ".", f);
      if (FunctionExists(qualified, e.args.size())) return CheckOverloads(e, qualified, false);
    }
    return CheckOverloads(e, f, true);
  }

  Type CheckBlock(const Expr& e) {
    const Expr& list = *e.args[0];
    size_t scope_size = scope_.size();
    for (size_t i = 0; i < list.args.size(); ++i) {
      scope_.emplace_back(absl::StrCat("@index", i), Check(*list.args[i]));
    }
    Type result = Check(*e.args[1]);
    scope_.resize(scope_size);
    return result;
  }

  // Renames the type parameters of `overload` to fresh variables.
  std::vector<Type> Instantiate(const Overload& overload) {
    absl::flat_hash_map<std::string, Type> fresh;
    std::function<Type(const Type&)> rename = [&](const Type& t) -> Type {
      if (t.is_param()) {
        auto [it, inserted] = fresh.try_emplace(t.name());
        if (inserted) it->second = NewVar();
        return it->second;
      }
      if (t.params().empty()) return t;
      std::vector<Type> params;
      for (const Type& p : t.params()) params.push_back(rename(p));
      return Rebuild(t, std::move(params));
    };
    std::vector<Type> signature;
    for (const Type& p : overload.params) signature.push_back(rename(p));
    signature.push_back(rename(overload.result));
    return signature;
  }

  Type CheckOverloads(const Expr& e, const std::string& name, bool member) {
    std::vector<Type> args;
    if (member) args.push_back(Check(*e.target));
    for (const auto& a : e.args) args.push_back(Check(*a));
    const std::vector<Overload>* overloads = FindDecl(name);
    if (overloads == nullptr) {
      // Implemented by the runtime but not declared for the checker: arguments are checked,
      // the result is dyn.
      if (Functions().Find(name, member, args.size()) != nullptr ||
          env_.allow_undeclared) {
        return Type::Dyn();
      }
      return Fail(e.offset, absl::StrCat("undeclared reference to '", name, "'"));
    }
    std::optional<Type> result;
    for (const Overload& overload : *overloads) {
      if (overload.member != member || overload.params.size() != args.size()) continue;
      std::vector<Type> signature = Instantiate(overload);
      Type overload_result = signature.back();
      signature.pop_back();
      if (!TryAssignList(args, signature)) continue;
      Type t = Substitute(overload_result, false);
      if (!result) {
        result = t;
      } else if (!result->is_dyn() && *result != t) {
        result = Type::Dyn();
      }
    }
    if (result) return *result;
    for (const Type& a : args) {
      if (a.kind() == TK::kError) return a;  // already reported
    }
    std::vector<std::string> shown;
    for (const Type& a : args) shown.push_back(Show(a));
    return Fail(
        e.offset,
        absl::StrCat("found no matching overload for '", name, "' applied to '",
                     member ? shown[0] + "." : "", "(",
                     absl::StrJoin(shown.begin() + (member ? 1 : 0), shown.end(), ", "), ")'"));
  }

  Type Check(const Expr& e) {
    switch (e.kind) {
      case Expr::Kind::kConstant:
        switch (e.constant.kind()) {
          case Kind::kNull:
            return Type::Null();
          case Kind::kBool:
            return Type::Bool();
          case Kind::kInt:
            return Type::Int();
          case Kind::kUint:
            return Type::Uint();
          case Kind::kDouble:
            return Type::Double();
          case Kind::kString:
            return Type::String();
          case Kind::kBytes:
            return Type::Bytes();
          default:
            return Type::Dyn();
        }
      case Expr::Kind::kIdent:
      case Expr::Kind::kSelect:
        return CheckName(e);
      case Expr::Kind::kCall:
        return CheckCall(e);
      case Expr::Kind::kList:
        return CheckList(e);
      case Expr::Kind::kMap:
        return CheckMap(e);
      case Expr::Kind::kStruct:
        return CheckStruct(e);
      case Expr::Kind::kComprehension:
        return CheckComprehension(e);
    }
    return Type::Dyn();
  }

  absl::string_view source_;
  const Env& env_;
  const pb::DescriptorPool& pool_;
  Substitutions subs_;
  int next_var_ = 0;
  std::vector<std::pair<std::string, Type>> scope_;
  std::vector<std::string> errors_;
};

}  // namespace

std::vector<std::string> ContainerCandidates(absl::string_view container_name,
                                             absl::string_view name) {
  if (absl::StartsWith(name, ".")) return {std::string(name.substr(1))};
  std::vector<std::string> out;
  std::string container(container_name);
  while (!container.empty()) {
    out.push_back(absl::StrCat(container, ".", name));
    size_t dot = container.rfind('.');
    container = dot == std::string::npos ? "" : container.substr(0, dot);
  }
  out.push_back(std::string(name));
  return out;
}

absl::StatusOr<Type> CheckTypes(const Expr& root, absl::string_view source, const Env& env,
                                const google::protobuf::DescriptorPool& pool) {
  return Checker(source, env, pool).Run(root);
}

}  // namespace bulwark::cel::internal
