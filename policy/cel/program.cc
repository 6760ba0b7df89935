// Compile(): parse, then plan the AST into evaluation nodes, resolving names against the Env
// (locals, declared variables, message and enum types, container-qualified names) and binding
// every call to its function table entry.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "bulwark/policy/cel/cel.h"
#include "bulwark/policy/cel/function_library.h"
#include "bulwark/policy/cel/internal/checker.h"
#include "bulwark/policy/cel/internal/cost.h"
#include "bulwark/policy/cel/internal/functions.h"
#include "bulwark/policy/cel/internal/nodes.h"
#include "bulwark/policy/cel/internal/proto_value.h"
#include "bulwark/policy/cel/macros.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace bulwark::cel {
namespace {

using internal::NodePtr;

constexpr absl::string_view kBuiltinTypes[] = {
    "int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type",
};

class Planner {
 public:
  Planner(const Env& env, const internal::TypeProvider& types, absl::string_view source)
      : env_(env),
        types_(types),
        functions_(env.function_library != nullptr ? env.function_library->registry()
                                           : internal::FunctionRegistry::Default()),
        source_(source) {}

  absl::StatusOr<NodePtr> Run(const Expr& root) {
    NodePtr node = Plan(root);
    if (!error_.empty()) return absl::InvalidArgumentError(error_);
    return node;
  }
  size_t slot_count() const { return next_slot_; }

 private:
  NodePtr Fail(const Expr& e, absl::string_view message) {
    if (error_.empty()) {
      error_ = FormatSourceError(source_, env_.parse_options.description, e.offset, message);
    }
    return internal::MakeConstant(Value());
  }

  NodePtr Plan(const Expr& e) {
    switch (e.kind) {
      case Expr::Kind::kConstant:
        return internal::MakeConstant(e.constant);
      case Expr::Kind::kIdent:
      case Expr::Kind::kSelect:
        return PlanName(e);
      case Expr::Kind::kCall:
        return PlanCall(e);
      case Expr::Kind::kList: {
        std::vector<NodePtr> elements;
        std::vector<bool> optional(e.args.size(), false);
        for (size_t i : e.optional_indices) optional[i] = true;
        for (const auto& a : e.args) elements.push_back(Plan(*a));
        return internal::MakeList(std::move(elements), std::move(optional));
      }
      case Expr::Kind::kMap: {
        std::vector<NodePtr> keys, values;
        std::vector<bool> optional;
        for (const Expr::Entry& entry : e.entries) {
          keys.push_back(Plan(*entry.key));
          values.push_back(Plan(*entry.value));
          optional.push_back(entry.optional);
        }
        return internal::MakeMap(std::move(keys), std::move(values), std::move(optional));
      }
      case Expr::Kind::kStruct:
        return PlanStruct(e);
      case Expr::Kind::kComprehension:
        return PlanComprehension(e);
    }
    return Fail(e, "unsupported expression");
  }

  // Names the container allows `name` to mean, most qualified first.
  std::vector<std::string> Candidates(absl::string_view name) const {
    return internal::ContainerCandidates(env_.container, name);
  }

  std::optional<size_t> FindLocal(absl::string_view name) const {
    for (auto it = scope_.rbegin(); it != scope_.rend(); ++it) {
      if (it->first == name) return it->second;
    }
    return std::nullopt;
  }

  // Fills `segments` when `e` is an identifier or a chain of plain selections on one.
  static bool QualifiedSegments(const Expr& e, std::vector<std::string>& segments) {
    if (e.kind == Expr::Kind::kIdent) {
      segments.push_back(e.name);
      return true;
    }
    if (e.kind == Expr::Kind::kSelect && !e.test_only && QualifiedSegments(*e.target, segments)) {
      segments.push_back(e.name);
      return true;
    }
    return false;
  }

  // A constant for a type name or enum value, if `name` is one.
  std::optional<Value> ResolveConstant(const std::string& name) const {
    if (std::find(std::begin(kBuiltinTypes), std::end(kBuiltinTypes), name) !=
        std::end(kBuiltinTypes)) {
      return Value::Type(name);
    }
    if (name == "optional_type" || name == "net.IP" || name == "net.CIDR") return Value::Type(name);
    if (types_.pool->FindMessageTypeByName(name) != nullptr) {
      // Well-known types name their CEL equivalents.
      if (name == "google.protobuf.Timestamp" || name == "google.protobuf.Duration") {
        return Value::Type(name);
      }
      return Value::Type(name);
    }
    size_t dot = name.rfind('.');
    if (dot != std::string::npos) {
      const google::protobuf::EnumDescriptor* e =
          types_.pool->FindEnumTypeByName(name.substr(0, dot));
      if (e != nullptr) {
        const google::protobuf::EnumValueDescriptor* v = e->FindValueByName(name.substr(dot + 1));
        if (v != nullptr) return Value::Int(v->number());
      }
    }
    if (types_.pool->FindEnumTypeByName(name) != nullptr) return Value::Type("int");
    return std::nullopt;
  }

  // `node` followed by the selections segments[from..] (and `tested`, has()'s field, if any).
  static NodePtr ApplySelects(NodePtr node, const std::vector<std::string>& segments, size_t from,
                              const std::string* tested) {
    std::vector<std::string> fields(segments.begin() + from, segments.end());
    if (tested != nullptr) fields.push_back(*tested);
    if (fields.empty()) return node;
    return internal::MakeSelect(std::move(node), std::move(fields), tested != nullptr);
  }

  // Resolves a (qualified) name to a node; nullptr when nothing matches.
  NodePtr ResolveName(const std::vector<std::string>& segments, const std::string* tested) {
    if (std::optional<size_t> local = FindLocal(segments[0])) {
      return ApplySelects(internal::MakeSlot(*local), segments, 1, tested);
    }
    for (size_t k = segments.size(); k >= 1; --k) {
      std::string prefix = absl::StrJoin(segments.begin(), segments.begin() + k, ".");
      for (const std::string& candidate : Candidates(prefix)) {
        if (env_.variables.contains(candidate)) {
          return ApplySelects(internal::MakeVariable(candidate), segments, k, tested);
        }
        if (std::optional<Value> constant = ResolveConstant(candidate)) {
          return ApplySelects(internal::MakeConstant(*constant), segments, k, tested);
        }
      }
    }
    return nullptr;
  }

  // An identifier, or a chain of selections `base.f1.f2...` planned as one selection node (the
  // last one may be has()'s test). When the base is an identifier, the longest prefix of the
  // chain that names a variable or constant is resolved first (qualified names).
  NodePtr PlanName(const Expr& e) {
    const std::string* tested = nullptr;
    const Expr* base = &e;
    if (e.kind == Expr::Kind::kSelect && e.test_only) {
      tested = &e.name;
      base = e.target.get();
    }
    std::vector<std::string> fields;
    while (base->kind == Expr::Kind::kSelect && !base->test_only) {
      fields.push_back(base->name);
      base = base->target.get();
    }
    std::reverse(fields.begin(), fields.end());
    if (base->kind != Expr::Kind::kIdent) {
      return ApplySelects(Plan(*base), fields, 0, tested);
    }
    std::vector<std::string> segments = {base->name};
    segments.insert(segments.end(), fields.begin(), fields.end());
    if (NodePtr node = ResolveName(segments, tested)) return node;
    if (env_.allow_undeclared) {
      std::string root = segments[0];
      if (absl::StartsWith(root, ".")) root = root.substr(1);
      return ApplySelects(internal::MakeVariable(root), segments, 1, tested);
    }
    return Fail(*base, absl::StrCat("undeclared reference to '", segments[0], "' (in container '",
                                    env_.container, "')"));
  }

  NodePtr PlanStruct(const Expr& e) {
    const google::protobuf::Descriptor* type = nullptr;
    for (const std::string& candidate : Candidates(e.name)) {
      type = types_.pool->FindMessageTypeByName(candidate);
      if (type != nullptr) break;
    }
    if (type == nullptr) return Fail(e, absl::StrCat("undeclared reference to '", e.name, "'"));
    std::vector<std::string> fields;
    std::vector<NodePtr> values;
    std::vector<bool> optional;
    for (const Expr::Entry& entry : e.entries) {
      if (type->FindFieldByName(entry.field) == nullptr) {
        Expr where;
        where.offset = entry.offset;
        return Fail(where,
                    absl::StrCat("undefined field '", entry.field, "' in ", type->full_name()));
      }
      fields.push_back(entry.field);
      values.push_back(Plan(*entry.value));
      optional.push_back(entry.optional);
    }
    return internal::MakeStruct(type, std::move(fields), std::move(values), std::move(optional));
  }

  size_t NewSlot() { return next_slot_++; }

  NodePtr PlanComprehension(const Expr& e) {
    if (e.macro == MacroKind::kBind) {
      NodePtr init = Plan(*e.accu_init);
      size_t slot = NewSlot();
      scope_.emplace_back(e.accu_var, slot);
      NodePtr result = Plan(*e.result);
      scope_.pop_back();
      return internal::MakeBind(slot, std::move(init), std::move(result));
    }
    NodePtr range = Plan(*e.iter_range);
    internal::ComprehensionSlots slots;
    slots.iter = NewSlot();
    slots.two_vars = !e.iter_var2.empty();
    slots.iter2 = slots.two_vars ? NewSlot() : slots.iter;
    slots.accu = NewSlot();
    size_t scope_size = scope_.size();
    scope_.emplace_back(e.accu_var, slots.accu);
    scope_.emplace_back(e.iter_var, slots.iter);
    if (slots.two_vars) scope_.emplace_back(e.iter_var2, slots.iter2);
    NodePtr node;
    const Expr& step = *e.loop_step;
    switch (e.macro) {
      case MacroKind::kAll:
      case MacroKind::kExists:
        node = internal::MakeQuantifier(e.macro == MacroKind::kAll, slots, std::move(range),
                                        Plan(*step.args[1]));
        break;
      case MacroKind::kMap:
        node =
            internal::MakeMapFilter(slots, std::move(range), nullptr, Plan(*step.args[1]->args[0]));
        break;
      case MacroKind::kMapFilter:
        node = internal::MakeMapFilter(slots, std::move(range), Plan(*step.args[0]),
                                       Plan(*step.args[1]->args[1]->args[0]));
        break;
      case MacroKind::kFilter:
        node = internal::MakeMapFilter(slots, std::move(range), Plan(*step.args[0]), nullptr);
        break;
      case MacroKind::kTransformList:
      case MacroKind::kTransformMap: {
        const Expr& add = *step.args.back();
        NodePtr transform =
            e.macro == MacroKind::kTransformList ? Plan(*add.args[1]->args[0]) : Plan(*add.args[2]);
        NodePtr filter = step.args.size() == 2 ? Plan(*step.args[0]) : nullptr;
        node = internal::MakeMapFilter(slots, std::move(range), std::move(filter),
                                       std::move(transform),
                                       /*to_map=*/e.macro == MacroKind::kTransformMap);
        break;
      }
      default: {
        NodePtr condition = Plan(*e.loop_condition);
        NodePtr step_node = Plan(step);
        scope_.resize(scope_size);
        NodePtr init = Plan(*e.accu_init);
        scope_.emplace_back(e.accu_var, slots.accu);
        NodePtr result = Plan(*e.result);
        node = internal::MakeComprehension(slots, std::move(range), std::move(init),
                                           std::move(condition), std::move(step_node),
                                           std::move(result));
      }
    }
    scope_.resize(scope_size);
    return node;
  }

  NodePtr PlanBlock(const Expr& e) {
    const Expr& list = *e.args[0];
    std::vector<size_t> slots;
    std::vector<NodePtr> bindings;
    size_t scope_size = scope_.size();
    for (size_t i = 0; i < list.args.size(); ++i) {
      bindings.push_back(Plan(*list.args[i]));
      slots.push_back(NewSlot());
      scope_.emplace_back(absl::StrCat("@index", i), slots.back());
    }
    NodePtr result = Plan(*e.args[1]);
    scope_.resize(scope_size);
    return internal::MakeBlock(std::move(slots), std::move(bindings), std::move(result));
  }

  NodePtr PlanCall(const Expr& e) {
    const std::string& f = e.name;
    const size_t n = e.args.size();
    if (e.target == nullptr) {
      if (f == "_&&_" && n == 2) return internal::MakeAnd(Plan(*e.args[0]), Plan(*e.args[1]));
      if (f == "_||_" && n == 2) return internal::MakeOr(Plan(*e.args[0]), Plan(*e.args[1]));
      if (f == "!_" && n == 1) return internal::MakeNot(Plan(*e.args[0]));
      if (f == "@not_strictly_false" && n == 1) {
        return internal::MakeNotStrictlyFalse(Plan(*e.args[0]));
      }
      if (f == "_?_:_" && n == 3) {
        return internal::MakeConditional(Plan(*e.args[0]), Plan(*e.args[1]), Plan(*e.args[2]));
      }
      if ((f == "_[_]" || f == "_[?_]") && n == 2) {
        return internal::MakeIndex(Plan(*e.args[0]), Plan(*e.args[1]), f == "_[?_]");
      }
      if (f == "_?._" && n == 2) {
        return internal::MakeOptionalSelect(Plan(*e.args[0]),
                                            std::string(e.args[1]->constant.string_value()));
      }
      if (f == "cel.@block" && n == 2) return PlanBlock(e);
      if ((f == "_==_" || f == "_!=_") && n == 2) {
        for (size_t k = 0; k < 2; ++k) {
          const Expr& constant = *e.args[k];
          if (constant.kind == Expr::Kind::kConstant && !constant.constant.is_error()) {
            return internal::MakeEqualsConstant(Plan(*e.args[1 - k]), constant.constant,
                                                f == "_!=_");
          }
        }
      }
      if ((f == "@optMap" || f == "@optFlatMap") && n == 3) {
        NodePtr target = Plan(*e.args[0]);
        size_t slot = NewSlot();
        scope_.emplace_back(e.args[1]->name, slot);
        NodePtr body = Plan(*e.args[2]);
        scope_.pop_back();
        return internal::MakeOptionalMap(slot, std::move(target), std::move(body),
                                         f == "@optFlatMap");
      }
      return BindFunction(e, f, /*member=*/false, nullptr);
    }
    // A member call on a qualified name that is not a value may be a namespaced function.
    std::vector<std::string> segments;
    if (QualifiedSegments(*e.target, segments) && !FindLocal(segments[0])) {
      std::string qualified = absl::StrCat(absl::StrJoin(segments, "."), ".", f);
      bool is_value = false;
      for (size_t k = segments.size(); k >= 1 && !is_value; --k) {
        for (const std::string& c :
             Candidates(absl::StrJoin(segments.begin(), segments.begin() + k, "."))) {
          if (env_.variables.contains(c)) is_value = true;
        }
      }
      if (!is_value && functions_.Find(qualified, false, n) != nullptr) {
        return BindFunction(e, qualified, /*member=*/false, nullptr);
      }
    }
    return BindFunction(e, f, /*member=*/true, e.target.get());
  }

  NodePtr BindFunction(const Expr& e, const std::string& name, bool member, const Expr* target) {
    std::vector<NodePtr> args;
    if (target != nullptr) args.push_back(Plan(*target));
    for (const auto& a : e.args) args.push_back(Plan(*a));
    const internal::FunctionDef* def = functions_.Find(name, member, args.size());
    if (def == nullptr) {
      std::string message = absl::StrCat("found no matching overload for '", name, "' with ",
                                         args.size(), " argument(s)");
      if (!functions_.Has(name)) message = absl::StrCat("undeclared reference to '", name, "'");
      if (env_.allow_undeclared) {
        // Keep the error at run time so that && and || can still absorb it.
        std::vector<NodePtr> strict_args = std::move(args);
        strict_args.push_back(internal::MakeError(message));
        static const internal::FunctionDef kUnreachable{
            "", internal::CallStyle::kBoth, internal::kVariadic,
            [](absl::Span<const Value>, internal::EvalContext&) { return Value(); }};
        return internal::MakeCall(&kUnreachable, std::move(strict_args));
      }
      return Fail(e, message);
    }
    return internal::MakeCall(def, std::move(args));
  }

  const Env& env_;
  const internal::TypeProvider& types_;
  const internal::FunctionRegistry& functions_;
  absl::string_view source_;
  std::vector<std::pair<std::string, size_t>> scope_;
  size_t next_slot_ = 0;
  std::string error_;
};

const google::protobuf::DescriptorPool& PoolOf(const Env& env) {
  return env.descriptor_pool != nullptr ? *env.descriptor_pool
                                        : *google::protobuf::DescriptorPool::generated_pool();
}

}  // namespace

Program::~Program() = default;

absl::StatusOr<Type> Check(absl::string_view source, const Env& env) {
  absl::StatusOr<ParsedExpr> parsed = Parse(source, env.parse_options);
  if (!parsed.ok()) return parsed.status();
  return internal::CheckTypes(*parsed->root, parsed->source, env, PoolOf(env));
}

absl::StatusOr<CostEstimate> EstimateCost(absl::string_view source, const Env& env) {
  absl::StatusOr<ParsedExpr> parsed = Parse(source, env.parse_options);
  if (!parsed.ok()) return parsed.status();
  return internal::EstimateExprCost(*parsed->root, env.limits);
}

absl::StatusOr<std::shared_ptr<const Program>> Compile(absl::string_view source, const Env& env) {
  absl::StatusOr<ParsedExpr> parsed = Parse(source, env.parse_options);
  if (!parsed.ok()) return parsed.status();
  Type result_type;
  if (env.type_check) {
    absl::StatusOr<Type> checked =
        internal::CheckTypes(*parsed->root, parsed->source, env, PoolOf(env));
    if (!checked.ok()) return checked.status();
    result_type = *std::move(checked);
  }
  CostEstimate cost = internal::EstimateExprCost(*parsed->root, env.limits);
  if (env.limits.max_estimated_cost != 0 && cost.max > env.limits.max_estimated_cost) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "estimated cost ", cost.max, " exceeds the limit of ", env.limits.max_estimated_cost,
        " (assuming values of unknown size hold ", env.limits.max_collection_size, " elements)"));
  }
  auto types = std::make_unique<internal::TypeProvider>();
  types->pool = &PoolOf(env);
  types->factory = env.message_factory != nullptr
                       ? env.message_factory
                       : google::protobuf::MessageFactory::generated_factory();
  Planner planner(env, *types, parsed->source);
  absl::StatusOr<NodePtr> root = planner.Run(*parsed->root);
  if (!root.ok()) return root.status();
  std::shared_ptr<Program> program(new Program());
  program->source_ = std::move(parsed->source);
  program->result_type_ = std::move(result_type);
  program->estimated_cost_ = cost;
  program->types_ = std::move(types);
  program->root_ = *std::move(root);
  program->slot_count_ = planner.slot_count();
  program->limits_ = env.limits;
  return std::shared_ptr<const Program>(std::move(program));
}

Value Program::EvaluateToValue(const Activation& activation, EvalDetails* details) const {
  uint64_t budget =
      details != nullptr && details->cost_budget != 0 ? details->cost_budget : limits_.cost_budget;
  internal::EvalContext ctx(&activation, types_.get(), budget, limits_.max_collection_size,
                            slot_count_);
  Value result = root_->Eval(ctx);
  if (ctx.aborted()) result = ctx.size_error() ? ctx.SizeError() : ctx.BudgetError();
  if (details != nullptr) details->actual_cost = ctx.cost();
  return result;
}

absl::StatusOr<Value> Program::Evaluate(const Activation& activation, EvalDetails* details) const {
  Value result = EvaluateToValue(activation, details);
  if (result.is_error()) return result.error();
  return result;
}

}  // namespace bulwark::cel
