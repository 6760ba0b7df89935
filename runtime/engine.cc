#include "bulwark/runtime/engine.h"

#include <string>
#include <utility>

#include "bulwark/runtime/internal/compiled_rules.h"
#include "bulwark/runtime/internal/fields.h"
#include "google/protobuf/util/json_util.h"

namespace bulwark::runtime {

Engine::Engine(const RuleSet& rules, EngineOptions options)
    : rules_(rules),
      options_(std::move(options)),
      state_(options_.state),
      memo_(rules.compiled().macro_slots),
      alert_block_(new char[kAlertBlockSize]),
      alert_arena_(ArenaWithBlock(alert_block_.get())) {}

template <typename OnMatch>
void Engine::Evaluate(const v1::Event& event, OnMatch&& on_match) {
  state_.Apply(event);
  const internal::CompiledRules& compiled = rules_.compiled();
  const int type = event.type();
  if (type > 0 && static_cast<size_t>(type) < compiled.trie_by_event_type.size()) {
    const internal::DecisionTrie& trie = compiled.trie_by_event_type[type];
    if (!trie.empty()) {
      const int64_t pid = event.pid() != 0 ? event.pid() : event.process().pid();
      const ProcessInfo* process = state_.FindProcess(pid);
      const v1::Container* container =
          process != nullptr ? state_.FindContainer(process->container_id) : nullptr;
      memo_.NextEvent();
      field_cache_.NextEvent();
      internal::ExtractContext context(event, process, &state_, container, &memo_, &field_cache_);
      matches_.clear();
      trie.Match(context, options_.matching == EngineOptions::Matching::kFirst, matches_);
      for (size_t rule : matches_) on_match(compiled.rules[rule], context);
    }
  }
  state_.FinishEvent();
}

void Engine::BuildAlert(const internal::CompiledRule& rule, internal::ExtractContext& context,
                        v1::Alert& alert) {
  const v1::Event& event = context.event();
  const RuleDefinition& def = rules_.rules()[rule.definition_index];
  alert.set_rule(def.name);
  alert.set_priority(def.priority);
  for (const std::string& tag : def.tags) alert.add_tags(tag);
  alert.set_source(def.source);
  alert.set_timestamp_ns(event.timestamp_ns());
  // Each distinct field is rendered once, for the output text and for output_fields.
  rendered_.resize(rule.output_fields.size());
  for (size_t i = 0; i < rule.output_fields.size(); ++i) {
    rendered_[i].clear();
    internal::AppendRenderedField(rule.output_fields[i], context, rendered_[i]);
  }
  std::string& output = *alert.mutable_output();
  for (const internal::OutputPart& part : rule.output) {
    output += part.is_field ? rendered_[part.output_field] : part.literal;
  }
  auto& output_fields = *alert.mutable_output_fields();
  for (size_t i = 0; i < rule.output_fields.size(); ++i) {
    output_fields[rule.output_fields[i].name] = rendered_[i];
  }
  if (options_.include_event) {
    *alert.mutable_event() = event;
    if (context.process() != nullptr)
      *alert.mutable_event()->mutable_process() = context.process()->process;
    if (context.container() != nullptr) *alert.mutable_container() = *context.container();
  }
}

namespace {

// Debian's libprotobuf is not built with ThreadSanitizer, and map_field.h gives a map field extra
// members under it: the library's arena cleanup of an Alert (which has a map) then reads our
// TSan-built layout wrongly. TSan builds hand the sink heap alerts instead.
#if defined(__SANITIZE_THREAD__)
constexpr bool kAlertsInArena = false;
#else
constexpr bool kAlertsInArena = true;
#endif

}  // namespace

void Engine::Process(const v1::Event& event, const std::function<void(v1::Alert&&)>& sink) {
  bool built = false;
  Evaluate(event, [&](const internal::CompiledRule& rule, internal::ExtractContext& context) {
    if (!kAlertsInArena) {
      v1::Alert alert;
      BuildAlert(rule, context, alert);
      sink(std::move(alert));
      return;
    }
    auto* alert = google::protobuf::Arena::CreateMessage<v1::Alert>(&alert_arena_);
    BuildAlert(rule, context, *alert);
    built = true;
    sink(std::move(*alert));
  });
  if (built) alert_arena_.Reset();
}

std::vector<v1::Alert> Engine::Process(const v1::Event& event) {
  std::vector<v1::Alert> alerts;
  Evaluate(event, [&](const internal::CompiledRule& rule, internal::ExtractContext& context) {
    BuildAlert(rule, context, alerts.emplace_back());
  });
  return alerts;
}

std::vector<v1::Alert> Engine::ProcessBatch(absl::Span<const v1::Event> events) {
  std::vector<v1::Alert> alerts;
  for (const v1::Event& event : events) {
    Evaluate(event, [&](const internal::CompiledRule& rule, internal::ExtractContext& context) {
      BuildAlert(rule, context, alerts.emplace_back());
    });
  }
  return alerts;
}

size_t Engine::CountMatches(const v1::Event& event) {
  size_t matches = 0;
  Evaluate(event,
           [&matches](const internal::CompiledRule&, internal::ExtractContext&) { ++matches; });
  return matches;
}

void WriteAlertJsonLine(const v1::Alert& alert, std::ostream& out) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = false;
  (void)google::protobuf::util::MessageToJsonString(alert, &json, options);
  out << json << '\n';
}

}  // namespace bulwark::runtime
