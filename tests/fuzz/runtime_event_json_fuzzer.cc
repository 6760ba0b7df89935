// Fuzzes the JSON Lines event decoder and the state it feeds: any input gives events or an
// error naming the line; decoded events must re-encode and decode to the same message.
#include <cstdint>
#include <cstdlib>

#include "bulwark/runtime/event_source.h"
#include "bulwark/runtime/state.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  bulwark::core::Limits limits;
  limits.max_entries = 10'000;
  bulwark::runtime::RuntimeState state(bulwark::runtime::StateOptions{.max_processes = 64});
  (void)bulwark::runtime::ReadEventLines(
      text, "fuzz.jsonl", limits, [&state](bulwark::runtime::v1::Event&& event) {
        auto again = bulwark::runtime::ParseEventJson(bulwark::runtime::EventToJsonLine(event));
        if (!again.ok() || again->SerializeAsString() != event.SerializeAsString()) std::abort();
        state.Apply(event);
        state.FinishEvent();
        return absl::OkStatus();
      });
  return 0;
}
