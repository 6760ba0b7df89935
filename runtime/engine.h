// Evaluates a RuleSet against a stream of runtime events and produces Alerts.
//   auto rules = RuleSet::Load({"falco_rules.yaml"});
//   Engine engine(*rules);                        // borrows the rule set
//   std::vector<v1::Alert> alerts = engine.Process(event);
// Each event first updates the engine's RuntimeState (process and container tables), then only
// the rules indexed under its event type are evaluated, in load order.
// Thread safety: an Engine is not thread-safe (it owns mutable state); use one Engine per event
// stream or thread. Many Engines may share one RuleSet.
#ifndef BULWARK_RUNTIME_ENGINE_H_
#define BULWARK_RUNTIME_ENGINE_H_

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/types/span.h"
#include "bulwark/runtime/alert.pb.h"
#include "bulwark/runtime/event.pb.h"
#include "bulwark/runtime/internal/fields.h"
#include "bulwark/runtime/rule_set.h"
#include "bulwark/runtime/state.h"
#include "google/protobuf/arena.h"

namespace bulwark::runtime {
namespace internal {
struct CompiledRule;
}  // namespace internal

struct EngineOptions {
  StateOptions state;
  // kFirst: only the first matching rule (in load order) alerts, as Falco does by default
  // (rule_matching: first). kAll: every matching rule alerts. Default: kFirst.
  enum class Matching { kFirst, kAll };
  Matching matching = Matching::kFirst;
  // Copy the event and container into each Alert. Default: true.
  bool include_event = true;
};

class Engine {
 public:
  // `rules` is borrowed and must outlive the Engine.
  explicit Engine(const RuleSet& rules ABSL_ATTRIBUTE_LIFETIME_BOUND, EngineOptions options = {});

  // Applies `event` to the state and returns the alerts of every matching rule.
  std::vector<v1::Alert> Process(const v1::Event& event);
  // Calls `sink` for each alert instead of returning them (no vector per event). The alert lives
  // in the engine's arena until `sink` returns: read or serialise it there; moving it into a
  // message of your own copies it.
  void Process(const v1::Event& event, const std::function<void(v1::Alert&&)>& sink);
  // Processes events in order; returns every alert.
  std::vector<v1::Alert> ProcessBatch(absl::Span<const v1::Event> events);
  // Number of matching rules for `event` without building alerts (for benchmarks and counting).
  size_t CountMatches(const v1::Event& event);

  const RuntimeState& state() const { return state_; }

 private:
  template <typename OnMatch>
  void Evaluate(const v1::Event& event, OnMatch&& on_match);
  // Fills `alert` (empty) for `rule`, which matched the context's event.
  void BuildAlert(const internal::CompiledRule& rule, internal::ExtractContext& context,
                  v1::Alert& alert);
  // The sink path's alerts are built in an arena whose first block the engine owns, so that
  // neither building nor dropping them allocates or frees once the block is big enough.
  static constexpr size_t kAlertBlockSize = 64 * 1024;
  static google::protobuf::ArenaOptions ArenaWithBlock(char* block) {
    google::protobuf::ArenaOptions options;
    options.initial_block = block;
    options.initial_block_size = kAlertBlockSize;
    return options;
  }

  const RuleSet& rules_;
  EngineOptions options_;
  RuntimeState state_;
  internal::MacroMemo memo_;
  internal::FieldCache field_cache_;
  std::vector<size_t> matches_;        // Rule indices matched by the current event (scratch).
  std::vector<std::string> rendered_;  // Output field values of the alert being built (scratch).
  std::unique_ptr<char[]> alert_block_;
  google::protobuf::Arena alert_arena_;
};

// Writes one alert as one JSON line (protobuf JSON mapping) to `out`.
void WriteAlertJsonLine(const v1::Alert& alert, std::ostream& out);

}  // namespace bulwark::runtime

#endif  // BULWARK_RUNTIME_ENGINE_H_
