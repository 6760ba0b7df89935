// Runs the whole cel-spec conformance suite (../shared/conformance/cel-spec, written by the CEL
// authors) and requires every test that is not on the checked-in skip list to pass, and none of
// the core files to skip anything.
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "bulwark/tests/conformance/cel/runner.h"
#include "gtest/gtest.h"

namespace bulwark::cel::conformance {
namespace {

// Files in which nothing may be skipped or fail (the bar).
const absl::flat_hash_set<std::string>& CoreFiles() {
  static const auto* files = new absl::flat_hash_set<std::string>{
      "basic",  "comparisons", "logic",  "macros",      "macros2", "lists",      "fields",
      "string", "integer_math", "fp_math", "conversions", "timestamps", "parse", "plumbing"};
  return *files;
}

TEST(CelConformanceTest, SuitePasses) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/cel-spec");
  absl::StatusOr<SkipList> skips = LoadSkipList("tests/conformance/cel/skip_list.txt");
  ASSERT_TRUE(skips.ok()) << skips.status();
  int passed = 0, failed = 0, skipped = 0, files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".textproto") continue;
    ++files;
    absl::StatusOr<FileResult> result = RunFile(entry.path().string(), *skips);
    ASSERT_TRUE(result.ok()) << result.status();
    for (const std::string& failure : result->failures) {
      ADD_FAILURE() << result->name << "/" << failure;
    }
    if (CoreFiles().contains(result->name)) {
      EXPECT_EQ(result->skipped, 0) << result->name;
    }
    passed += result->passed;
    failed += result->failed;
    skipped += result->skipped;
  }
  EXPECT_EQ(files, 30);
  EXPECT_EQ(failed, 0);
  // Issue 8's bar: at most 40 of the 2,456 tests skipped or failing.
  EXPECT_LE(failed + skipped, 40);
  EXPECT_EQ(passed + failed + skipped, 2456);
  std::cout << passed << " passed, " << failed << " failed, " << skipped << " skipped\n";
}

}  // namespace
}  // namespace bulwark::cel::conformance
