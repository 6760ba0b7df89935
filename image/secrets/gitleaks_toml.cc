#include "bulwark/image/secrets/gitleaks_toml.h"

// toml++ 3.3 asserts, and under NDEBUG tells the compiler to assume, parser invariants that
// hostile input breaks (a table header "[,x]]" reaches parse_key at ','); the parser itself then
// reports the error. So the checks are off and never become assumptions: this file is the only
// one that includes toml++ (header-only), so the settings hold for all of its code.
#define TOML_ASSERT(expr) static_cast<void>(0)
#pragma push_macro("NDEBUG")
#undef NDEBUG
#include <toml++/toml.h>
#pragma pop_macro("NDEBUG")

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"

namespace bulwark::secrets {
namespace {

// toml++ speaks std::string_view; Debian's Abseil has its own string_view.
absl::string_view Sv(std::string_view text) { return absl::string_view(text.data(), text.size()); }

// Reads typed values out of toml++ nodes, with messages naming the file, line:column and key.
class Reader {
 public:
  Reader(absl::string_view where, std::vector<std::string>& warnings)
      : where_(where), warnings_(warnings) {}

  std::string Where(const toml::node& node) const {
    const toml::source_region& source = node.source();
    return absl::StrCat(where_, ":", source.begin.line, ":", source.begin.column);
  }

  absl::Status Error(const toml::node& node, absl::string_view key, absl::string_view problem) {
    return absl::InvalidArgumentError(absl::StrCat(Where(node), ": ", key, ": ", problem));
  }

  absl::Status String(const toml::table& table, std::string_view key, absl::string_view name,
                      std::string& out) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return absl::OkStatus();
    std::optional<std::string> value = node->value_exact<std::string>();
    if (!value.has_value()) return Error(*node, name, "expected a string");
    out = std::move(*value);
    return absl::OkStatus();
  }

  absl::Status Strings(const toml::table& table, std::string_view key, absl::string_view name,
                       std::vector<std::string>& out) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return absl::OkStatus();
    const toml::array* array = node->as_array();
    if (array == nullptr) return Error(*node, name, "expected an array of strings");
    for (const toml::node& element : *array) {
      std::optional<std::string> value = element.value_exact<std::string>();
      if (!value.has_value()) return Error(element, name, "expected an array of strings");
      out.push_back(std::move(*value));
    }
    return absl::OkStatus();
  }

  // Unknown keys are reported once each, not rejected: gitleaks (viper) ignores them too.
  void WarnUnknownKeys(const toml::table& table, absl::string_view name,
                       std::initializer_list<std::string_view> known) {
    for (const auto& [key, node] : table) {
      bool is_known = false;
      for (std::string_view k : known) is_known = is_known || key.str() == k;
      if (!is_known) {
        warnings_.push_back(
            absl::StrCat(Where(node), ": ", name, ": unknown key \"", Sv(key.str()), "\" ignored"));
      }
    }
  }

  void Warn(const toml::node& node, absl::string_view message) {
    warnings_.push_back(absl::StrCat(Where(node), ": ", message));
  }

 private:
  absl::string_view where_;
  std::vector<std::string>& warnings_;
};

absl::Status ReadAllowlist(Reader& reader, const toml::table& table, const std::string& name,
                           bool global, Allowlist& out) {
  reader.WarnUnknownKeys(table, name,
                         {"description", "condition", "regexTarget", "paths", "regexes",
                          "stopwords", "commits", "targetRules"});
  BULWARK_RETURN_IF_ERROR(
      reader.String(table, "description", name + ".description", out.description));
  std::string condition;
  BULWARK_RETURN_IF_ERROR(reader.String(table, "condition", name + ".condition", condition));
  if (absl::EqualsIgnoreCase(condition, "AND") || condition == "&&") {
    out.condition = AllowlistCondition::kAnd;
  } else if (!condition.empty() && !absl::EqualsIgnoreCase(condition, "OR") && condition != "||") {
    return reader.Error(*table.get("condition"), name + ".condition",
                        absl::StrCat("\"", condition, "\" is not AND or OR"));
  }
  std::string target;
  BULWARK_RETURN_IF_ERROR(reader.String(table, "regexTarget", name + ".regexTarget", target));
  if (target == "match") {
    out.regex_target = RegexTarget::kMatch;
  } else if (target == "line") {
    out.regex_target = RegexTarget::kLine;
  } else if (!target.empty() && target != "secret") {
    return reader.Error(*table.get("regexTarget"), name + ".regexTarget",
                        absl::StrCat("\"", target, "\" is not secret, match or line"));
  }
  BULWARK_RETURN_IF_ERROR(reader.Strings(table, "paths", name + ".paths", out.paths));
  BULWARK_RETURN_IF_ERROR(reader.Strings(table, "regexes", name + ".regexes", out.regexes));
  BULWARK_RETURN_IF_ERROR(reader.Strings(table, "stopwords", name + ".stopwords", out.stopwords));
  BULWARK_RETURN_IF_ERROR(reader.Strings(table, "commits", name + ".commits", out.commits));
  if (global) {
    BULWARK_RETURN_IF_ERROR(
        reader.Strings(table, "targetRules", name + ".targetRules", out.target_rules));
  }
  return absl::OkStatus();
}

// Reads `key` as one table (gitleaks' older singular form) or an array of tables.
absl::Status ReadAllowlists(Reader& reader, const toml::table& table, std::string_view key,
                            const std::string& prefix, bool global, std::vector<Allowlist>& out) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return absl::OkStatus();
  const std::string name = absl::StrCat(prefix, Sv(key));
  if (const toml::table* single = node->as_table()) {
    out.emplace_back();
    return ReadAllowlist(reader, *single, name, global, out.back());
  }
  const toml::array* array = node->as_array();
  if (array == nullptr) return reader.Error(*node, name, "expected a table or array of tables");
  for (size_t i = 0; i < array->size(); ++i) {
    const toml::table* element = (*array)[i].as_table();
    const std::string element_name = absl::StrCat(name, "[", i, "]");
    if (element == nullptr) return reader.Error((*array)[i], element_name, "expected a table");
    out.emplace_back();
    BULWARK_RETURN_IF_ERROR(ReadAllowlist(reader, *element, element_name, global, out.back()));
  }
  return absl::OkStatus();
}

absl::Status ReadRule(Reader& reader, const toml::table& table, const std::string& name,
                      Rule& rule) {
  reader.WarnUnknownKeys(table, name,
                         {"id", "description", "regex", "secretGroup", "entropy", "keywords",
                          "path", "tags", "allowlist", "allowlists", "skipReport"});
  BULWARK_RETURN_IF_ERROR(reader.String(table, "id", name + ".id", rule.id));
  if (rule.id.empty()) return reader.Error(table, name, "rule without an id");
  const std::string rule_name = absl::StrCat(name, " (", rule.id, ")");
  BULWARK_RETURN_IF_ERROR(
      reader.String(table, "description", rule_name + ".description", rule.description));
  BULWARK_RETURN_IF_ERROR(reader.String(table, "regex", rule_name + ".regex", rule.regex));
  BULWARK_RETURN_IF_ERROR(reader.String(table, "path", rule_name + ".path", rule.path));
  if (rule.regex.empty() && rule.path.empty()) {
    return reader.Error(table, rule_name, "a rule needs a regex or a path");
  }
  if (const toml::node* group = table.get("secretGroup")) {
    std::optional<int64_t> value = group->value_exact<int64_t>();
    if (!value.has_value() || *value < 0 || *value > 1000) {
      return reader.Error(*group, rule_name + ".secretGroup", "expected an integer from 0 to 1000");
    }
    rule.secret_group = static_cast<int>(*value);
  }
  if (const toml::node* entropy = table.get("entropy")) {
    std::optional<double> value = entropy->value<double>();
    if (!value.has_value() || !(*value >= 0 && *value <= 64)) {
      return reader.Error(*entropy, rule_name + ".entropy", "expected a number from 0 to 64");
    }
    if (*value > 0) rule.entropy = *value;
  }
  BULWARK_RETURN_IF_ERROR(
      reader.Strings(table, "keywords", rule_name + ".keywords", rule.keywords));
  BULWARK_RETURN_IF_ERROR(reader.Strings(table, "tags", rule_name + ".tags", rule.tags));
  BULWARK_RETURN_IF_ERROR(
      ReadAllowlists(reader, table, "allowlist", rule_name + ".", false, rule.allowlists));
  BULWARK_RETURN_IF_ERROR(
      ReadAllowlists(reader, table, "allowlists", rule_name + ".", false, rule.allowlists));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RuleFile> ParseGitleaksToml(absl::string_view text, absl::string_view where,
                                           const core::Limits& limits) {
  if (text.size() > limits.max_file_bytes) {
    return core::LimitExceeded("max_file_bytes", limits.max_file_bytes, where);
  }
  toml::parse_result parsed = toml::parse(std::string_view(text.data(), text.size()),
                                          std::string_view(where.data(), where.size()));
  if (!parsed) {
    const toml::parse_error& error = parsed.error();
    return absl::InvalidArgumentError(absl::StrCat(where, ":", error.source().begin.line, ":",
                                                   error.source().begin.column, ": ",
                                                   Sv(error.description())));
  }
  const toml::table& root = parsed.table();
  RuleFile file;
  Reader reader(where, file.warnings);
  reader.WarnUnknownKeys(
      root, "config",
      {"title", "description", "extend", "rules", "allowlist", "allowlists", "minVersion"});
  BULWARK_RETURN_IF_ERROR(reader.String(root, "title", "title", file.title));
  if (const toml::node* extend = root.get("extend")) {
    reader.Warn(*extend,
                "[extend] is not followed: gitleaks' default rules are not bundled; only the "
                "rules of this file are used");
  }
  if (const toml::node* rules = root.get("rules")) {
    const toml::array* array = rules->as_array();
    if (array == nullptr) return reader.Error(*rules, "rules", "expected an array of tables");
    file.rules.reserve(array->size());
    for (size_t i = 0; i < array->size(); ++i) {
      const std::string name = absl::StrCat("rules[", i, "]");
      const toml::table* table = (*array)[i].as_table();
      if (table == nullptr) return reader.Error((*array)[i], name, "expected a table");
      file.rules.emplace_back();
      BULWARK_RETURN_IF_ERROR(ReadRule(reader, *table, name, file.rules.back()));
    }
  }
  BULWARK_RETURN_IF_ERROR(ReadAllowlists(reader, root, "allowlist", "", true, file.allowlists));
  BULWARK_RETURN_IF_ERROR(ReadAllowlists(reader, root, "allowlists", "", true, file.allowlists));
  return file;
}

absl::StatusOr<RuleFile> LoadGitleaksTomlFile(const std::string& path, const core::Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(std::string text, core::ReadFileToString(path, limits.max_file_bytes));
  return ParseGitleaksToml(text, path, limits);
}

}  // namespace bulwark::secrets
