// `bulwark runtime watch`: the live collector on this host. Without --rules it prints the events
// as JSON Lines of bulwark.runtime.v1.Event; with --rules it prints the alerts, as
// `bulwark runtime replay` does. With --guard-mount it also runs the fanotify guard
// (runtime_watch_guard.h) and prints what it denied.
#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/examples/cli/command.h"
#include "bulwark/examples/cli/runtime_watch_guard.h"
#include "bulwark/examples/cli/stdout_writer.h"
#include "bulwark/runtime/collector.h"
#include "bulwark/runtime/engine.h"
#include "bulwark/runtime/event_source.h"
#include "bulwark/runtime/metadata_providers.h"
#include "bulwark/runtime/rule_set.h"

namespace bulwark::cli {
namespace {

volatile std::sig_atomic_t interrupted = 0;

void OnInterrupt(int) { interrupted = 1; }

}  // namespace

absl::StatusOr<ExitCode> RunRuntimeWatch(const ParsedArgs& args) {
  const std::string* format = args.Find("format");
  const bool json = format != nullptr && *format == "json";
  if (format != nullptr && !json && *format != "text") {
    return absl::InvalidArgumentError(absl::StrCat("unknown --format '", *format, "'"));
  }
  absl::Duration duration = absl::InfiniteDuration();
  if (const std::string* seconds = args.Find("duration"); seconds != nullptr) {
    double value = 0;
    if (!absl::SimpleAtod(*seconds, &value) || value <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("--duration wants seconds, got '", *seconds, "'"));
    }
    duration = absl::Seconds(value);
  }
  std::unique_ptr<const runtime::RuleSet> rules;
  if (const std::string* rules_flag = args.Find("rules"); rules_flag != nullptr) {
    std::vector<std::string> paths = absl::StrSplit(*rules_flag, ',', absl::SkipEmpty());
    BULWARK_ASSIGN_OR_RETURN(rules, runtime::RuleSet::Load(paths));
  }
  BULWARK_ASSIGN_OR_RETURN(std::optional<GuardSetup> guard_setup,
                           ParseGuardFlags(args, rules.get()));
  // Container and pod metadata without a cluster: the pod list given, then what Docker,
  // containerd and CRI-O keep on this host.
  std::unique_ptr<runtime::PodListProvider> pods;
  if (const std::string* pods_file = args.Find("pods"); pods_file != nullptr) {
    BULWARK_ASSIGN_OR_RETURN(pods, runtime::PodListProvider::FromFile(*pods_file));
  }
  runtime::DockerStateProvider docker;
  runtime::OciBundleProvider bundles;
  std::vector<runtime::ContainerMetadataProvider*> providers = {&docker, &bundles};
  if (pods != nullptr) providers.insert(providers.begin(), pods.get());
  runtime::ChainedProvider metadata(providers);
  runtime::EngineOptions engine_options;
  engine_options.state.metadata_provider = &metadata;
  runtime::CollectorOptions options;
  if (const std::string* files = args.Find("files"); files != nullptr) {
    options.file_mounts = absl::StrSplit(*files, ',', absl::SkipEmpty());
  }
  // The guard starts first: without root its error names the guard flags the user gave.
  std::unique_ptr<GuardLog> guard_log;
  std::unique_ptr<runtime::FanotifyGuard> guard;
  if (guard_setup.has_value()) {
    guard_log = std::make_unique<GuardLog>(guard_setup->options.max_pending);
    BULWARK_ASSIGN_OR_RETURN(guard, StartGuard(*guard_setup, rules.get(), *guard_log));
  }
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<runtime::Collector> collector,
                           runtime::Collector::Start(options));
  size_t guard_denials = 0;
  const auto print_guard_verdicts = [&] {
    if (guard_log == nullptr) return;
    for (const runtime::GuardVerdict& verdict : guard_log->Take()) {
      guard_denials += verdict.deny && !verdict.timed_out;
      WriteToStdout(FormatGuardVerdict(verdict, guard_setup->options.response_timeout, json));
    }
  };
  std::unique_ptr<runtime::Engine> engine;
  if (rules != nullptr) engine = std::make_unique<runtime::Engine>(*rules, engine_options);
  std::signal(SIGINT, OnInterrupt);
  std::signal(SIGTERM, OnInterrupt);
  // Last, so that whoever waits for this line may interrupt the command from then on.
  if (guard != nullptr) std::fprintf(stderr, "%s", DescribeGuard(*guard_setup).c_str());
  size_t alerts = 0;
  const absl::Time end = absl::Now() + duration;
  while (!interrupted && absl::Now() < end) {
    BULWARK_RETURN_IF_ERROR(collector->Poll(
        std::min(absl::Milliseconds(200), end - absl::Now()), [&](runtime::v1::Event&& event) {
          if (engine == nullptr) {
            WriteToStdout(absl::StrCat(runtime::EventToJsonLine(event), "\n"));
            return;
          }
          engine->Process(event, [&](runtime::v1::Alert&& alert) {
            ++alerts;
            if (json) {
              std::ostringstream line;
              runtime::WriteAlertJsonLine(alert, line);
              WriteToStdout(line.str());
              return;
            }
            WriteToStdout(absl::StrCat(
                absl::FormatTime("%Y-%m-%dT%H:%M:%E9S%z", absl::FromUnixNanos(alert.timestamp_ns()),
                                 absl::UTCTimeZone()),
                ": ", runtime::PriorityName(alert.priority()), " ", alert.output(), "\n"));
          });
        }));
    print_guard_verdicts();
    BULWARK_RETURN_IF_ERROR(FlushStdout());
  }
  if (guard != nullptr) {
    guard->Stop();  // Allows whatever is still held; the counters are final.
    print_guard_verdicts();
    BULWARK_RETURN_IF_ERROR(FlushStdout());
    std::string summary = absl::StrCat("guard: ", guard->allowed(), " allowed, ", guard->denied(),
                                       " denied, ", guard->timed_out(), " timed out (allowed)");
    if (guard_log->dropped() != 0) {
      absl::StrAppend(&summary, ", ", guard_log->dropped(), " verdicts not printed");
    }
    std::fprintf(stderr, "%s\n", summary.c_str());
  }
  return alerts + guard_denials > 0 ? ExitCode::kFindingsAtOrAboveFailOn : ExitCode::kOk;
}

}  // namespace bulwark::cli
