// Reading runtime events from JSON Lines: one bulwark.runtime.v1.Event per line in protobuf's
// JSON mapping (lowerCamelCase or original field names, enum names or numbers).
//   BULWARK_ASSIGN_OR_RETURN(std::vector<v1::Event> events, ReadEventsFile("events.jsonl"));
// Errors: InvalidArgument "<source>:<line>: <what>" for a malformed line; ResourceExhausted when
// a line exceeds limits.max_file_bytes or the file holds more than limits.max_entries events.
// Thread safety: the functions share no state.
#ifndef BULWARK_RUNTIME_EVENT_SOURCE_H_
#define BULWARK_RUNTIME_EVENT_SOURCE_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/limits.h"
#include "bulwark/runtime/event.pb.h"

namespace bulwark::runtime {

// Decodes one JSON object into an Event. Unknown fields are an error.
absl::StatusOr<v1::Event> ParseEventJson(absl::string_view json);

// Decodes every non-empty line of `text`, calling `consume` for each event in order; stops at the
// first error or when `consume` returns a non-OK status.
absl::Status ReadEventLines(absl::string_view text, absl::string_view source_name,
                            const core::Limits& limits,
                            const std::function<absl::Status(v1::Event&&)>& consume);

// Reads a whole JSON Lines file into memory (at most limits.max_file_bytes).
absl::StatusOr<std::vector<v1::Event>> ReadEventsFile(const std::string& path,
                                                      const core::Limits& limits = {});

// One Event as one line of JSON (no trailing newline).
std::string EventToJsonLine(const v1::Event& event);

}  // namespace bulwark::runtime

#endif  // BULWARK_RUNTIME_EVENT_SOURCE_H_
