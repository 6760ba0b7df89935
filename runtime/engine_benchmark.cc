// Engine throughput and latency with the three upstream Falco rule files and Bulwark's own rules
// loaded, against the same event stream with no rules (what the rules themselves cost). The event
// mix is generated (testing/event_mix.h): container and host processes doing execve, openat over
// many distinct paths, connect, clone/exit, read/close.
//   BULWARK_SHARED_DIR=$PWD/../shared bazel run -c opt //runtime:engine_benchmark
#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "bulwark/runtime/engine.h"
#include "bulwark/runtime/event_types.h"
#include "bulwark/runtime/rule_set.h"
#include "bulwark/runtime/testing/event_mix.h"

namespace bulwark::runtime {
namespace {

const std::vector<v1::Event>& Events() {
  static const auto* const events = new std::vector<v1::Event>(testing::GenerateEventMix());
  return *events;
}

std::unique_ptr<const RuleSet> LoadRules(bool upstream) {
  if (!upstream) return *RuleSet::LoadContents({});
  absl::StatusOr<std::string> dir =
      core::testing::SharedDataPath("conformance/runtime/falco-rules");
  if (!dir.ok()) return nullptr;
  auto rules = RuleSet::Load(
      {absl::StrCat(*dir, "/falco_rules.yaml"), absl::StrCat(*dir, "/falco-incubating_rules.yaml"),
       absl::StrCat(*dir, "/falco-sandbox_rules.yaml"), "runtime/rules/bulwark_rules.yaml"});
  return rules.ok() ? *std::move(rules) : nullptr;
}

// Events per second through Engine::Process on one thread. Arg 1: all rules; 0: none.
void BM_Process(benchmark::State& state) {
  std::unique_ptr<const RuleSet> rules = LoadRules(state.range(0) == 1);
  if (rules == nullptr) {
    state.SkipWithError("../shared/conformance/runtime/falco-rules not found");
    return;
  }
  const std::vector<v1::Event>& events = Events();
  size_t alerts = 0;
  auto sink = [&alerts](v1::Alert&&) { ++alerts; };
  for (auto _ : state) {
    Engine engine(*rules);
    for (const v1::Event& event : events) engine.Process(event, sink);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * events.size()));
  state.counters["rules"] = static_cast<double>(rules->enabled_rule_count());
  state.counters["alerts_per_pass"] = static_cast<double>(alerts) / state.iterations();
}
BENCHMARK(BM_Process)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// Per-event latency distribution (steady_clock around each call): p50, p99, p99.9 in ns, and the
// median per event type (p50_ns_<evt.type>; "snapshot" for the events announcing processes).
void BM_Latency(benchmark::State& state) {
  std::unique_ptr<const RuleSet> rules = LoadRules(state.range(0) == 1);
  if (rules == nullptr) {
    state.SkipWithError("../shared/conformance/runtime/falco-rules not found");
    return;
  }
  const std::vector<v1::Event>& events = Events();
  std::vector<int64_t> nanos;
  nanos.reserve(events.size());
  // Times per event type, for the median cost of each.
  absl::flat_hash_map<int, std::vector<int64_t>> by_type;
  auto sink = [](v1::Alert&&) {};
  for (auto _ : state) {
    Engine engine(*rules);
    nanos.clear();
    for (const v1::Event& event : events) {
      auto start = std::chrono::steady_clock::now();
      engine.Process(event, sink);
      const int64_t elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                  std::chrono::steady_clock::now() - start)
                                  .count();
      nanos.push_back(elapsed);
      by_type[event.type()].push_back(elapsed);
    }
  }
  for (auto& [type, times] : by_type) {
    absl::string_view name = EventTypeName(static_cast<v1::EventType>(type));
    if (name.empty()) name = "snapshot";
    std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
    state.counters[absl::StrCat("p50_ns_", name)] = static_cast<double>(times[times.size() / 2]);
  }
  std::sort(nanos.begin(), nanos.end());
  auto at = [&nanos](double q) {
    return static_cast<double>(nanos[static_cast<size_t>(q * (nanos.size() - 1))]);
  };
  state.counters["p50_ns"] = at(0.50);
  state.counters["p99_ns"] = at(0.99);
  state.counters["p999_ns"] = at(0.999);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * events.size()));
}
BENCHMARK(BM_Latency)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace bulwark::runtime
