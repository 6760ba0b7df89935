#include "bulwark/examples/cli/runtime_watch_guard.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/core/value.h"
#include "bulwark/examples/cli/image_args.h"
#include "bulwark/runtime/event_source.h"

namespace bulwark::cli {
namespace {

constexpr uint64_t kMaxPendingLimit = 1'000'000;

absl::Status FlagError(absl::string_view flag, absl::string_view value, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("--", flag, " '", value, "': ", why));
}

// --guard-deny SELECTOR: "rule:NAME", "tag:TAG", "priority:LEVEL", joined by ',' (all must match).
absl::StatusOr<runtime::ResponseRule> ParseSelector(const std::string& selector,
                                                    const runtime::RuleSet& rules,
                                                    bool containers_only) {
  runtime::ResponseRule rule{.only_in_containers = containers_only,
                             .action = runtime::ResponseAction::kDeny};
  bool has_priority = false;
  for (absl::string_view criterion : absl::StrSplit(selector, ',')) {
    const size_t colon = criterion.find(':');
    const absl::string_view key = criterion.substr(0, colon);
    const absl::string_view value =
        colon == absl::string_view::npos ? absl::string_view() : criterion.substr(colon + 1);
    if (value.empty()) {
      return FlagError(
          "guard-deny", selector,
          absl::StrCat("'", criterion, "' is not rule:NAME, tag:TAG or priority:LEVEL"));
    }
    const auto enabled_rules = [&](auto predicate) {
      return std::any_of(rules.rules().begin(), rules.rules().end(),
                         [&](const runtime::RuleDefinition& definition) {
                           return definition.enabled && !definition.skipped &&
                                  predicate(definition);
                         });
    };
    if (key == "rule" && rule.rule.empty()) {
      rule.rule = std::string(value);
      if (!enabled_rules([&](const auto& d) { return d.name == value; })) {
        return FlagError("guard-deny", selector,
                         absl::StrCat("no enabled rule named '", value, "' in --rules"));
      }
    } else if (key == "tag" && rule.tag.empty()) {
      rule.tag = std::string(value);
      if (!enabled_rules([&](const auto& d) {
            return std::find(d.tags.begin(), d.tags.end(), value) != d.tags.end();
          })) {
        return FlagError("guard-deny", selector,
                         absl::StrCat("no enabled rule in --rules has tag '", value, "'"));
      }
    } else if (key == "priority" && !has_priority) {
      has_priority = true;
      absl::StatusOr<runtime::v1::Priority> priority = runtime::ParsePriority(value);
      if (!priority.ok()) {
        return FlagError("guard-deny", selector,
                         absl::StrCat("unknown priority '", value,
                                      "' (Falco's names: Emergency, "
                                      "Alert, Critical, Error, "
                                      "Warning, Notice, "
                                      "Informational, Debug)"));
      }
      rule.minimum_priority = *priority;
    } else {
      return FlagError("guard-deny", selector,
                       absl::StrCat("'", key,
                                    ":' is unknown or given twice (rule:, tag:, "
                                    "priority:, each at most once)"));
    }
  }
  return rule;
}

absl::StatusOr<absl::Duration> ParseTimeout(const std::string& text) {
  absl::Duration timeout;
  double seconds = 0;
  if (absl::SimpleAtod(text, &seconds)) {
    timeout = absl::Seconds(seconds);
  } else if (!absl::ParseDuration(text, &timeout)) {
    return FlagError("guard-timeout", text, "expected a duration such as 250ms, 2s or 0.5");
  }
  if (timeout <= absl::ZeroDuration() || timeout == absl::InfiniteDuration()) {
    return FlagError("guard-timeout", text, "must be positive and finite");
  }
  return timeout;
}

bool IsExec(const runtime::v1::Event& event) {
  return event.type() == runtime::v1::EVENT_TYPE_EXECVE;
}

}  // namespace

const std::vector<std::string>& GuardFlagNames() {
  static const auto* const kNames = new std::vector<std::string>{
      "guard-mount", "guard-deny",   "guard-deny-path", "guard-mode",
      "guard-scope", "guard-access", "guard-timeout",   "guard-max-pending"};
  return *kNames;
}

absl::StatusOr<std::optional<GuardSetup>> ParseGuardFlags(const ParsedArgs& args,
                                                          const runtime::RuleSet* rules) {
  std::vector<std::string> mounts;
  for (const std::string& value : args.FindAll("guard-mount")) {
    for (absl::string_view mount : absl::StrSplit(value, ',', absl::SkipEmpty())) {
      mounts.emplace_back(mount);
    }
  }
  if (mounts.empty()) {
    for (const std::string& flag : GuardFlagNames()) {
      if (args.Find(flag) != nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat("--", flag, " needs --guard-mount DIR (the mounts the guard holds)"));
      }
    }
    return std::nullopt;
  }
  GuardSetup setup;
  setup.options.mounts = std::move(mounts);
  if (const std::string* scope = args.Find("guard-scope"); scope != nullptr) {
    if (*scope != "containers" && *scope != "all") {
      return FlagError("guard-scope", *scope, "expected containers or all");
    }
    setup.containers_only = *scope == "containers";
  }
  const std::vector<std::string> selectors = args.FindAll("guard-deny");
  if (!selectors.empty() && rules == nullptr) {
    return absl::InvalidArgumentError(
        "--guard-deny selects alerts of the rules: it needs --rules FILE_OR_DIR");
  }
  setup.policy.enabled = true;
  for (const std::string& selector : selectors) {
    BULWARK_ASSIGN_OR_RETURN(runtime::ResponseRule rule,
                             ParseSelector(selector, *rules, setup.containers_only));
    setup.policy.rules.push_back(std::move(rule));
  }
  absl::StatusOr<runtime::GuardPathPolicy> deny_paths =
      runtime::GuardPathPolicy::Create(args.FindAll("guard-deny-path"), setup.containers_only);
  if (!deny_paths.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--guard-deny-path: ", deny_paths.status().message()));
  }
  setup.deny_paths = *std::move(deny_paths);
  if (setup.policy.rules.empty() && setup.deny_paths.empty()) {
    return absl::InvalidArgumentError(
        "--guard-mount: nothing to deny; add --guard-deny SELECTOR or --guard-deny-path PREFIX");
  }
  if (const std::string* mode = args.Find("guard-mode"); mode != nullptr) {
    if (*mode != "enforce" && *mode != "audit") {
      return FlagError("guard-mode", *mode, "expected enforce or audit");
    }
    setup.options.enabled = *mode == "enforce";
  } else {
    setup.options.enabled = true;
  }
  if (const std::string* access = args.Find("guard-access"); access != nullptr) {
    setup.options.opens = setup.options.execs = false;
    for (absl::string_view kind : absl::StrSplit(*access, ',')) {
      if (kind == "open") {
        setup.options.opens = true;
      } else if (kind == "exec") {
        setup.options.execs = true;
      } else {
        return FlagError("guard-access", *access, "expected open, exec or open,exec");
      }
    }
  }
  if (const std::string* timeout = args.Find("guard-timeout"); timeout != nullptr) {
    BULWARK_ASSIGN_OR_RETURN(setup.options.response_timeout, ParseTimeout(*timeout));
  }
  if (const std::string* pending = args.Find("guard-max-pending"); pending != nullptr) {
    uint64_t count = 0;
    if (!absl::SimpleAtoi(*pending, &count) || count == 0 || count > kMaxPendingLimit) {
      return FlagError("guard-max-pending", *pending,
                       absl::StrCat("expected a count from 1 to ", kMaxPendingLimit));
    }
    setup.options.max_pending = count;
  }
  return setup;
}

runtime::FanotifyGuard::Decide GuardDecision(const GuardSetup& setup,
                                             const runtime::RuleSet* rules) {
  runtime::FanotifyGuard::Decide by_rules;
  if (!setup.policy.rules.empty()) {
    by_rules = runtime::FanotifyGuard::RuleDecision(*rules, setup.policy);
  }
  return runtime::FanotifyGuard::PathDecision(setup.deny_paths, std::move(by_rules),
                                              "--guard-deny-path ");
}

void GuardLog::Add(const runtime::GuardVerdict& verdict) {
  if (!verdict.deny && !verdict.timed_out) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (verdicts_.size() >= capacity_) {
    ++dropped_;
    return;
  }
  verdicts_.push_back(verdict);
}

std::vector<runtime::GuardVerdict> GuardLog::Take() {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::exchange(verdicts_, {});
}

uint64_t GuardLog::dropped() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return dropped_;
}

absl::StatusOr<std::unique_ptr<runtime::FanotifyGuard>> StartGuard(const GuardSetup& setup,
                                                                   const runtime::RuleSet* rules,
                                                                   GuardLog& log) {
  runtime::FanotifyGuardOptions options = setup.options;
  options.audit = [&log](const runtime::GuardVerdict& verdict) { log.Add(verdict); };
  absl::StatusOr<std::unique_ptr<runtime::FanotifyGuard>> guard =
      runtime::FanotifyGuard::Start(GuardDecision(setup, rules), std::move(options));
  if (!guard.ok()) {
    return absl::Status(guard.status().code(),
                        absl::StrCat("--guard-mount: ", guard.status().message()));
  }
  return guard;
}

std::string FormatGuardVerdict(const runtime::GuardVerdict& verdict, absl::Duration timeout,
                               bool json) {
  const runtime::v1::Event& event = verdict.event;
  const std::string& container = event.process().container_id();
  const absl::string_view access = IsExec(event) ? "exec" : "open";
  if (json) {
    core::ValueMap guard = {
        {"verdict", core::Value(verdict.timed_out ? "timed_out"
                                : verdict.denied  ? "denied"
                                                  : "would_deny")},
        {"rule", JsonString(verdict.rule)},
        {"access", core::Value(std::string(access))},
        {"path", JsonString(runtime::GuardAccessPath(event))},
        {"pid", core::Value(event.pid())},
        {"container", JsonString(container)},
    };
    return absl::StrCat(R"({"guard":)", core::Value(std::move(guard)).ToJson(), R"(,"event":)",
                        runtime::EventToJsonLine(event), "}\n");
  }
  const absl::Time time = event.timestamp_ns() != 0
                              ? absl::FromUnixNanos(static_cast<int64_t>(event.timestamp_ns()))
                              : absl::Now();
  std::string line =
      absl::StrCat(absl::FormatTime("%Y-%m-%dT%H:%M:%E9S%z", time, absl::UTCTimeZone()), ": Guard ",
                   verdict.timed_out ? "allowed"
                   : verdict.denied  ? "denied"
                                     : "would deny",
                   " ", access, " of ", runtime::GuardAccessPath(event), " by ");
  std::string who = absl::StrCat("pid ", event.pid());
  if (!container.empty()) absl::StrAppend(&who, ", container ", container);
  const std::string& name = event.process().name();
  absl::StrAppend(&line, name.empty() ? who : absl::StrCat(name, " (", who, ")"));
  if (verdict.timed_out) {
    absl::StrAppend(&line, ": no decision within ", absl::FormatDuration(timeout),
                    " (fail open)\n");
  } else {
    absl::StrAppend(&line, ": ", verdict.rule, "\n");
  }
  return line;
}

std::string DescribeGuard(const GuardSetup& setup) {
  const runtime::FanotifyGuardOptions& options = setup.options;
  const char* kinds = options.opens && options.execs ? "opens and execs"
                      : options.opens                ? "opens"
                                                     : "execs";
  return absl::StrCat("guard: holding ", kinds, " on ", absl::StrJoin(options.mounts, ", "), " (",
                      options.enabled ? "enforce" : "audit only, nothing is denied", "; ",
                      setup.containers_only ? "container processes only" : "all processes", "; ",
                      setup.policy.rules.size(), " alert selector(s), ",
                      setup.deny_paths.prefixes().size(), " path prefix(es); fail open after ",
                      absl::FormatDuration(options.response_timeout), ")\n");
}

}  // namespace bulwark::cli
