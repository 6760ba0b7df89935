// Parsing JSON and YAML documents into core::Value, with positions and safety caps.
//   BULWARK_ASSIGN_OR_RETURN(Value pod, ParseJson(text, Limits(), "pod.json"));
//   BULWARK_ASSIGN_OR_RETURN(std::vector<Value> docs, ParseYamlFile("deploy.yaml"));
// Errors: InvalidArgument "<source>:<line>:<column>: <what>" for malformed documents (including
// duplicate map keys); ResourceExhausted naming the Limits field (max_depth, max_entries,
// max_file_bytes); NotFound / PermissionDenied naming the path for files.
// Thread safety: the functions share no state and may run concurrently.
#ifndef BULWARK_CORE_DOCUMENT_H_
#define BULWARK_CORE_DOCUMENT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/value.h"

namespace bulwark::core {

// Parses one JSON text (RFC 8259) with simdjson. Integers become kInt when they fit int64, kUint
// when they only fit uint64, and kDouble otherwise; numbers with a fraction or exponent are
// kDouble. `source_name` prefixes error messages. Default: "<json>".
absl::StatusOr<Value> ParseJson(absl::string_view text, const Limits& limits = {},
                                absl::string_view source_name = "<json>");

// Reads and parses the JSON file at `path` (at most limits.max_file_bytes).
absl::StatusOr<Value> ParseJsonFile(const std::string& path, const Limits& limits = {});

// Parses every document of a UTF-8 YAML stream with yaml-cpp. Plain scalars resolve by the YAML 1.2
// core schema (null, true/false, decimal/0o/0x integers, floats, .inf, .nan); quoted scalars are
// strings; the tags !!str, !!int, !!float, !!bool, !!null and !!binary are honoured; merge keys
// (<<) are applied. Map keys must be scalars. An empty stream gives no documents. Aliases may
// expand the stream to at most 10,000 + 4 values per input byte (and limits.max_entries), which
// stops "billion laughs" documents after a few milliseconds.
absl::StatusOr<std::vector<Value>> ParseYaml(absl::string_view text, const Limits& limits = {},
                                             absl::string_view source_name = "<yaml>");

// Reads and parses the YAML file at `path` (at most limits.max_file_bytes).
absl::StatusOr<std::vector<Value>> ParseYamlFile(const std::string& path,
                                                 const Limits& limits = {});

}  // namespace bulwark::core

#endif  // BULWARK_CORE_DOCUMENT_H_
