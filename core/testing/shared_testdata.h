// Locates the team's shared test data (../shared beside the repository root: conformance suites
// and real images written by others) from inside a Bazel test (testonly).
//   BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/schemas");
// Missing data skips the test with a message, or fails it when the CI environment variable is
// set (CI must never pass by skipping). Thread safety: no shared state.
#ifndef BULWARK_CORE_TESTING_SHARED_TESTDATA_H_
#define BULWARK_CORE_TESTING_SHARED_TESTDATA_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace bulwark::core::testing {

// Absolute path of `relative` inside the shared data folder: $BULWARK_SHARED_DIR when set,
// otherwise <repository root>/../shared. Errors: NotFound saying where it looked.
absl::StatusOr<std::string> SharedDataPath(absl::string_view relative);

// True when running under CI (CI set and not "false" or "0").
bool RunningInCi();

}  // namespace bulwark::core::testing

// Declares `std::string var` holding SharedDataPath(relative), or ends the test: skipped
// locally, failed in CI.
#define BULWARK_SHARED_PATH_OR_SKIP(var, relative)                                  \
  std::string var;                                                                  \
  do {                                                                              \
    auto bulwark_shared_path_ = ::bulwark::core::testing::SharedDataPath(relative); \
    if (!bulwark_shared_path_.ok()) {                                               \
      if (::bulwark::core::testing::RunningInCi()) {                                \
        FAIL() << bulwark_shared_path_.status();                                    \
      }                                                                             \
      GTEST_SKIP() << bulwark_shared_path_.status();                                \
    }                                                                               \
    var = *bulwark_shared_path_;                                                    \
  } while (false)

#endif  // BULWARK_CORE_TESTING_SHARED_TESTDATA_H_
