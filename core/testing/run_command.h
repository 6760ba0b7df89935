// Runs a shell command and captures its standard output, for tests that compare against tools
// nobody here wrote (python3, rpm, go version -m, jar) (testonly).
//   BULWARK_ASSIGN_OR_RETURN(std::string out, RunCommand("rpm --version"));
// Thread safety: no shared state.
#ifndef BULWARK_CORE_TESTING_RUN_COMMAND_H_
#define BULWARK_CORE_TESTING_RUN_COMMAND_H_

#include <string>

#include "absl/status/statusor.h"

namespace bulwark::core::testing {

// Standard output of `/bin/sh -c command`. Errors: Internal when it cannot start or exits
// non-zero (the message has the command and its exit status).
absl::StatusOr<std::string> RunCommand(const std::string& command);

// True when `program` is found on PATH.
bool HaveProgram(const std::string& program);

}  // namespace bulwark::core::testing

#endif  // BULWARK_CORE_TESTING_RUN_COMMAND_H_
