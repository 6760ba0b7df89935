// Names of runtime event types as Falco and sysdig spell them (`evt.type`), and back.
//   EventTypeName(v1::EVENT_TYPE_OPENAT) == "openat";
//   std::optional<v1::EventType> type = EventTypeFromName("execve");
// The names are the lower-case suffixes of the v1::EventType value names, read once from the
// protobuf descriptor. Thread safety: all functions are safe to call concurrently.
#ifndef BULWARK_RUNTIME_EVENT_TYPES_H_
#define BULWARK_RUNTIME_EVENT_TYPES_H_

#include <optional>

#include "absl/strings/string_view.h"
#include "bulwark/runtime/event.pb.h"

namespace bulwark::runtime {

// The Falco name of `type` ("openat"); "" for EVENT_TYPE_UNSPECIFIED and unknown numbers.
absl::string_view EventTypeName(v1::EventType type);

// The event type Falco calls `name`, or nullopt when the schema has none.
std::optional<v1::EventType> EventTypeFromName(absl::string_view name);

// One more than the largest v1::EventType number: the size of arrays indexed by event type.
int EventTypeLimit();

}  // namespace bulwark::runtime

#endif  // BULWARK_RUNTIME_EVENT_TYPES_H_
