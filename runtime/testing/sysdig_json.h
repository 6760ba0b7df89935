// Test helper: turns `sysdig -j` output (the derived *.sysdig.jsonl files beside Falco's traces in
// ../shared/conformance/runtime/samples/derived) into runtime events, so the Falco engine test
// cases that replay those traces can run here. Only the fields those files carry are mapped.
#ifndef BULWARK_RUNTIME_TESTING_SYSDIG_JSON_H_
#define BULWARK_RUNTIME_TESTING_SYSDIG_JSON_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bulwark/runtime/event.pb.h"

namespace bulwark::runtime::testing {

// Events of the file, in order. Each process's parent (proc.ppid, proc.pname) is announced first
// by an EVENT_TYPE_UNSPECIFIED event carrying only its snapshot.
absl::StatusOr<std::vector<v1::Event>> ReadSysdigJsonLines(const std::string& path);

}  // namespace bulwark::runtime::testing

#endif  // BULWARK_RUNTIME_TESTING_SYSDIG_JSON_H_
