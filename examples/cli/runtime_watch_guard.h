// The fanotify guard of `bulwark runtime watch` (the --guard-* flags): the flags parsed into
// guard options and a decision, and the lines printed for what the guard refused or would have.
//   BULWARK_ASSIGN_OR_RETURN(std::optional<GuardSetup> setup, ParseGuardFlags(args, rules));
//   GuardLog log(setup->options.max_pending);
//   BULWARK_ASSIGN_OR_RETURN(auto guard, StartGuard(*setup, rules, log));
//   for (const runtime::GuardVerdict& v : log.Take()) WriteToStdout(FormatGuardVerdict(v, json));
// Thread safety: GuardLog is thread-safe; the functions share no state.
#ifndef BULWARK_EXAMPLES_CLI_RUNTIME_WATCH_GUARD_H_
#define BULWARK_EXAMPLES_CLI_RUNTIME_WATCH_GUARD_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bulwark/examples/cli/flags.h"
#include "bulwark/runtime/fanotify_guard.h"
#include "bulwark/runtime/guard_path_policy.h"
#include "bulwark/runtime/response.h"
#include "bulwark/runtime/rule_set.h"

namespace bulwark::cli {

// The flags, all taking a value: guard-mount, guard-deny, guard-deny-path, guard-mode,
// guard-scope, guard-access, guard-timeout, guard-max-pending.
const std::vector<std::string>& GuardFlagNames();

// What the --guard-* flags ask for.
struct GuardSetup {
  // Mounts, opens/execs (--guard-access), enabled (--guard-mode enforce), response_timeout,
  // max_pending. `audit` is left for StartGuard.
  runtime::FanotifyGuardOptions options;
  // One kDeny selector per --guard-deny (rule:, tag:, priority: criteria, all required).
  runtime::ResponsePolicy policy;
  // --guard-deny-path prefixes (normalised and resolved by GuardPathPolicy), in the scope below.
  runtime::GuardPathPolicy deny_paths;
  // --guard-scope containers (the default): host processes are never denied, neither by an
  // alert selector nor by a path prefix.
  bool containers_only = true;
};

// Reads the --guard-* flags; nullopt when --guard-mount is absent (the guard is off). `rules`
// (may be null: no --rules) is only read, to check that each rule: and tag: names something
// loaded. Errors: InvalidArgument naming the flag and value (a guard flag without --guard-mount,
// --guard-mount without anything to deny, --guard-deny without --rules, an unknown criterion,
// rule, tag or priority, a --guard-deny-path that GuardPathPolicy refuses, a bad mode, scope,
// access list, duration or count).
absl::StatusOr<std::optional<GuardSetup>> ParseGuardFlags(const ParsedArgs& args,
                                                          const runtime::RuleSet* rules);

// The guard's decision: an access below a --guard-deny-path is denied (rule name
// "--guard-deny-path PREFIX"), else the rules decide with the policy (when there are selectors).
// Host processes are never denied with containers_only. `rules` is borrowed (may be null when
// the policy has no selectors) and must outlive the function.
runtime::FanotifyGuard::Decide GuardDecision(const GuardSetup& setup,
                                             const runtime::RuleSet* rules);

// Keeps the verdicts worth printing (denied, would deny, timed out) that the guard's threads
// report, until the command's thread takes them. Holds at most `capacity`; the rest are counted.
class GuardLog {
 public:
  explicit GuardLog(size_t capacity) : capacity_(capacity) {}
  // From any thread. Allowed accesses that were decided in time are ignored.
  void Add(const runtime::GuardVerdict& verdict);
  // The verdicts kept since the last call, oldest first.
  std::vector<runtime::GuardVerdict> Take();
  // Verdicts not kept because `capacity` were already waiting.
  uint64_t dropped() const;

 private:
  const size_t capacity_;
  mutable std::mutex mutex_;
  std::vector<runtime::GuardVerdict> verdicts_;
  uint64_t dropped_ = 0;
};

// Starts the guard for `setup`, reporting to `log` (borrowed, must outlive the guard). Errors:
// those of runtime::FanotifyGuard::Start, prefixed with "--guard-mount: ".
absl::StatusOr<std::unique_ptr<runtime::FanotifyGuard>> StartGuard(const GuardSetup& setup,
                                                                   const runtime::RuleSet* rules,
                                                                   GuardLog& log);

// One line (with '\n') for a verdict. Text: "<time>: Guard denied open of PATH by NAME (pid N,
// container ID): RULE" ("would deny" in audit mode; "allowed ... by pid N: no decision
// within TIMEOUT (fail open)" for a time-out, whose process is not known). JSON: {"guard":
// {"verdict": "denied"|"would_deny"| "timed_out", "rule", "access": "open"|"exec", "path", "pid",
// "container"}, "event": {...}}.
std::string FormatGuardVerdict(const runtime::GuardVerdict& verdict, absl::Duration timeout,
                               bool json);

// What the guard holds, for standard error: "guard: holding opens and execs on /srv (enforce;
// container processes only)".
std::string DescribeGuard(const GuardSetup& setup);

}  // namespace bulwark::cli

#endif  // BULWARK_EXAMPLES_CLI_RUNTIME_WATCH_GUARD_H_
