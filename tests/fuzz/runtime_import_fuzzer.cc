// Fuzzes the Tetragon and Tracee importers (the first byte picks the format): any input gives
// events or an error; every imported event must survive the JSON Lines round trip and the
// engine's state tables.
#include <cstdint>
#include <cstdlib>

#include "bulwark/runtime/event_source.h"
#include "bulwark/runtime/importer.h"
#include "bulwark/runtime/state.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto format = (data[0] & 1) == 0 ? bulwark::runtime::ImportFormat::kTetragon
                                         : bulwark::runtime::ImportFormat::kTracee;
  absl::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  bulwark::core::Limits limits;
  limits.max_entries = 10'000;
  bulwark::runtime::RuntimeState state(bulwark::runtime::StateOptions{.max_processes = 64});
  bulwark::runtime::ImportStats stats;
  (void)bulwark::runtime::ImportEvents(
      format, text, "fuzz.json", limits,
      [&state](bulwark::runtime::v1::Event&& event) {
        auto again = bulwark::runtime::ParseEventJson(bulwark::runtime::EventToJsonLine(event));
        if (!again.ok() || again->SerializeAsString() != event.SerializeAsString()) std::abort();
        state.Apply(event);
        state.FinishEvent();
        return absl::OkStatus();
      },
      &stats);
  return 0;
}
