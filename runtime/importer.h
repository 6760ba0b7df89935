// Importers for other runtime sensors' JSON: Tetragon's export (`tetra getevents -o json`, the
// export file of the agent) and Tracee's JSON events (`tracee --output json`, both the classic
// event layout and the v1beta1 protobuf JSON). Each record becomes zero or more
// bulwark.runtime.v1 Events; every field with a counterpart in the schema is mapped (see
// docs/runtime.md for the table), records with no counterpart (Tracee packet and signature
// events, Tetragon kprobes on non-syscall functions) are counted in ImportStats and skipped.
//   ImportStats stats;
//   BULWARK_ASSIGN_OR_RETURN(auto events, ImportEventsFile(ImportFormat::kTetragon, path, {},
//   &stats));
// Input is JSON Lines, or one JSON document (an object or an array of objects, pretty-printed
// or not). Errors: InvalidArgument "<source>:<line>:<column>: <what>" for malformed JSON or a
// record that is not an object of the format; ResourceExhausted from core::Limits.
// Thread safety: the functions share no state.
#ifndef BULWARK_RUNTIME_IMPORTER_H_
#define BULWARK_RUNTIME_IMPORTER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/value.h"
#include "bulwark/runtime/event.pb.h"

namespace bulwark::runtime {

enum class ImportFormat { kTetragon, kTracee };

// "tetragon" or "tracee". InvalidArgument naming the accepted values otherwise.
absl::StatusOr<ImportFormat> ParseImportFormat(absl::string_view name);

// What an import saw.
struct ImportStats {
  uint64_t records = 0;  // JSON records read.
  uint64_t events = 0;   // Events produced.
  // Records skipped because the schema has no counterpart, by kind ("process_loader",
  // "net_packet_tcp", "kprobe:security_file_permission").
  std::map<std::string, uint64_t> skipped;
};

// Converts one record (an already parsed JSON object) into `out`. Returns InvalidArgument
// naming the position when the record is not an object of the format.
absl::Status ImportRecord(ImportFormat format, const core::Value& record,
                          std::vector<v1::Event>& out, ImportStats* stats = nullptr);

// Imports every record of `text`, calling `consume` for each event in order; stops at the first
// error or non-OK status from `consume`. `source_name` prefixes error messages.
absl::Status ImportEvents(ImportFormat format, absl::string_view text,
                          absl::string_view source_name, const core::Limits& limits,
                          const std::function<absl::Status(v1::Event&&)>& consume,
                          ImportStats* stats = nullptr);

// Reads the file at `path` (at most limits.max_file_bytes) and imports all its events.
absl::StatusOr<std::vector<v1::Event>> ImportEventsFile(ImportFormat format,
                                                        const std::string& path,
                                                        const core::Limits& limits = {},
                                                        ImportStats* stats = nullptr);

}  // namespace bulwark::runtime

#endif  // BULWARK_RUNTIME_IMPORTER_H_
