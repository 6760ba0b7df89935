#include "bulwark/policy/cel/internal/nodes.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "bulwark/policy/cel/activation.h"
#include "bulwark/policy/cel/escaping.h"
#include "bulwark/policy/cel/internal/proto_value.h"

namespace bulwark::cel::internal {
namespace {

bool IsErrorOrUnknown(const Value& v) { return v.is_error() || v.is_unknown(); }

// Merges unknowns; otherwise the first error wins.
Value MergeUnknowns(const Value& a, const Value& b) {
  std::vector<int64_t> ids = a.unknown_ids();
  ids.insert(ids.end(), b.unknown_ids().begin(), b.unknown_ids().end());
  return Value::Unknown(std::move(ids));
}

class ConstantNode final : public Node {
 public:
  explicit ConstantNode(Value v) : value_(std::move(v)) {}
  Value Eval(EvalContext&) const override { return value_; }
  const Value& EvalRef(EvalContext&, Value&) const override { return value_; }
  Truth EvalTruth(EvalContext&, Value& other) const override {
    Truth truth = TruthOf(value_);
    if (truth == Truth::kOther) other = value_;
    return truth;
  }

 private:
  Value value_;
};

class SlotNode final : public Node {
 public:
  explicit SlotNode(size_t slot) : slot_(slot) {}
  Value Eval(EvalContext& ctx) const override { return ctx.slot(slot_); }
  const Value& EvalRef(EvalContext& ctx, Value&) const override { return ctx.slot(slot_); }
  Truth EvalTruth(EvalContext& ctx, Value& other) const override {
    const Value& value = ctx.slot(slot_);
    Truth truth = TruthOf(value);
    if (truth == Truth::kOther) other = value;
    return truth;
  }

 private:
  size_t slot_;
};

class VariableNode final : public Node {
 public:
  explicit VariableNode(std::string name) : name_(std::move(name)) {}
  Value Eval(EvalContext& ctx) const override {
    const Value* v = ctx.activation()->Find(name_);
    if (v == nullptr) return ErrorValue(absl::StrCat("no such attribute: '", name_, "'"));
    return *v;
  }

 private:
  std::string name_;
};

class ErrorNode final : public Node {
 public:
  explicit ErrorNode(std::string message) : message_(std::move(message)) {}
  Value Eval(EvalContext&) const override { return ErrorValue(message_); }

 private:
  std::string message_;
};

Value SelectFrom(const Value& operand, const std::string& field, bool test_only, EvalContext& ctx) {
  if (operand.is_document() && operand.is_map()) {
    // Fast path for JSON/YAML documents: no intermediate optional.
    const core::Value* found = operand.document()->Find(field);
    if (test_only) return Value::Bool(found != nullptr);
    if (found == nullptr) return ErrorValue(absl::StrCat("no such key: '", field, "'"));
    return Value::Document(found);
  }
  if (operand.is_map()) {
    std::optional<Value> found = operand.MapFindString(field);
    if (test_only) return Value::Bool(found.has_value());
    if (!found) return ErrorValue(absl::StrCat("no such key: '", field, "'"));
    return *std::move(found);
  }
  if (operand.is_message()) {
    return test_only ? HasField(operand, field) : SelectField(operand, field, ctx.types());
  }
  if (IsErrorOrUnknown(operand)) return operand;
  return ErrorValue(absl::StrCat("type '", KindTypeName(operand.kind()),
                                 "' does not support field selection ('", field, "')"));
}

// `operand.?field`: optional.of(value) when present, optional.none() when absent.
Value OptionalSelectFrom(const Value& operand, const std::string& field, EvalContext& ctx) {
  if (IsErrorOrUnknown(operand)) return operand;
  Value present = SelectFrom(operand, field, /*test_only=*/true, ctx);
  if (!present.is_bool()) return present;
  if (!present.bool_value()) return Value::OptionalNone();
  Value v = SelectFrom(operand, field, false, ctx);
  if (IsErrorOrUnknown(v)) return v;
  return Value::OptionalOf(std::move(v));
}

template <typename Word>
Word LoadWord(const char* p) {
  Word w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// Whether the `n` bytes at `a` and `b` are equal, compared inline a word at a time (the last
// word may overlap the previous one).
bool SameBytes(const char* a, const char* b, size_t n) {
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8) {
      if (LoadWord<uint64_t>(a + i) != LoadWord<uint64_t>(b + i)) return false;
    }
    return LoadWord<uint64_t>(a + n - 8) == LoadWord<uint64_t>(b + n - 8);
  }
  if (n >= 4) {
    return LoadWord<uint32_t>(a) == LoadWord<uint32_t>(b) &&
           LoadWord<uint32_t>(a + n - 4) == LoadWord<uint32_t>(b + n - 4);
  }
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// Finds `key` in a document map. Field names are short, so comparing lengths first and then
// the bytes inline beats a libc memcmp call per entry.
const core::Value* FindDocumentKey(const core::Value& map, absl::string_view key) {
  for (const core::MapEntry& entry : map.map_value()) {
    if (entry.key.size() == key.size() && SameBytes(entry.key.data(), key.data(), key.size())) {
      return &entry.value;
    }
  }
  return nullptr;
}

// One field of a selection path, with its Kubernetes-unescaped spelling when that differs.
struct PathField {
  std::string name;
  std::string unescaped;
};

// `operand.f1.f2...fn` (and `has(operand.f1...fn)` with `test_only`) as one node: selections
// through JSON/YAML documents walk core::Values directly, without a CEL Value per step.
class SelectNode final : public Node {
 public:
  SelectNode(NodePtr operand, std::vector<std::string> fields, bool test_only)
      : operand_(std::move(operand)), test_only_(test_only) {
    for (std::string& name : fields) {
      PathField field{std::move(name), {}};
      if (field.name.find("__") != std::string::npos) {
        std::string unescaped = UnescapePropertyName(field.name);
        if (unescaped != field.name) field.unescaped = std::move(unescaped);
      }
      fields_.push_back(std::move(field));
    }
  }
  Value Eval(EvalContext& ctx) const override { return EvalViaTruth(ctx); }
  const Value& EvalRef(EvalContext& ctx, Value& scratch) const override {
    return EvalRefViaTruth(ctx, scratch);
  }
  Truth EvalTruth(EvalContext& ctx, Value& other) const override {
    if (!ctx.Charge(fields_.size())) {
      other = ctx.BudgetError();
      return Truth::kOther;
    }
    // `other` doubles as the operand's scratch: the operand is read before `other` is written.
    const Value& operand = operand_->EvalRef(ctx, other);
    DocumentWalk walk = WalkDocument(operand);
    if (walk.doc == nullptr) {
      other = SelectSteps(operand, 0, ctx);
      return TruthOf(other);
    }
    const bool at_last = walk.consumed + 1 == fields_.size();
    if (walk.missing) {
      if (test_only_ && at_last) return Truth::kFalse;
      other = NoSuchKey(fields_[walk.consumed].name);
      return Truth::kOther;
    }
    if (walk.consumed == fields_.size()) {
      if (test_only_) return Truth::kTrue;
      if (walk.doc->is_bool()) return TruthOf(walk.doc->bool_value());
      other = Value::Document(walk.doc);
      return Truth::kOther;
    }
    other = SelectSteps(Value::Document(walk.doc), walk.consumed, ctx);
    return TruthOf(other);
  }

 private:
  // How far the path goes through document maps: `doc` is the value reached after `consumed`
  // fields (null when the operand is not a document map); `missing` when fields_[consumed] is
  // not a key of `doc`. The walk also stops before a field with an escaped spelling and at a
  // value that is not a map.
  struct DocumentWalk {
    const core::Value* doc = nullptr;
    size_t consumed = 0;
    bool missing = false;
  };
  DocumentWalk WalkDocument(const Value& operand) const {
    DocumentWalk walk;
    if (!operand.is_document() || !operand.is_map()) return walk;
    walk.doc = operand.document();
    for (; walk.consumed < fields_.size(); ++walk.consumed) {
      const PathField& field = fields_[walk.consumed];
      if (!field.unescaped.empty() || !walk.doc->is_map()) break;
      const core::Value* found = FindDocumentKey(*walk.doc, field.name);
      if (found == nullptr) {
        walk.missing = true;
        break;
      }
      walk.doc = found;
    }
    return walk;
  }

  static Value NoSuchKey(absl::string_view field) {
    return ErrorValue(absl::StrCat("no such key: '", field, "'"));
  }

  // The general path: fields_[from..] selected one at a time from `operand`.
  Value SelectSteps(const Value& operand, size_t from, EvalContext& ctx) const {
    Value current = operand;
    for (size_t i = from; i < fields_.size(); ++i) {
      current = SelectStep(current, fields_[i], test_only_ && i + 1 == fields_.size(), ctx);
    }
    return current;
  }

  static Value SelectStep(const Value& operand, const PathField& field, bool test_only,
                          EvalContext& ctx) {
    if (!field.unescaped.empty() && operand.is_map()) {
      // Kubernetes property-name escaping: `a__dash__b` reads key "a-b" unless the map has the
      // escaped key itself.
      Value present = SelectFrom(operand, field.name, /*test_only=*/true, ctx);
      if (present.is_bool() && !present.bool_value()) {
        return SelectFrom(operand, field.unescaped, test_only, ctx);
      }
    }
    if (operand.is_optional()) {
      // Selection on an optional is optional selection (chaining): absent fields give none.
      if (!operand.optional_has_value()) return test_only ? Value::Bool(false) : operand;
      if (test_only) return SelectFrom(operand.optional_value(), field.name, true, ctx);
      return OptionalSelectFrom(operand.optional_value(), field.name, ctx);
    }
    return SelectFrom(operand, field.name, test_only, ctx);
  }

  NodePtr operand_;
  std::vector<PathField> fields_;
  bool test_only_;  // applies to the last field
};

class OptionalSelectNode final : public Node {
 public:
  OptionalSelectNode(NodePtr operand, std::string field)
      : operand_(std::move(operand)), field_(std::move(field)) {}
  Value Eval(EvalContext& ctx) const override {
    if (!ctx.Charge(1)) return ctx.BudgetError();
    Value operand = operand_->Eval(ctx);
    if (operand.is_optional()) {
      if (!operand.optional_has_value()) return operand;
      operand = operand.optional_value();
    }
    return OptionalSelectFrom(operand, field_, ctx);
  }

 private:
  NodePtr operand_;
  std::string field_;
};

// Converts a numeric index to a list position; nullopt when not integral.
std::optional<int64_t> ListIndex(const Value& index) {
  if (index.is_int()) return index.int_value();
  if (index.is_uint()) {
    if (index.uint_value() > static_cast<uint64_t>(INT64_MAX)) return -1;
    return static_cast<int64_t>(index.uint_value());
  }
  if (index.is_double()) {
    double d = index.double_value();
    if (d != std::trunc(d) || std::isinf(d)) return std::nullopt;
    if (d < -9.2e18 || d > 9.2e18) return -1;
    return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

Value IndexInto(const Value& operand, const Value& index, bool optional) {
  if (IsErrorOrUnknown(operand)) return operand;
  if (IsErrorOrUnknown(index)) return index;
  if (operand.is_list()) {
    std::optional<int64_t> i = ListIndex(index);
    if (!i) {
      if (index.is_double()) return ErrorValue("unsupported index value: non-integral double");
      return NoOverload("_[_]");
    }
    if (*i < 0 || static_cast<uint64_t>(*i) >= operand.ListSize()) {
      if (optional) return Value::OptionalNone();
      return ErrorValue(absl::StrCat("index out of range: ", *i));
    }
    Value v = operand.ListGet(static_cast<size_t>(*i));
    return optional ? Value::OptionalOf(std::move(v)) : v;
  }
  if (operand.is_map()) {
    if (!IsValidMapKey(index) && !index.is_double()) {
      return ErrorValue(absl::StrCat("unsupported key type: ", KindTypeName(index.kind())));
    }
    std::optional<Value> found = operand.MapFind(index);
    if (!found) {
      if (optional) return Value::OptionalNone();
      return ErrorValue(absl::StrCat("no such key: ", index.DebugString()));
    }
    return optional ? Value::OptionalOf(*std::move(found)) : *std::move(found);
  }
  return NoOverload(optional ? "_[?_]" : "_[_]");
}

class IndexNode final : public Node {
 public:
  IndexNode(NodePtr operand, NodePtr index, bool optional)
      : operand_(std::move(operand)), index_(std::move(index)), optional_(optional) {}
  Value Eval(EvalContext& ctx) const override {
    if (!ctx.Charge(1)) return ctx.BudgetError();
    Value operand = operand_->Eval(ctx);
    Value index = index_->Eval(ctx);
    if (operand.is_optional()) {
      if (!operand.optional_has_value()) return operand;
      Value inner = IndexInto(operand.optional_value(), index, /*optional=*/true);
      return inner;
    }
    return IndexInto(operand, index, optional_);
  }

 private:
  NodePtr operand_;
  NodePtr index_;
  bool optional_;
};

class CallNode final : public Node {
 public:
  CallNode(const FunctionDef* function, std::vector<NodePtr> args)
      : function_(function), args_(std::move(args)) {}
  Value Eval(EvalContext& ctx) const override {
    if (!ctx.Charge(1)) return ctx.BudgetError();
    Value inline_args[4];
    std::vector<Value> heap_args;
    Value* values = inline_args;
    if (args_.size() > 4) {
      heap_args.resize(args_.size());
      values = heap_args.data();
    }
    const Value* error = nullptr;
    Value unknown;
    bool has_unknown = false;
    for (size_t i = 0; i < args_.size(); ++i) {
      values[i] = args_[i]->Eval(ctx);
      if (values[i].is_unknown()) {
        unknown = has_unknown ? MergeUnknowns(unknown, values[i]) : values[i];
        has_unknown = true;
      } else if (values[i].is_error() && error == nullptr) {
        error = &values[i];
      }
    }
    if (has_unknown) return unknown;
    if (error != nullptr) return *error;
    if (ctx.aborted()) return ctx.size_error() ? ctx.SizeError() : ctx.BudgetError();
    return function_->Call(absl::MakeConstSpan(values, args_.size()), ctx);
  }

 private:
  const FunctionDef* function_;
  std::vector<NodePtr> args_;
};

// The result of && or || when an operand is not a bool (null pointers stand for bool operands):
// commutative absorption, unknowns beat errors, the first error is kept.
Value AbsorbLogical(const Value* left, const Value* right, absl::string_view function) {
  const bool left_unknown = left != nullptr && left->is_unknown();
  const bool right_unknown = right != nullptr && right->is_unknown();
  if (left_unknown && right_unknown) return MergeUnknowns(*left, *right);
  if (left_unknown) return *left;
  if (right_unknown) return *right;
  if (left != nullptr && left->is_error()) return *left;
  if (right != nullptr && right->is_error()) return *right;
  return NoOverload(function);
}

// `left && right` (decisive == false) or `left || right` (decisive == true).
class LogicalNode final : public Node {
 public:
  LogicalNode(NodePtr l, NodePtr r, bool decisive)
      : left_(std::move(l)), right_(std::move(r)), decisive_(TruthOf(decisive)) {}
  Value Eval(EvalContext& ctx) const override { return EvalViaTruth(ctx); }
  Truth EvalTruth(EvalContext& ctx, Value& other) const override {
    Value left;
    Truth l = left_->EvalTruth(ctx, left);
    if (l == decisive_) return l;
    Value right;
    Truth r = right_->EvalTruth(ctx, right);
    if (r == decisive_) return r;
    if (l != Truth::kOther && r != Truth::kOther) return l;  // both the other bool
    other =
        AbsorbLogical(l == Truth::kOther ? &left : nullptr, r == Truth::kOther ? &right : nullptr,
                      decisive_ == Truth::kTrue ? "_||_" : "_&&_");
    return Truth::kOther;
  }

 private:
  NodePtr left_;
  NodePtr right_;
  Truth decisive_;  // the operand value that decides the result
};

class NotNode final : public Node {
 public:
  explicit NotNode(NodePtr operand) : operand_(std::move(operand)) {}
  Value Eval(EvalContext& ctx) const override { return EvalViaTruth(ctx); }
  Truth EvalTruth(EvalContext& ctx, Value& other) const override {
    Truth truth = operand_->EvalTruth(ctx, other);
    if (truth == Truth::kTrue) return Truth::kFalse;
    if (truth == Truth::kFalse) return Truth::kTrue;
    if (!IsErrorOrUnknown(other)) other = NoOverload("!_");
    return Truth::kOther;
  }

 private:
  NodePtr operand_;
};

class EqualsConstantNode final : public Node {
 public:
  EqualsConstantNode(NodePtr operand, Value constant, bool negate)
      : operand_(std::move(operand)), constant_(std::move(constant)), negate_(negate) {}
  Value Eval(EvalContext& ctx) const override { return EvalViaTruth(ctx); }
  Truth EvalTruth(EvalContext& ctx, Value& other) const override {
    if (!ctx.Charge(1)) {
      other = ctx.BudgetError();
      return Truth::kOther;
    }
    if (constant_.is_bool()) {
      Truth truth = operand_->EvalTruth(ctx, other);
      if (truth != Truth::kOther) {
        return TruthOf(((truth == Truth::kTrue) == constant_.bool_value()) != negate_);
      }
      other = Equals(other, constant_);
    } else {
      Value scratch;
      other = Equals(operand_->EvalRef(ctx, scratch), constant_);
    }
    if (!other.is_bool()) return Truth::kOther;
    return TruthOf(other.bool_value() != negate_);
  }

 private:
  NodePtr operand_;
  Value constant_;
  bool negate_;
};

class NotStrictlyFalseNode final : public Node {
 public:
  explicit NotStrictlyFalseNode(NodePtr operand) : operand_(std::move(operand)) {}
  Value Eval(EvalContext& ctx) const override { return EvalViaTruth(ctx); }
  Truth EvalTruth(EvalContext& ctx, Value& other) const override {
    return TruthOf(operand_->EvalTruth(ctx, other) != Truth::kFalse);
  }

 private:
  NodePtr operand_;
};

class ConditionalNode final : public Node {
 public:
  ConditionalNode(NodePtr c, NodePtr y, NodePtr n)
      : condition_(std::move(c)), yes_(std::move(y)), no_(std::move(n)) {}
  Value Eval(EvalContext& ctx) const override {
    Value c;
    Truth truth = condition_->EvalTruth(ctx, c);
    if (truth != Truth::kOther) return truth == Truth::kTrue ? yes_->Eval(ctx) : no_->Eval(ctx);
    if (IsErrorOrUnknown(c)) return c;
    return NoOverload("_?_:_");
  }

 private:
  NodePtr condition_;
  NodePtr yes_;
  NodePtr no_;
};

class ListNode final : public Node {
 public:
  ListNode(std::vector<NodePtr> elements, std::vector<bool> optional)
      : elements_(std::move(elements)), optional_(std::move(optional)) {}
  Value Eval(EvalContext& ctx) const override {
    if (!ctx.Charge(1 + elements_.size() / 10)) return ctx.BudgetError();
    std::vector<Value> out;
    out.reserve(elements_.size());
    for (size_t i = 0; i < elements_.size(); ++i) {
      Value v = elements_[i]->Eval(ctx);
      if (IsErrorOrUnknown(v)) return v;
      if (optional_[i]) {
        if (!v.is_optional()) return NoOverload("optional list element");
        if (!v.optional_has_value()) continue;
        v = v.optional_value();
      }
      out.push_back(std::move(v));
    }
    return Value::List(std::move(out));
  }

 private:
  std::vector<NodePtr> elements_;
  std::vector<bool> optional_;
};

class MapNode final : public Node {
 public:
  MapNode(std::vector<NodePtr> keys, std::vector<NodePtr> values, std::vector<bool> optional)
      : keys_(std::move(keys)), values_(std::move(values)), optional_(std::move(optional)) {}
  Value Eval(EvalContext& ctx) const override {
    if (!ctx.Charge(1 + keys_.size() / 10)) return ctx.BudgetError();
    std::vector<std::pair<Value, Value>> entries;
    entries.reserve(keys_.size());
    for (size_t i = 0; i < keys_.size(); ++i) {
      Value k = keys_[i]->Eval(ctx);
      if (IsErrorOrUnknown(k)) return k;
      Value v = values_[i]->Eval(ctx);
      if (IsErrorOrUnknown(v)) return v;
      if (optional_[i]) {
        if (!v.is_optional()) return NoOverload("optional map entry");
        if (!v.optional_has_value()) continue;
        v = v.optional_value();
      }
      entries.emplace_back(std::move(k), std::move(v));
    }
    absl::StatusOr<Value> map = Value::Map(std::move(entries));
    return map.ok() ? *std::move(map) : Value::Error(map.status());
  }

 private:
  std::vector<NodePtr> keys_;
  std::vector<NodePtr> values_;
  std::vector<bool> optional_;
};

class StructNode final : public Node {
 public:
  StructNode(const google::protobuf::Descriptor* type, std::vector<std::string> fields,
             std::vector<NodePtr> values, std::vector<bool> optional)
      : type_(type),
        fields_(std::move(fields)),
        values_(std::move(values)),
        optional_(std::move(optional)) {}
  Value Eval(EvalContext& ctx) const override {
    if (!ctx.Charge(1 + fields_.size())) return ctx.BudgetError();
    std::vector<std::pair<std::string, Value>> fields;
    for (size_t i = 0; i < fields_.size(); ++i) {
      Value v = values_[i]->Eval(ctx);
      if (IsErrorOrUnknown(v)) return v;
      if (optional_[i]) {
        if (!v.is_optional()) return NoOverload("optional field");
        if (!v.optional_has_value()) continue;
        v = v.optional_value();
      }
      fields.emplace_back(fields_[i], std::move(v));
    }
    absl::StatusOr<Value> message = BuildMessage(type_, fields, ctx.types());
    return message.ok() ? *std::move(message) : Value::Error(message.status());
  }

 private:
  const google::protobuf::Descriptor* type_;
  std::vector<std::string> fields_;
  std::vector<NodePtr> values_;
  std::vector<bool> optional_;
};

// Calls `body(first, second)` for each element (list: index, element; map: key, value).
// Stops when body returns false. Returns an error value when the range is not iterable.
template <typename Body>
std::optional<Value> Iterate(const Value& range, bool two_vars, EvalContext& ctx, Body body) {
  if (range.is_list()) {
    size_t n = range.ListSize();
    for (size_t i = 0; i < n; ++i) {
      if (!ctx.Charge(1)) return ctx.BudgetError();
      Value element = range.ListGet(i);
      bool go = two_vars ? body(Value::Int(static_cast<int64_t>(i)), std::move(element))
                         : body(std::move(element), Value());
      if (!go) break;
    }
    return std::nullopt;
  }
  if (range.is_map()) {
    for (Value& key : range.MapKeys()) {
      if (!ctx.Charge(1)) return ctx.BudgetError();
      Value second = two_vars ? *range.MapFind(key) : Value();
      if (!body(std::move(key), std::move(second))) break;
    }
    return std::nullopt;
  }
  if (IsErrorOrUnknown(range)) return range;
  return ErrorValue(absl::StrCat("cannot iterate over ", KindTypeName(range.kind())));
}

void BindIteration(EvalContext& ctx, const ComprehensionSlots& slots, Value first, Value second) {
  ctx.slot(slots.iter) = std::move(first);
  if (slots.two_vars) ctx.slot(slots.iter2) = std::move(second);
}

class ComprehensionNode final : public Node {
 public:
  ComprehensionNode(ComprehensionSlots slots, NodePtr range, NodePtr init, NodePtr condition,
                    NodePtr step, NodePtr result)
      : slots_(slots),
        range_(std::move(range)),
        init_(std::move(init)),
        condition_(std::move(condition)),
        step_(std::move(step)),
        result_(std::move(result)) {}
  Value Eval(EvalContext& ctx) const override {
    Value range = range_->Eval(ctx);
    ctx.slot(slots_.accu) = init_->Eval(ctx);
    Value failure;
    std::optional<Value> error =
        Iterate(range, slots_.two_vars, ctx, [&](Value first, Value second) {
          BindIteration(ctx, slots_, std::move(first), std::move(second));
          Value go = condition_->Eval(ctx);
          if (!go.is_bool()) {
            failure = IsErrorOrUnknown(go) ? go : NoOverload("loop condition");
            return false;
          }
          if (!go.bool_value()) return false;
          ctx.slot(slots_.accu) = step_->Eval(ctx);
          return !ctx.aborted();
        });
    if (error) return *error;
    if (ctx.aborted()) return ctx.size_error() ? ctx.SizeError() : ctx.BudgetError();
    if (failure.is_error() || failure.is_unknown()) return failure;
    return result_->Eval(ctx);
  }

 private:
  ComprehensionSlots slots_;
  NodePtr range_, init_, condition_, step_, result_;
};

class QuantifierNode final : public Node {
 public:
  QuantifierNode(bool all, ComprehensionSlots slots, NodePtr range, NodePtr predicate)
      : all_(all), slots_(slots), range_(std::move(range)), predicate_(std::move(predicate)) {}
  Value Eval(EvalContext& ctx) const override { return EvalViaTruth(ctx); }
  Truth EvalTruth(EvalContext& ctx, Value& other) const override {
    Value scratch;
    const Value& range = range_->EvalRef(ctx, scratch);
    if (range.is_list() && !slots_.two_vars) return EvalList(range, ctx, other);
    bool pending = false;  // `other` holds the first error or unknown seen
    bool decided = false;
    Value p;
    std::optional<Value> error =
        Iterate(range, slots_.two_vars, ctx, [&](Value first, Value second) {
          BindIteration(ctx, slots_, std::move(first), std::move(second));
          if (!Visit(predicate_->EvalTruth(ctx, p), p, pending, other)) {
            decided = true;
            return false;
          }
          return !ctx.aborted();
        });
    if (error) {
      other = *std::move(error);
      return Truth::kOther;
    }
    return Finish(decided, pending, ctx, other);
  }

 private:
  // The common case (a list, one variable) without the generic iteration callback; document
  // lists are walked directly.
  Truth EvalList(const Value& range, EvalContext& ctx, Value& other) const {
    if (range.is_document()) {
      const core::ValueList& items = range.document()->list_value();
      return EvalElements(
          items.size(), [&](size_t i, Value& element) { element.AssignDocument(&items[i]); }, ctx,
          other);
    }
    return EvalElements(
        range.ListSize(), [&](size_t i, Value& element) { element = range.ListGet(i); }, ctx,
        other);
  }

  template <typename BindElement>
  Truth EvalElements(size_t n, BindElement bind_element, EvalContext& ctx, Value& other) const {
    bool pending = false;
    Value& element = ctx.slot(slots_.iter);
    Value p;
    for (size_t i = 0; i < n; ++i) {
      if (!ctx.Charge(1)) break;
      bind_element(i, element);
      if (!Visit(predicate_->EvalTruth(ctx, p), p, pending, other)) return TruthOf(!all_);
      if (ctx.aborted()) break;
    }
    return Finish(false, pending, ctx, other);
  }

  // Takes one predicate outcome; false when it decides the result (false for all, true for
  // exists). The first non-bool outcome is kept in `other` (`pending`).
  bool Visit(Truth truth, Value& p, bool& pending, Value& other) const {
    if (truth != Truth::kOther) return (truth == Truth::kTrue) == all_;
    if (!pending) {
      other = IsErrorOrUnknown(p) ? std::move(p) : NoOverload(all_ ? "all" : "exists");
      pending = true;
    }
    return true;
  }

  Truth Finish(bool decided, bool pending, EvalContext& ctx, Value& other) const {
    if (ctx.aborted()) {
      other = ctx.size_error() ? ctx.SizeError() : ctx.BudgetError();
      return Truth::kOther;
    }
    if (decided) return TruthOf(!all_);
    if (pending) return Truth::kOther;
    return TruthOf(all_);
  }

  bool all_;
  ComprehensionSlots slots_;
  NodePtr range_, predicate_;
};

class MapFilterNode final : public Node {
 public:
  MapFilterNode(ComprehensionSlots slots, NodePtr range, NodePtr predicate, NodePtr transform,
                bool to_map)
      : slots_(slots),
        range_(std::move(range)),
        predicate_(std::move(predicate)),
        transform_(std::move(transform)),
        to_map_(to_map) {}
  Value Eval(EvalContext& ctx) const override {
    Value range = range_->Eval(ctx);
    std::vector<Value> out;
    std::vector<Value> keys;
    Value failure;
    std::optional<Value> error =
        Iterate(range, slots_.two_vars, ctx, [&](Value first, Value second) {
          BindIteration(ctx, slots_, first, std::move(second));
          if (to_map_) keys.push_back(first);
          if (predicate_ != nullptr) {
            Value keep = predicate_->Eval(ctx);
            if (!keep.is_bool()) {
              failure = IsErrorOrUnknown(keep) ? keep : NoOverload("filter");
              return false;
            }
            if (!keep.bool_value()) {
              if (to_map_) keys.pop_back();
              return true;
            }
          }
          Value v = transform_ != nullptr ? transform_->Eval(ctx) : first;
          if (IsErrorOrUnknown(v)) {
            failure = v;
            return false;
          }
          out.push_back(std::move(v));
          return ctx.CheckSize(out.size()) && !ctx.aborted();
        });
    if (error) return *error;
    if (ctx.aborted()) return ctx.size_error() ? ctx.SizeError() : ctx.BudgetError();
    if (!failure.is_null()) return failure;
    if (!to_map_) return Value::List(std::move(out));
    std::vector<std::pair<Value, Value>> entries;
    for (size_t i = 0; i < out.size(); ++i) entries.emplace_back(keys[i], std::move(out[i]));
    absl::StatusOr<Value> map = Value::Map(std::move(entries));
    return map.ok() ? *std::move(map) : Value::Error(map.status());
  }

 private:
  ComprehensionSlots slots_;
  NodePtr range_, predicate_, transform_;
  bool to_map_;
};

class BindNode final : public Node {
 public:
  BindNode(size_t slot, NodePtr init, NodePtr result)
      : slot_(slot), init_(std::move(init)), result_(std::move(result)) {}
  Value Eval(EvalContext& ctx) const override {
    ctx.slot(slot_) = init_->Eval(ctx);
    return result_->Eval(ctx);
  }

 private:
  size_t slot_;
  NodePtr init_, result_;
};

class BlockNode final : public Node {
 public:
  BlockNode(std::vector<size_t> slots, std::vector<NodePtr> bindings, NodePtr result)
      : slots_(std::move(slots)), bindings_(std::move(bindings)), result_(std::move(result)) {}
  Value Eval(EvalContext& ctx) const override {
    for (size_t i = 0; i < bindings_.size(); ++i) ctx.slot(slots_[i]) = bindings_[i]->Eval(ctx);
    return result_->Eval(ctx);
  }

 private:
  std::vector<size_t> slots_;
  std::vector<NodePtr> bindings_;
  NodePtr result_;
};

class OptionalMapNode final : public Node {
 public:
  OptionalMapNode(size_t slot, NodePtr target, NodePtr expr, bool flat)
      : slot_(slot), target_(std::move(target)), expr_(std::move(expr)), flat_(flat) {}
  Value Eval(EvalContext& ctx) const override {
    Value target = target_->Eval(ctx);
    if (IsErrorOrUnknown(target)) return target;
    if (!target.is_optional()) return NoOverload(flat_ ? "optFlatMap" : "optMap");
    if (!target.optional_has_value()) return target;
    ctx.slot(slot_) = target.optional_value();
    Value v = expr_->Eval(ctx);
    if (IsErrorOrUnknown(v) || flat_) {
      if (flat_ && !IsErrorOrUnknown(v) && !v.is_optional()) return NoOverload("optFlatMap");
      return v;
    }
    return Value::OptionalOf(std::move(v));
  }

 private:
  size_t slot_;
  NodePtr target_, expr_;
  bool flat_;
};

}  // namespace

NodePtr MakeConstant(Value v) { return std::make_unique<ConstantNode>(std::move(v)); }
NodePtr MakeSlot(size_t slot) { return std::make_unique<SlotNode>(slot); }
NodePtr MakeVariable(std::string name) { return std::make_unique<VariableNode>(std::move(name)); }
NodePtr MakeError(std::string message) { return std::make_unique<ErrorNode>(std::move(message)); }
NodePtr MakeSelect(NodePtr operand, std::vector<std::string> fields, bool test_only) {
  return std::make_unique<SelectNode>(std::move(operand), std::move(fields), test_only);
}
NodePtr MakeOptionalSelect(NodePtr operand, std::string field) {
  return std::make_unique<OptionalSelectNode>(std::move(operand), std::move(field));
}
NodePtr MakeIndex(NodePtr operand, NodePtr index, bool optional) {
  return std::make_unique<IndexNode>(std::move(operand), std::move(index), optional);
}
NodePtr MakeCall(const FunctionDef* function, std::vector<NodePtr> args) {
  return std::make_unique<CallNode>(function, std::move(args));
}
NodePtr MakeAnd(NodePtr left, NodePtr right) {
  return std::make_unique<LogicalNode>(std::move(left), std::move(right), /*decisive=*/false);
}
NodePtr MakeOr(NodePtr left, NodePtr right) {
  return std::make_unique<LogicalNode>(std::move(left), std::move(right), /*decisive=*/true);
}
NodePtr MakeNot(NodePtr operand) { return std::make_unique<NotNode>(std::move(operand)); }
NodePtr MakeEqualsConstant(NodePtr operand, Value constant, bool negate) {
  return std::make_unique<EqualsConstantNode>(std::move(operand), std::move(constant), negate);
}
NodePtr MakeNotStrictlyFalse(NodePtr operand) {
  return std::make_unique<NotStrictlyFalseNode>(std::move(operand));
}
NodePtr MakeConditional(NodePtr condition, NodePtr yes, NodePtr no) {
  return std::make_unique<ConditionalNode>(std::move(condition), std::move(yes), std::move(no));
}
NodePtr MakeList(std::vector<NodePtr> elements, std::vector<bool> optional) {
  return std::make_unique<ListNode>(std::move(elements), std::move(optional));
}
NodePtr MakeMap(std::vector<NodePtr> keys, std::vector<NodePtr> values,
                std::vector<bool> optional) {
  return std::make_unique<MapNode>(std::move(keys), std::move(values), std::move(optional));
}
NodePtr MakeStruct(const google::protobuf::Descriptor* type, std::vector<std::string> fields,
                   std::vector<NodePtr> values, std::vector<bool> optional) {
  return std::make_unique<StructNode>(type, std::move(fields), std::move(values),
                                      std::move(optional));
}
NodePtr MakeComprehension(ComprehensionSlots slots, NodePtr range, NodePtr init, NodePtr condition,
                          NodePtr step, NodePtr result) {
  return std::make_unique<ComprehensionNode>(slots, std::move(range), std::move(init),
                                             std::move(condition), std::move(step),
                                             std::move(result));
}
NodePtr MakeQuantifier(bool all, ComprehensionSlots slots, NodePtr range, NodePtr predicate) {
  return std::make_unique<QuantifierNode>(all, slots, std::move(range), std::move(predicate));
}
NodePtr MakeMapFilter(ComprehensionSlots slots, NodePtr range, NodePtr predicate, NodePtr transform,
                      bool to_map) {
  return std::make_unique<MapFilterNode>(slots, std::move(range), std::move(predicate),
                                         std::move(transform), to_map);
}
NodePtr MakeBind(size_t slot, NodePtr init, NodePtr result) {
  return std::make_unique<BindNode>(slot, std::move(init), std::move(result));
}
NodePtr MakeBlock(std::vector<size_t> slots, std::vector<NodePtr> bindings, NodePtr result) {
  return std::make_unique<BlockNode>(std::move(slots), std::move(bindings), std::move(result));
}
NodePtr MakeOptionalMap(size_t slot, NodePtr target, NodePtr expr, bool flat) {
  return std::make_unique<OptionalMapNode>(slot, std::move(target), std::move(expr), flat);
}

}  // namespace bulwark::cel::internal
