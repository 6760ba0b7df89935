#include "bulwark/runtime/rule_set.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "bulwark/core/document.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/runtime/event_types.h"
#include "bulwark/runtime/internal/compiled_rules.h"
#include "bulwark/runtime/internal/condition_parser.h"

namespace bulwark::runtime {
namespace {

using core::Value;
using internal::CompileError;

// ---- Collected definitions (before compilation) -----------------------------------------------

struct Where {
  std::string file;
  core::SourcePosition position;
};

struct ListDef {
  std::string name;
  std::vector<std::string> items;
  size_t visibility = 0;
  Where where;
  bool used = false;
};

struct MacroDef {
  std::string name;
  std::string condition;
  Where where;
  bool used = false;
};

struct ExceptionDef {
  std::string name;
  std::vector<std::string> fields;
  bool single_field = false;  // `fields: proc.name` (not a list).
  std::vector<std::string> comps;
  std::vector<Value> values;
  Where where;
};

struct RuleDef {
  std::string name;
  RuleDefinition def;
  std::vector<ExceptionDef> exceptions;
  bool warn_evttypes = true;
  bool skip_if_unknown_filter = false;
};

template <typename T>
class Indexed {
 public:
  T* Find(const std::string& name) {
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : &items_[it->second];
  }
  std::optional<size_t> IndexOf(const std::string& name) const {
    auto it = index_.find(name);
    if (it == index_.end()) return std::nullopt;
    return it->second;
  }
  // Inserts or replaces in place (Falco keeps a redefined item at its first position).
  T& Define(T item) {
    auto it = index_.find(item.name);
    if (it != index_.end()) {
      items_[it->second] = std::move(item);
      return items_[it->second];
    }
    index_.emplace(item.name, items_.size());
    items_.push_back(std::move(item));
    return items_.back();
  }
  std::vector<T>& items() { return items_; }
  size_t size() const { return items_.size(); }

 private:
  std::vector<T> items_;
  absl::flat_hash_map<std::string, size_t> index_;
};

std::string ScalarText(const Value& value) {
  switch (value.kind()) {
    case Value::Kind::kString:
      return value.string_value();
    case Value::Kind::kInt:
      return absl::StrCat(value.int_value());
    case Value::Kind::kUint:
      return absl::StrCat(value.uint_value());
    case Value::Kind::kDouble:
      return absl::StrCat(value.double_value());
    case Value::Kind::kBool:
      return value.bool_value() ? "true" : "false";
    default:
      return "";
  }
}

bool IsScalar(const Value& value) {
  return !value.is_list() && !value.is_map() && !value.is_null();
}

// A list item or exception value written with its own quotes ('"cat /dev/null"') is that text
// without them, as Falco reads it once substituted into a condition.
internal::ValueItem ItemFromText(const std::string& text) {
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') &&
      text.back() == text.front()) {
    return internal::ValueItem{.text = text.substr(1, text.size() - 2), .quoted = true};
  }
  return internal::ValueItem{.text = text};
}

struct Version {
  int64_t major = 0, minor = 0, patch = 0;
  auto operator<=>(const Version&) const = default;
  std::string ToString() const { return absl::StrCat(major, ".", minor, ".", patch); }
};

std::optional<Version> ParseVersion(const Value& value) {
  if (value.is_int()) return Version{0, value.int_value(), 0};  // Old form: the minor version.
  if (!value.is_string()) return std::nullopt;
  std::vector<std::string> parts = absl::StrSplit(value.string_value(), '.');
  if (parts.size() == 1) {
    int64_t minor = 0;
    if (!absl::SimpleAtoi(parts[0], &minor)) return std::nullopt;
    return Version{0, minor, 0};
  }
  if (parts.size() != 3) return std::nullopt;
  Version v;
  if (!absl::SimpleAtoi(parts[0], &v.major) || !absl::SimpleAtoi(parts[1], &v.minor) ||
      !absl::SimpleAtoi(parts[2], &v.patch)) {
    return std::nullopt;
  }
  return v;
}

constexpr absl::string_view kExceptionComps[] = {
    "=",        "==",        "!=",        "<",          "<=",          ">",        ">=",
    "contains", "icontains", "bcontains", "startswith", "bstartswith", "endswith", "glob",
    "iglob",    "pmatch",    "in",        "intersects", "regex"};

bool IsExceptionComp(absl::string_view comp) {
  return std::find(std::begin(kExceptionComps), std::end(kExceptionComps), comp) !=
         std::end(kExceptionComps);
}

// The parser puts the byte offset of a syntax error in the status payload.
int64_t ConditionOffset(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(internal::kConditionOffsetPayload);
  int64_t offset = -1;
  if (payload.has_value() && absl::SimpleAtoi(std::string(*payload), &offset)) return offset;
  return -1;
}

// ---- The loader ---------------------------------------------------------------------------------

class Loader {
 public:
  explicit Loader(const LoadOptions& options) : options_(options) {}

  void AddContent(const RulesContent& content) {
    file_ = content.name;
    absl::StatusOr<std::vector<Value>> documents =
        core::ParseYaml(content.content, options_.limits, content.name);
    if (!documents.ok()) {
      Error("LOAD_ERR_YAML_PARSE", "rules content", "", {},
            std::string(documents.status().message()));
      return;
    }
    for (const Value& document : *documents) {
      if (document.is_null()) continue;
      if (IsScalar(document)) {
        Error("LOAD_ERR_YAML_VALIDATE", "rules content", "", document.position(),
              "Rules content is not yaml");
        return;
      }
      if (!document.is_list()) {
        Error("LOAD_ERR_YAML_VALIDATE", "rules content", "", document.position(),
              "Rules content is not yaml array of objects");
        return;
      }
      for (const Value& item : document.list_value()) {
        if (!item.is_map()) {
          Error("LOAD_ERR_YAML_VALIDATE", "rules content item", "", item.position(),
                "Unexpected element type. Each element should be a yaml associative array.");
          return;
        }
        if (!AddItem(item)) return;  // Falco stops at the first error of a file.
      }
    }
  }

  std::vector<LoadMessage> errors;
  std::vector<LoadMessage> warnings;

 private:
  void Error(std::string code, std::string type, std::string name, core::SourcePosition where,
             std::string message) {
    errors.push_back(LoadMessage{std::move(code), std::move(type), std::move(name), file_, where,
                                 std::move(message)});
  }
  void Warn(std::string code, std::string type, std::string name, const Where& where,
            std::string message) {
    warnings.push_back(LoadMessage{std::move(code), std::move(type), std::move(name), where.file,
                                   where.position, std::move(message)});
  }

  // The item's name key (rule/macro/list): a non-empty scalar.
  std::optional<std::string> Name(const Value& item, const char* key) {
    const Value* name = item.Find(key);
    if (name == nullptr || !IsScalarPtr(name) || ScalarText(*name).empty()) {
      Error("LOAD_ERR_YAML_VALIDATE", key, "", item.position(),
            absl::StrCat("Mapping for key '", key, "' is empty"));
      return std::nullopt;
    }
    return ScalarText(*name);
  }
  static bool IsScalarPtr(const Value* value) { return value != nullptr && IsScalar(*value); }

  // `append: true`, or override: {key: append}. Returns the override mode of `key` ("" if none).
  static std::string OverrideMode(const Value& item, const char* key) {
    const Value* append = item.Find("append");
    if (append != nullptr && append->is_bool() && append->bool_value()) return "append";
    const Value* override_map = item.Find("override");
    if (override_map != nullptr && override_map->is_map()) {
      const Value* mode = override_map->Find(key);
      if (mode != nullptr && mode->is_string()) return mode->string_value();
    }
    return "";
  }
  static bool IsAppendOrOverride(const Value& item) {
    const Value* append = item.Find("append");
    return (append != nullptr && append->is_bool() && append->bool_value()) ||
           item.Find("override") != nullptr;
  }

  bool AddItem(const Value& item) {
    if (const Value* version = item.Find("required_engine_version")) {
      std::optional<Version> required = ParseVersion(*version);
      if (!required.has_value()) {
        Error("LOAD_ERR_YAML_VALIDATE", "required_engine_version", "", item.position(),
              "Can't decode YAML scalar value");
        return false;
      }
      Version engine = *ParseVersion(Value(kEngineVersion));
      if (engine < *required) {
        Error("LOAD_ERR_VALIDATE", "required_engine_version", "", item.position(),
              absl::StrCat("Rules require engine version ", ScalarText(*version),
                           ", but engine version is ", kEngineVersion));
        return false;
      }
      return true;
    }
    if (const Value* plugins = item.Find("required_plugin_versions")) {
      if (plugins->is_list()) {
        for (const Value& plugin : plugins->list_value()) {
          const Value* name = plugin.Find("name");
          const Value* version = plugin.Find("version");
          if (name == nullptr || version == nullptr) continue;
          plugins_.push_back(PluginRequirement{ScalarText(*name), ScalarText(*version)});
        }
      }
      return true;
    }
    if (item.Find("list") != nullptr) return AddList(item);
    if (item.Find("macro") != nullptr) return AddMacro(item);
    if (item.Find("rule") != nullptr) return AddRule(item);
    Warn("LOAD_UNKNOWN_ITEM", "rules content item", "", Where{file_, item.position()},
         "Unknown top level object");
    return true;
  }

  bool AddList(const Value& item) {
    std::optional<std::string> name = Name(item, "list");
    if (!name) return false;
    const Value* items = item.Find("items");
    if (items == nullptr) {
      Error("LOAD_ERR_YAML_VALIDATE", "list", *name, item.position(),
            "Item has no mapping for key 'items'");
      return false;
    }
    std::vector<std::string> values;
    if (items->is_list()) {
      for (const Value& v : items->list_value()) {
        if (!IsScalar(v)) {
          Error("LOAD_ERR_YAML_VALIDATE", "list", *name, v.position(),
                "List items must be scalars");
          return false;
        }
        values.push_back(ScalarText(v));
      }
    } else if (!items->is_null()) {
      Error("LOAD_ERR_YAML_VALIDATE", "list", *name, items->position(),
            "Value of key 'items' is not a sequence");
      return false;
    }
    if (OverrideMode(item, "items") == "append") {
      ListDef* existing = lists_.Find(*name);
      if (existing == nullptr) {
        Error("LOAD_ERR_VALIDATE", "list", *name, item.position(),
              "List has 'append' key but no list by that name already exists");
        return false;
      }
      existing->items.insert(existing->items.end(), values.begin(), values.end());
      return true;
    }
    if (IsAppendOrOverride(item) && lists_.Find(*name) == nullptr) {
      Error("LOAD_ERR_VALIDATE", "list", *name, item.position(),
            "List has 'override' key but no list by that name already exists");
      return false;
    }
    ListDef& def = lists_.Define(
        ListDef{.name = *name, .items = std::move(values), .where = Where{file_, item.position()}});
    def.visibility = lists_.size();
    return true;
  }

  bool AddMacro(const Value& item) {
    std::optional<std::string> name = Name(item, "macro");
    if (!name) return false;
    const Value* condition = item.Find("condition");
    if (condition == nullptr || !IsScalarPtr(condition)) {
      Error("LOAD_ERR_YAML_VALIDATE", "macro", *name, item.position(),
            "Item has no mapping for key 'condition'");
      return false;
    }
    std::string text = ScalarText(*condition);
    if (OverrideMode(item, "condition") == "append") {
      MacroDef* existing = macros_.Find(*name);
      if (existing == nullptr) {
        Error("LOAD_ERR_VALIDATE", "macro", *name, item.position(),
              "Macro has 'append' key but no macro by that name already exists");
        return false;
      }
      absl::StrAppend(&existing->condition, " ", text);
      return true;
    }
    if (IsAppendOrOverride(item) && macros_.Find(*name) == nullptr) {
      Error("LOAD_ERR_VALIDATE", "macro", *name, item.position(),
            "Macro has 'override' key but no macro by that name already exists");
      return false;
    }
    macros_.Define(MacroDef{
        .name = *name, .condition = std::move(text), .where = Where{file_, condition->position()}});
    return true;
  }

  // Reads one exceptions entry. `require_fields` for new exceptions of a new rule.
  bool ReadException(const Value& entry, const std::string& rule, bool require_fields,
                     ExceptionDef& out) {
    const Value* name = entry.is_map() ? entry.Find("name") : nullptr;
    if (name == nullptr || !IsScalarPtr(name)) {
      Error("LOAD_ERR_YAML_VALIDATE", "exception", "", entry.position(),
            "Item has no mapping for key 'name'");
      return false;
    }
    out.name = ScalarText(*name);
    out.where = Where{file_, entry.position()};
    const Value* fields = entry.Find("fields");
    if (fields == nullptr) {
      if (require_fields) {
        Error("LOAD_ERR_YAML_VALIDATE", "exception", out.name, entry.position(),
              "Item has no mapping for key 'fields'");
        return false;
      }
    } else if (fields->is_list()) {
      for (const Value& f : fields->list_value()) out.fields.push_back(ScalarText(f));
    } else {
      out.fields.push_back(ScalarText(*fields));
      out.single_field = true;
    }
    const Value* comps = entry.Find("comps");
    if (comps != nullptr) {
      if (comps->is_list()) {
        for (const Value& c : comps->list_value()) out.comps.push_back(ScalarText(c));
      } else {
        out.comps.push_back(ScalarText(*comps));
      }
    }
    if (const Value* values = entry.Find("values"); values != nullptr && values->is_list()) {
      out.values = values->list_value();
    }
    (void)rule;
    return true;
  }

  // Checks an exception with fields against Falco's rules for comps and values.
  bool ValidateException(ExceptionDef& ex) {
    if (ex.comps.empty()) {
      ex.comps.assign(ex.fields.size(), ex.single_field ? "in" : "=");
    }
    if (ex.comps.size() != ex.fields.size()) {
      Error("LOAD_ERR_VALIDATE", "exception", ex.name, ex.where.position,
            "Fields and comps lists must have equal length");
      return false;
    }
    for (const std::string& comp : ex.comps) {
      if (!IsExceptionComp(comp)) {
        Error("LOAD_ERR_VALIDATE", "exception", ex.name, ex.where.position,
              absl::StrCat("'", comp, "' is not a supported comparison operator"));
        return false;
      }
    }
    for (const std::string& field : ex.fields) {
      internal::FieldExpr expr = ParseFieldText(field);
      if (!internal::BindField(expr).ok()) {
        Error("LOAD_ERR_VALIDATE", "exception", ex.name, ex.where.position,
              absl::StrCat("'", field, "' is not a supported filter field"));
        return false;
      }
    }
    return ValidateValues(ex, ex.values);
  }

  bool ValidateValues(const ExceptionDef& ex, const std::vector<Value>& values) {
    if (ex.single_field) return true;
    for (const Value& tuple : values) {
      if (!tuple.is_list() || tuple.list_value().size() != ex.fields.size()) {
        Error("LOAD_ERR_VALIDATE", "exception", ex.name, tuple.position(),
              "Fields and values lists must have equal length");
        return false;
      }
    }
    return true;
  }

  static internal::FieldExpr ParseFieldText(const std::string& text) {
    internal::FieldExpr expr;
    size_t bracket = text.find('[');
    if (bracket != std::string::npos && text.back() == ']') {
      expr.name = text.substr(0, bracket);
      expr.arg = text.substr(bracket + 1, text.size() - bracket - 2);
      expr.has_arg = true;
    } else {
      expr.name = text;
    }
    return expr;
  }

  bool AddRule(const Value& item) {
    std::optional<std::string> name = Name(item, "rule");
    if (!name) return false;
    const Value* condition = item.Find("condition");
    const Value* exceptions = item.Find("exceptions");
    if (IsAppendOrOverride(item)) {
      RuleDef* existing = rules_.Find(*name);
      if (existing == nullptr) {
        Error("LOAD_ERR_VALIDATE", "rule", *name, item.position(),
              "Rule has 'append' key but no rule by that name already exists");
        return false;
      }
      const bool legacy_append = OverrideMode(item, "__none__") == "append";
      if (legacy_append && condition == nullptr && exceptions == nullptr) {
        Error("LOAD_ERR_VALIDATE", "rule", *name, item.position(),
              "Appended rule must have exceptions or condition property");
        return false;
      }
      if (condition != nullptr) {
        std::string mode = legacy_append ? "append" : OverrideMode(item, "condition");
        if (mode == "append") {
          absl::StrAppend(&existing->def.condition, " ", ScalarText(*condition));
        } else if (mode == "replace") {
          existing->def.condition = ScalarText(*condition);
        }
      }
      for (const char* key : {"output", "desc", "priority", "tags", "enabled"}) {
        const Value* value = item.Find(key);
        if (value == nullptr) continue;
        std::string mode = OverrideMode(item, key);
        if (mode.empty() && legacy_append && std::string(key) == "enabled") mode = "replace";
        if (mode.empty()) continue;
        if (!ApplyRuleKey(existing->def, key, *value, mode == "append")) return false;
      }
      if (exceptions != nullptr && exceptions->is_list()) {
        for (const Value& entry : exceptions->list_value()) {
          ExceptionDef ex;
          if (!ReadException(entry, *name, /*require_fields=*/false, ex)) return false;
          auto it = std::find_if(existing->exceptions.begin(), existing->exceptions.end(),
                                 [&](const ExceptionDef& e) { return e.name == ex.name; });
          if (it != existing->exceptions.end()) {
            if (!ValidateValues(*it, ex.values)) return false;
            it->values.insert(it->values.end(), ex.values.begin(), ex.values.end());
            continue;
          }
          if (ex.fields.empty()) {
            Error("LOAD_ERR_VALIDATE", "exception", ex.name, entry.position(),
                  "Rule exception must have fields property with a list of fields");
            return false;
          }
          if (!ValidateException(ex)) return false;
          existing->exceptions.push_back(std::move(ex));
        }
      }
      return true;
    }
    // Only `enabled`: switches an existing rule on or off.
    if (const Value* enabled = item.Find("enabled");
        enabled != nullptr && condition == nullptr && item.map_value().size() == 2) {
      if (RuleDef* existing = rules_.Find(*name)) {
        existing->def.enabled = enabled->is_bool() ? enabled->bool_value() : true;
        return true;
      }
    }
    for (const char* key : {"condition", "output", "desc", "priority"}) {
      const Value* value = item.Find(key);
      if (value == nullptr) {
        Error("LOAD_ERR_YAML_VALIDATE", "rule", *name, item.position(),
              absl::StrCat("Item has no mapping for key '", key, "'"));
        return false;
      }
      if (std::string(key) == "condition" && !IsScalarPtr(value)) {
        Error("LOAD_ERR_YAML_VALIDATE", "rule", *name, item.position(),
              "Mapping for key 'condition' is empty");
        return false;
      }
    }
    RuleDef rule;
    rule.name = *name;
    rule.def.name = *name;
    rule.def.file = file_;
    rule.def.position = item.position();
    rule.def.condition = ScalarText(*condition);
    for (const char* key : {"output", "desc", "priority", "tags", "enabled", "source"}) {
      const Value* value = item.Find(key);
      if (value != nullptr && !ApplyRuleKey(rule.def, key, *value, false)) return false;
    }
    if (const Value* warn = item.Find("warn_evttypes"); warn != nullptr && warn->is_bool()) {
      rule.warn_evttypes = warn->bool_value();
    }
    if (const Value* skip = item.Find("skip-if-unknown-filter");
        skip != nullptr && skip->is_bool()) {
      rule.skip_if_unknown_filter = skip->bool_value();
    }
    if (exceptions != nullptr && exceptions->is_list()) {
      for (const Value& entry : exceptions->list_value()) {
        ExceptionDef ex;
        if (!ReadException(entry, *name, /*require_fields=*/true, ex)) return false;
        if (!ValidateException(ex)) return false;
        rule.exceptions.push_back(std::move(ex));
      }
    }
    rules_.Define(std::move(rule));
    return true;
  }

  bool ApplyRuleKey(RuleDefinition& def, absl::string_view key, const Value& value, bool append) {
    if (key == "output") {
      // Block scalars (`output: >`) end with a newline that is not part of the message.
      std::string output(absl::StripTrailingAsciiWhitespace(ScalarText(value)));
      def.output = append ? absl::StrCat(def.output, " ", output) : output;
    } else if (key == "desc") {
      def.description =
          append ? absl::StrCat(def.description, " ", ScalarText(value)) : ScalarText(value);
    } else if (key == "priority") {
      absl::StatusOr<v1::Priority> priority = ParsePriority(ScalarText(value));
      if (!priority.ok()) {
        Error("LOAD_ERR_VALIDATE", "rule", def.name, value.position(), "Invalid priority level");
        return false;
      }
      def.priority = *priority;
    } else if (key == "tags") {
      if (!append) def.tags.clear();
      if (value.is_list()) {
        for (const Value& tag : value.list_value()) def.tags.push_back(ScalarText(tag));
      }
    } else if (key == "enabled") {
      def.enabled = value.is_bool() ? value.bool_value() : true;
    } else if (key == "source") {
      def.source = ScalarText(value);
    }
    return true;
  }

 public:
  void Compile(std::vector<RuleDefinition>& definitions, internal::CompiledRules& compiled);
  std::vector<PluginRequirement> plugins_;

 private:
  const LoadOptions& options_;
  std::string file_;
  Indexed<ListDef> lists_;
  Indexed<MacroDef> macros_;
  Indexed<RuleDef> rules_;
};

void Loader::Compile(std::vector<RuleDefinition>& definitions, internal::CompiledRules& compiled) {
  // Lists: each item naming a list defined before this one is replaced by that list's items (one
  // level, as Falco does; the nesting in rule files is one level deep per definition).
  absl::flat_hash_map<std::string, std::vector<std::string>> lists;
  absl::flat_hash_map<std::string, size_t> list_index;
  for (size_t i = 0; i < lists_.items().size(); ++i) list_index[lists_.items()[i].name] = i;
  for (ListDef& list : lists_.items()) {
    std::vector<std::string> items;
    for (const std::string& item : list.items) {
      auto ref = list_index.find(item);
      if (ref != list_index.end() && ref->second < list.visibility) {
        ListDef& target = lists_.items()[ref->second];
        target.used = true;
        for (const std::string& value : target.items) items.push_back(ItemFromText(value).text);
      } else {
        items.push_back(ItemFromText(item).text);
      }
    }
    lists[list.name] = std::move(items);
  }

  // Macros: parse each, then check that every name they use is a macro and that none loops.
  absl::flat_hash_map<std::string, std::unique_ptr<internal::Expr>> macro_asts;
  absl::flat_hash_map<std::string, const internal::Expr*> macros;
  for (MacroDef& macro : macros_.items()) {
    absl::StatusOr<std::unique_ptr<internal::Expr>> ast = internal::ParseCondition(macro.condition);
    if (!ast.ok()) {
      errors.push_back(LoadMessage{
          "LOAD_ERR_COMPILE_CONDITION", "macro", macro.name, macro.where.file, macro.where.position,
          std::string(ast.status().message()), ConditionOffset(ast.status())});
      continue;
    }
    macros[macro.name] = ast->get();
    macro_asts[macro.name] = *std::move(ast);
  }
  internal::CompileScope scope;
  scope.lists = &lists;
  scope.macros = &macros;
  scope.on_list_used = [this](const std::string& name) {
    if (ListDef* list = lists_.Find(name)) list->used = true;
  };
  for (MacroDef& macro : macros_.items()) {
    if (!macros.contains(macro.name)) continue;
    internal::CompileError error{};
    internal::CompileScope macro_scope = scope;
    macro_scope.on_list_used = nullptr;
    absl::StatusOr<internal::Node> node =
        internal::CompileCondition(*macros.at(macro.name), macro_scope, &error);
    if (!node.ok() && (error.kind == CompileError::Kind::kUndefinedMacro ||
                       error.kind == CompileError::Kind::kMacroLoop)) {
      errors.push_back(LoadMessage{"LOAD_ERR_VALIDATE", "macro", macro.name, macro.where.file,
                                   macro.where.position, error.message});
    }
  }

  // Rules. Every macro gets a memo slot: its result depends only on the event.
  absl::flat_hash_map<std::string, int> macro_slots;
  for (const auto& [name, ast] : macros)
    macro_slots.emplace(name, static_cast<int>(macro_slots.size()));
  scope.macro_slots = &macro_slots;
  compiled.macro_slots = macro_slots.size();
  scope.on_macro_used = [this](const std::string& name) {
    if (MacroDef* macro = macros_.Find(name)) macro->used = true;
  };
  compiled.by_event_type.assign(EventTypeLimit(), {});
  for (RuleDef& rule : rules_.items()) {
    RuleDefinition& def = rule.def;
    const Where where{def.file, def.position};
    const size_t definition_index = definitions.size();
    definitions.push_back(def);
    if (def.source != "syscall") {
      Warn("LOAD_UNKNOWN_SOURCE", "rule", def.name, where,
           absl::StrCat("Unknown source ", def.source, ", skipping"));
      definitions.back().skipped = true;
      continue;
    }
    absl::StatusOr<std::unique_ptr<internal::Expr>> ast = internal::ParseCondition(def.condition);
    if (!ast.ok()) {
      errors.push_back(LoadMessage{"LOAD_ERR_COMPILE_CONDITION", "rule", def.name, def.file,
                                   def.position, std::string(ast.status().message()),
                                   ConditionOffset(ast.status())});
      continue;
    }
    internal::CompileError error{};
    absl::StatusOr<internal::Node> condition = internal::CompileCondition(**ast, scope, &error);
    // Exceptions: condition and not ((f1 c1 v1 and f2 c2 v2) or ...).
    if (condition.ok() && !rule.exceptions.empty()) {
      internal::Node any;
      any.kind = internal::Node::Kind::kOr;
      for (const ExceptionDef& ex : rule.exceptions) {
        for (const Value& tuple : ex.values) {
          internal::Node all;
          all.kind = internal::Node::Kind::kAnd;
          for (size_t i = 0; i < ex.fields.size() && condition.ok(); ++i) {
            const Value& value = ex.single_field ? tuple : tuple.list_value()[i];
            internal::Operand operand;
            const bool list_op = internal::IsListOperator(ex.comps[i]);
            operand.kind =
                list_op ? internal::Operand::Kind::kList : internal::Operand::Kind::kValue;
            if (value.is_list()) {
              operand.kind = internal::Operand::Kind::kList;
              for (const Value& v : value.list_value())
                operand.items.push_back(ItemFromText(ScalarText(v)));
            } else if (std::string text = ScalarText(value);
                       text.size() >= 2 && text.front() == '(' && text.back() == ')') {
              // "(list_name, item)" written as one value: a list.
              operand.kind = internal::Operand::Kind::kList;
              for (absl::string_view part :
                   absl::StrSplit(absl::string_view(text).substr(1, text.size() - 2), ',')) {
                std::string item(absl::StripAsciiWhitespace(part));
                if (!item.empty()) operand.items.push_back(ItemFromText(item));
              }
            } else {
              operand.items.push_back(ItemFromText(text));
            }
            absl::StatusOr<internal::Node> cmp = internal::CompileComparison(
                ParseFieldText(ex.fields[i]), ex.comps[i], operand, scope, &error);
            if (!cmp.ok()) {
              condition = cmp.status();
              break;
            }
            all.children.push_back(*std::move(cmp));
          }
          if (!condition.ok()) break;
          any.children.push_back(std::move(all));
        }
        if (!condition.ok()) break;
      }
      if (condition.ok() && !any.children.empty()) {
        internal::Node negated;
        negated.kind = internal::Node::Kind::kNot;
        negated.children.push_back(std::move(any));
        internal::Node both;
        both.kind = internal::Node::Kind::kAnd;
        both.children.push_back(*std::move(condition));
        both.children.push_back(std::move(negated));
        condition = std::move(both);
      }
    }
    if (!condition.ok()) {
      if (error.kind == CompileError::Kind::kUnknownField && rule.skip_if_unknown_filter) {
        Warn("LOAD_UNKNOWN_FIELD", "rule", def.name, where, error.message);
        definitions.back().skipped = true;
        continue;
      }
      const bool validate = error.kind == CompileError::Kind::kUndefinedMacro ||
                            error.kind == CompileError::Kind::kMacroLoop;
      errors.push_back(LoadMessage{validate ? "LOAD_ERR_VALIDATE" : "LOAD_ERR_COMPILE_CONDITION",
                                   "rule", def.name, def.file, def.position, error.message});
      continue;
    }
    absl::StatusOr<std::vector<internal::OutputPart>> output = internal::CompileOutput(def.output);
    if (!output.ok()) {
      errors.push_back(LoadMessage{"LOAD_ERR_COMPILE_OUTPUT", "rule", def.name, def.file,
                                   def.position, std::string(output.status().message())});
      continue;
    }
    internal::EventTypeSet types = condition->EventTypes();
    internal::EventTypeSet all;
    for (int t = 1; t < EventTypeLimit(); ++t) {
      if (!EventTypeName(static_cast<v1::EventType>(t)).empty()) all.set(t);
    }
    types &= all;
    if (types == all && rule.warn_evttypes) {
      Warn("LOAD_NO_EVTTYPE", "rule", def.name, where,
           "Rule matches too many evt.type values. This has a significant performance penalty.");
    }
    if (!def.enabled || def.priority > options_.minimum_priority) continue;
    internal::CompiledRule compiled_rule;
    compiled_rule.definition_index = definition_index;
    compiled_rule.condition = *std::move(condition);
    compiled_rule.output = *std::move(output);
    absl::flat_hash_map<std::string, size_t> seen;
    for (internal::OutputPart& part : compiled_rule.output) {
      if (!part.is_field) continue;
      auto [it, inserted] = seen.try_emplace(part.field.name, compiled_rule.output_fields.size());
      if (inserted) compiled_rule.output_fields.push_back(part.field);
      part.output_field = it->second;
    }
    const size_t index = compiled.rules.size();
    compiled.rules.push_back(std::move(compiled_rule));
    for (int t = 0; t < EventTypeLimit(); ++t) {
      if (!types.test(t)) continue;
      std::optional<internal::Node> specialized =
          internal::SpecializeForEventType(compiled.rules[index].condition, t);
      if (specialized.has_value()) {
        compiled.by_event_type[t].push_back({index, *std::move(specialized)});
      }
    }
  }
  internal::ConjunctSlots conjunct_slots(compiled.macro_slots);
  compiled.trie_by_event_type.reserve(compiled.by_event_type.size());
  for (const std::vector<internal::Candidate>& candidates : compiled.by_event_type) {
    compiled.trie_by_event_type.push_back(
        internal::DecisionTrie::Build(candidates, conjunct_slots));
  }
  compiled.macro_slots = conjunct_slots.end();
  for (const MacroDef& macro : macros_.items()) {
    if (!macro.used) {
      Warn("LOAD_UNUSED_MACRO", "macro", macro.name, macro.where,
           "Macro not referred to by any other rule/macro");
    }
  }
  for (const ListDef& list : lists_.items()) {
    if (!list.used) {
      Warn("LOAD_UNUSED_LIST", "list", list.name, list.where,
           "List not referred to by any other rule/macro");
    }
  }
}

absl::Status ErrorsToStatus(const std::vector<LoadMessage>& errors) {
  std::vector<std::string> lines;
  for (const LoadMessage& e : errors) lines.push_back(e.ToString());
  return absl::InvalidArgumentError(absl::StrJoin(lines, "\n"));
}

}  // namespace

std::string LoadMessage::ToString() const {
  std::string where = file;
  if (position.known()) absl::StrAppend(&where, ":", position.ToString());
  std::string item = item_name.empty() ? item_type : absl::StrCat(item_type, " '", item_name, "'");
  std::string offset =
      condition_offset >= 0 ? absl::StrCat(" at condition offset ", condition_offset) : "";
  return absl::StrCat(where, ": ", item, ": ", message, offset, " (", code, ")");
}

RuleSet::~RuleSet() = default;

RuleSet::Validation RuleSet::Validate(const std::vector<RulesContent>& contents,
                                      const LoadOptions& options) {
  Loader loader(options);
  Validation result;
  for (const RulesContent& content : contents) {
    loader.AddContent(content);
    if (!loader.errors.empty()) break;
  }
  auto rule_set = std::unique_ptr<RuleSet>(new RuleSet());
  rule_set->compiled_ = std::make_unique<internal::CompiledRules>();
  if (loader.errors.empty()) loader.Compile(rule_set->rules_, *rule_set->compiled_);
  result.errors = std::move(loader.errors);
  result.warnings = std::move(loader.warnings);
  if (result.errors.empty()) {
    rule_set->warnings_ = result.warnings;
    rule_set->plugins_ = std::move(loader.plugins_);
    result.rule_set = std::move(rule_set);
  }
  return result;
}

absl::StatusOr<std::unique_ptr<const RuleSet>> RuleSet::LoadContents(
    const std::vector<RulesContent>& contents, const LoadOptions& options) {
  Validation validation = Validate(contents, options);
  if (!validation.errors.empty()) return ErrorsToStatus(validation.errors);
  return std::move(validation.rule_set);
}

absl::StatusOr<std::unique_ptr<const RuleSet>> RuleSet::Load(const std::vector<std::string>& paths,
                                                             const LoadOptions& options) {
  std::vector<RulesContent> contents;
  for (const std::string& path : paths) {
    std::error_code ec;
    std::vector<std::string> files;
    if (std::filesystem::is_directory(path, ec)) {
      for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
        std::string ext = entry.path().extension().string();
        if (entry.is_regular_file(ec) && (ext == ".yaml" || ext == ".yml")) {
          files.push_back(entry.path().string());
        }
      }
      if (ec) return absl::NotFoundError(absl::StrCat(path, ": ", ec.message()));
      std::sort(files.begin(), files.end());
    } else {
      files.push_back(path);
    }
    for (const std::string& file : files) {
      BULWARK_ASSIGN_OR_RETURN(std::string text,
                               core::ReadFileToString(file, options.limits.max_file_bytes));
      contents.push_back(RulesContent{file, std::move(text)});
    }
  }
  return LoadContents(contents, options);
}

const std::vector<RuleDefinition>& RuleSet::rules() const { return rules_; }
const std::vector<LoadMessage>& RuleSet::warnings() const { return warnings_; }
const std::vector<PluginRequirement>& RuleSet::required_plugins() const { return plugins_; }
size_t RuleSet::enabled_rule_count() const { return compiled_->rules.size(); }

absl::StatusOr<v1::Priority> ParsePriority(absl::string_view text) {
  std::string lower = absl::AsciiStrToLower(text);
  struct Entry {
    absl::string_view name;
    v1::Priority priority;
  };
  static constexpr Entry kNames[] = {
      {"emergency", v1::PRIORITY_EMERGENCY},
      {"alert", v1::PRIORITY_ALERT},
      {"critical", v1::PRIORITY_CRITICAL},
      {"error", v1::PRIORITY_ERROR},
      {"warning", v1::PRIORITY_WARNING},
      {"notice", v1::PRIORITY_NOTICE},
      {"informational", v1::PRIORITY_INFORMATIONAL},
      {"info", v1::PRIORITY_INFORMATIONAL},
      {"debug", v1::PRIORITY_DEBUG},
  };
  for (const Entry& entry : kNames) {
    if (lower == entry.name) return entry.priority;
  }
  return absl::InvalidArgumentError(absl::StrCat("invalid priority '", text, "'"));
}

absl::string_view PriorityName(v1::Priority priority) {
  switch (priority) {
    case v1::PRIORITY_EMERGENCY:
      return "Emergency";
    case v1::PRIORITY_ALERT:
      return "Alert";
    case v1::PRIORITY_CRITICAL:
      return "Critical";
    case v1::PRIORITY_ERROR:
      return "Error";
    case v1::PRIORITY_WARNING:
      return "Warning";
    case v1::PRIORITY_NOTICE:
      return "Notice";
    case v1::PRIORITY_INFORMATIONAL:
      return "Informational";
    case v1::PRIORITY_DEBUG:
      return "Debug";
    default:
      return "Unknown";
  }
}

}  // namespace bulwark::runtime
