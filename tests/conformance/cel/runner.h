// Runs the cel-spec conformance suite (SimpleTestFile text protos) against bulwark::cel.
//   BULWARK_ASSIGN_OR_RETURN(SkipList skips, LoadSkipList(skip_path));
//   BULWARK_ASSIGN_OR_RETURN(FileResult r, RunFile("/path/basic.textproto", skips));
// Each test is parsed, planned and evaluated with its container, declarations and bindings; the
// result is compared with the expected value (kinds must match exactly, maps order-agnostic,
// NaN equals NaN) or error. Thread safety: functions are reentrant.
#ifndef BULWARK_TESTS_CONFORMANCE_CEL_RUNNER_H_
#define BULWARK_TESTS_CONFORMANCE_CEL_RUNNER_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bulwark::cel::conformance {

// Entries "file", "file/section" or "file/section/test", each with its reason.
struct SkipList {
  absl::flat_hash_map<std::string, std::string> reasons;
  // The reason `file/section/test` is skipped, or nullptr.
  const std::string* Find(absl::string_view file, absl::string_view section,
                          absl::string_view test) const;
};

// Reads a skip list: one entry per line, "<id>  # <reason>"; blank lines and lines starting with
// '#' are ignored. Errors: NotFound, or InvalidArgument for an entry without a reason.
absl::StatusOr<SkipList> LoadSkipList(const std::string& path);

struct FileResult {
  std::string name;
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  std::vector<std::string> failures;  // "section/test: what went wrong"
};

// Runs every test of one .textproto file. Errors: the file cannot be read or parsed.
absl::StatusOr<FileResult> RunFile(const std::string& path, const SkipList& skips);

}  // namespace bulwark::cel::conformance

#endif  // BULWARK_TESTS_CONFORMANCE_CEL_RUNNER_H_
