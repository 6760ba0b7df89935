#include "bulwark/examples/cli/stdout_writer.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "bulwark/core/file.h"

namespace bulwark::cli {

void WriteToStdout(absl::string_view text) { std::fwrite(text.data(), 1, text.size(), stdout); }

absl::Status FlushStdout() {
  errno = 0;
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    // EPIPE when the reader went away; EIO if stdio lost the errno of the failed write.
    return core::ErrnoToStatus(errno != 0 ? errno : EIO, "standard output");
  }
  return absl::OkStatus();
}

int TerminalWidth(int fd) {
  struct winsize size {};
  if (::ioctl(fd, TIOCGWINSZ, &size) != 0) return 0;
  return size.ws_col;
}

}  // namespace bulwark::cli
