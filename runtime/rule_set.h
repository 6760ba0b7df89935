// Falco rule files (YAML) loaded and compiled into an immutable, shareable rule set.
//   BULWARK_ASSIGN_OR_RETURN(auto rules, RuleSet::Load({"/etc/falco/falco_rules.yaml"}));
//   for (const LoadMessage& w : rules->warnings()) LOG(WARNING) << w.ToString();
// Supports rules (desc, condition, output, priority, tags, enabled, source, exceptions,
// warn_evttypes, skip-if-unknown-filter), macros, lists (nested), required_engine_version,
// required_plugin_versions (recorded, not enforced), `append: true` and `override:` (append or
// replace) for lists, macros and rules, and the condition language of libsinsp.
// Thread safety: a RuleSet is immutable after loading; share it across threads freely.
#ifndef BULWARK_RUNTIME_RULE_SET_H_
#define BULWARK_RUNTIME_RULE_SET_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/value.h"
#include "bulwark/runtime/alert.pb.h"

namespace bulwark::runtime {

namespace internal {
struct CompiledRules;
}

// The engine version rule files are checked against (required_engine_version).
inline constexpr char kEngineVersion[] = "0.57.0";

// An error or warning found while loading, with Falco's code (LOAD_ERR_YAML_VALIDATE,
// LOAD_ERR_COMPILE_CONDITION, LOAD_NO_EVTTYPE, LOAD_UNUSED_MACRO, ...) and where it is.
struct LoadMessage {
  std::string code;
  std::string item_type;  // "rule", "macro", "list", "exception", "required_engine_version", ...
  std::string item_name;
  std::string file;
  core::SourcePosition position;
  std::string message;
  // Byte offset of a syntax error inside the condition text (whose position is `position`);
  // -1 when not a syntax error.
  int64_t condition_offset = -1;
  // "file:line:column: rule 'name': message [at condition offset N] (CODE)".
  std::string ToString() const;
};

struct RulesContent {
  std::string name;     // Shown in messages (a path).
  std::string content;  // YAML text.
};

struct PluginRequirement {
  std::string name;
  std::string version;
};

// A loaded rule as written (after appends and overrides).
struct RuleDefinition {
  std::string name;
  std::string description;
  std::string condition;  // Final condition text (exceptions are compiled apart).
  std::string output;
  v1::Priority priority = v1::PRIORITY_UNSPECIFIED;
  std::vector<std::string> tags;
  std::string source = "syscall";
  bool enabled = true;
  bool skipped = false;  // skip-if-unknown-filter dropped it (a warning says why).
  std::string file;
  core::SourcePosition position;
};

struct LoadOptions {
  core::Limits limits;  // Caps the YAML documents (size, depth, entries).
  // Rules whose priority is less severe than this are not evaluated. Default: all (DEBUG).
  v1::Priority minimum_priority = v1::PRIORITY_DEBUG;
};

class RuleSet {
 public:
  // Reads and compiles rule files in order; a directory contributes its *.yaml/*.yml files in
  // name order. Errors: NotFound/PermissionDenied for paths, InvalidArgument listing every load
  // error (file:line:column, item, message) otherwise. Warnings are kept in warnings().
  static absl::StatusOr<std::unique_ptr<const RuleSet>> Load(const std::vector<std::string>& paths,
                                                             const LoadOptions& options = {});

  // Like Load, over contents already in memory.
  static absl::StatusOr<std::unique_ptr<const RuleSet>> LoadContents(
      const std::vector<RulesContent>& contents, const LoadOptions& options = {});

  // Validation without the status flattening: every error and warning, and the rule set when
  // there were no errors (nullptr otherwise).
  struct Validation {
    std::unique_ptr<const RuleSet> rule_set;
    std::vector<LoadMessage> errors;
    std::vector<LoadMessage> warnings;
  };
  static Validation Validate(const std::vector<RulesContent>& contents,
                             const LoadOptions& options = {});

  ~RuleSet();

  const std::vector<RuleDefinition>& rules() const;
  const std::vector<LoadMessage>& warnings() const;
  const std::vector<PluginRequirement>& required_plugins() const;
  // Rules that are enabled and compiled (what the engine evaluates).
  size_t enabled_rule_count() const;

  // For the engine; not part of the stable API.
  const internal::CompiledRules& compiled() const { return *compiled_; }

 private:
  RuleSet() = default;
  std::vector<RuleDefinition> rules_;
  std::vector<LoadMessage> warnings_;
  std::vector<PluginRequirement> plugins_;
  std::unique_ptr<internal::CompiledRules> compiled_;
};

// Parses a Falco priority name ("WARNING", "Warning", "info", "Informational", ...).
absl::StatusOr<v1::Priority> ParsePriority(absl::string_view text);
// Falco's spelling in outputs: "Emergency", "Alert", "Critical", "Error", "Warning", "Notice",
// "Informational", "Debug".
absl::string_view PriorityName(v1::Priority priority);

}  // namespace bulwark::runtime

#endif  // BULWARK_RUNTIME_RULE_SET_H_
