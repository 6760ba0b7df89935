// Reading standard input, the "-" argument of `bulwark digest` and `bulwark convert`. The core
// file readers take paths; opening /dev/stdin instead would fail when stdin is a socket.
//   BULWARK_RETURN_IF_ERROR(ForEachStdinChunk([&](absl::string_view chunk) { ... }));
//   BULWARK_ASSIGN_OR_RETURN(std::string text, ReadStdinToString(limits.max_file_bytes));
// Thread safety: standard input is one stream; read it from one thread.
#ifndef BULWARK_EXAMPLES_CLI_STDIN_READER_H_
#define BULWARK_EXAMPLES_CLI_STDIN_READER_H_

#include <cstdint>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bulwark::cli {

// Reads standard input to its end and hands it to `consume` in chunks, in order; stops at the
// first error `consume` returns. `consume` must not keep a chunk after it returns.
// Errors: the read errno, naming "-".
absl::Status ForEachStdinChunk(absl::FunctionRef<absl::Status(absl::string_view chunk)> consume);

// Reads all of standard input. Errors: as ForEachStdinChunk; ResourceExhausted naming the
// max_file_bytes limit when the input is longer than `max_bytes`.
absl::StatusOr<std::string> ReadStdinToString(uint64_t max_bytes);

}  // namespace bulwark::cli

#endif  // BULWARK_EXAMPLES_CLI_STDIN_READER_H_
