// Helpers the Tetragon and Tracee importers share: typed reads of core::Value fields, RFC 3339
// times, container ids and image references. Thread safety: pure functions.
#ifndef BULWARK_RUNTIME_INTERNAL_IMPORT_FIELDS_H_
#define BULWARK_RUNTIME_INTERNAL_IMPORT_FIELDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/value.h"
#include "bulwark/runtime/event.pb.h"
#include "bulwark/runtime/importer.h"

namespace bulwark::runtime::internal {

// The string at `key` of map `v`, or nullopt when absent or not a string.
std::optional<std::string> StringAt(const core::Value& v, absl::string_view key);
// The integer at `key` (a JSON number, or a decimal string as protobuf JSON writes 64-bit
// numbers), or nullopt.
std::optional<int64_t> IntAt(const core::Value& v, absl::string_view key);
std::optional<int64_t> AsInt(const core::Value& v);
// The map at `key`, or nullptr.
const core::Value* MapAt(const core::Value& v, absl::string_view key);
const core::Value* ListAt(const core::Value& v, absl::string_view key);

// Epoch nanoseconds of an RFC 3339 time ("2022-01-19T16:29:01.861Z"), or nullopt.
std::optional<uint64_t> ParseRfc3339Nanos(absl::string_view text);

// Fills container id, full id and runtime from "docker://<64 hex>", "containerd://...",
// "cri-o://..." (Kubernetes' containerID form) or a bare id.
void SetContainerId(absl::string_view id, v1::Container& container);
// Fills image, repository, tag from "quay.io/org/app:1.0" and the digest from
// "docker-pullable://nginx@sha256:..." or "nginx@sha256:...".
void SetContainerImage(absl::string_view name, absl::string_view id, v1::Container& container);

// Splits a command line Tetragon joined with spaces (arguments holding spaces are wrapped in
// double quotes) into arguments.
std::vector<std::string> SplitArguments(absl::string_view text);

// basename(path) cut to 15 bytes, like the kernel's comm.
std::string CommFromPath(absl::string_view path);

// InvalidArgument "<position>: <what>".
absl::Status RecordError(const core::Value& at, absl::string_view what);

void NoteSkipped(ImportStats* stats, absl::string_view kind);

// Tetragon and Tracee record converters (tetragon_importer.cc, tracee_importer.cc).
absl::Status ImportTetragonRecord(const core::Value& record, std::vector<v1::Event>& out,
                                  ImportStats* stats);
absl::Status ImportTraceeRecord(const core::Value& record, std::vector<v1::Event>& out,
                                ImportStats* stats);

}  // namespace bulwark::runtime::internal

#endif  // BULWARK_RUNTIME_INTERNAL_IMPORT_FIELDS_H_
