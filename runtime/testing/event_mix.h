// A generated, reproducible stream of runtime events shaped like a busy node: container and host
// processes opening files (reads and writes over many distinct paths), connecting to private and
// public addresses, forking short-lived children that exec and exit, and reading and closing.
// Used by the engine benchmark and by tests that compare evaluation strategies on one stream.
//   std::vector<v1::Event> events = GenerateEventMix({.events = 200'000});
// Thread safety: a pure function.
#ifndef BULWARK_RUNTIME_TESTING_EVENT_MIX_H_
#define BULWARK_RUNTIME_TESTING_EVENT_MIX_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "bulwark/runtime/event.pb.h"

namespace bulwark::runtime::testing {

struct EventMixOptions {
  size_t events = 200'000;  // Default: 200,000 (the first `processes` announce the processes).
  int processes = 400;      // Long-lived processes, half in a Kubernetes container. Default: 400.
  uint64_t seed = 42;       // Default: 42.
};

std::vector<v1::Event> GenerateEventMix(const EventMixOptions& options = {});

}  // namespace bulwark::runtime::testing

#endif  // BULWARK_RUNTIME_TESTING_EVENT_MIX_H_
