// Runs the cel-spec conformance suite by hand:
//   bazel run //tests/conformance:cel_conformance -- /path/to/cel-spec [--verbose]
// Prints pass/fail/skip per file and a final "N passed, N failed, N skipped" line; exits 1 when
// a test fails. The skip list (with a reason per entry) is tests/conformance/cel/skip_list.txt.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "bulwark/tests/conformance/cel/runner.h"

int main(int argc, char** argv) {
  std::string dir;
  std::string skip_path = "tests/conformance/cel/skip_list.txt";
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--verbose") {
      verbose = true;
    } else if (arg.rfind("--skip_list=", 0) == 0) {
      skip_path = arg.substr(12);
    } else {
      dir = arg;
    }
  }
  if (dir.empty()) {
    std::cerr << "usage: cel_conformance DIR [--verbose] [--skip_list=FILE]\n";
    return 2;
  }
  auto skips = bulwark::cel::conformance::LoadSkipList(skip_path);
  if (!skips.ok()) {
    std::cerr << skips.status() << "\n";
    return 2;
  }
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".textproto") files.push_back(entry.path().string());
  }
  if (ec || files.empty()) {
    std::cerr << "no .textproto files in " << dir << "\n";
    return 2;
  }
  std::sort(files.begin(), files.end());
  int passed = 0, failed = 0, skipped = 0;
  for (const std::string& path : files) {
    auto result = bulwark::cel::conformance::RunFile(path, *skips);
    if (!result.ok()) {
      std::cerr << result.status() << "\n";
      ++failed;
      continue;
    }
    std::cout << result->name << ": " << result->passed << " passed, " << result->failed
              << " failed, " << result->skipped << " skipped\n";
    if (verbose) {
      for (const std::string& f : result->failures) std::cout << "  FAIL " << f << "\n";
    }
    passed += result->passed;
    failed += result->failed;
    skipped += result->skipped;
  }
  std::cout << passed << " passed, " << failed << " failed, " << skipped << " skipped\n";
  return failed == 0 ? 0 : 1;
}
