// Writing command output to standard output, and noticing when that failed (a full disk, a closed
// pipe) so the exit status does not claim success for output that never arrived.
//   WriteToStdout(text);
//   BULWARK_RETURN_IF_ERROR(FlushStdout());
// Thread safety: stdio's; commands write from one thread.
#ifndef BULWARK_EXAMPLES_CLI_STDOUT_WRITER_H_
#define BULWARK_EXAMPLES_CLI_STDOUT_WRITER_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace bulwark::cli {

// Appends `text` to standard output; errors are collected and reported by FlushStdout().
void WriteToStdout(absl::string_view text);

// Flushes standard output. Errors: the errno of the first failed write, naming standard output.
absl::Status FlushStdout();

// Columns of the terminal on `fd`, or 0 when `fd` is not a terminal or does not know its size.
int TerminalWidth(int fd);

}  // namespace bulwark::cli

#endif  // BULWARK_EXAMPLES_CLI_STDOUT_WRITER_H_
