// Reading local files with errors that name the path and say why (NotFound, PermissionDenied,
// ResourceExhausted for files over a cap).
//   BULWARK_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path, limits.max_file_bytes));
//   BULWARK_RETURN_IF_ERROR(ForEachFileChunk(path, [&](absl::string_view chunk) { ... }));
// Thread safety: the functions share no state.
#ifndef BULWARK_CORE_FILE_H_
#define BULWARK_CORE_FILE_H_

#include <cstdint>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bulwark::core {

// Maps an errno value to a Status whose message is "<context>: <strerror>", e.g. ENOENT to
// NotFound("/x/y: No such file or directory"), EACCES/EPERM to PermissionDenied.
absl::Status ErrnoToStatus(int error_number, absl::string_view context);

// Reads the whole file at `path`. Errors: NotFound, PermissionDenied, InvalidArgument (a
// directory), ResourceExhausted when the file holds more than `max_bytes` bytes.
absl::StatusOr<std::string> ReadFileToString(const std::string& path, uint64_t max_bytes);

// Streams the file at `path` to `consume` in chunks of at most 1 MiB, in order, without loading
// it whole. `consume` must not keep the chunk after it returns. Errors as ReadFileToString.
absl::Status ForEachFileChunk(const std::string& path,
                              absl::FunctionRef<void(absl::string_view chunk)> consume);

}  // namespace bulwark::core

#endif  // BULWARK_CORE_FILE_H_
