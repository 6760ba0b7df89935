// Opens, walks and extracts every image of the hostile corpus (generate.py, run here at test
// time) and checks each ends the way its case says: a clear error (stage, status code, message
// substring) or success with an expected finding, within the small core::Limits the case sets.
// Extraction cases write into a fresh directory beside a sentinel directory that the images aim
// at; afterwards the sentinel and the directory holding both must be exactly as they were.
// Runs under ASan in CI, so a crash or overflow on any image fails the test.
#include <sys/resource.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/document.h"
#include "bulwark/core/file.h"
#include "bulwark/core/value.h"
#include "bulwark/image/extract.h"
#include "bulwark/image/filesystem.h"
#include "bulwark/image/image.h"
#include "gtest/gtest.h"

namespace bulwark::image {
namespace {

namespace fs = std::filesystem;

uint64_t Number(const core::Value& value) {
  return value.is_uint() ? value.uint_value() : static_cast<uint64_t>(value.int_value());
}

std::string Text(const core::Value& object, absl::string_view key) {
  const core::Value* value = object.Find(key);
  return value != nullptr && value->is_string() ? value->string_value() : "";
}

core::Limits LimitsOf(const core::Value& spec) {
  core::Limits limits;
  const core::Value* fields = spec.Find("limits");
  if (fields == nullptr) return limits;
  if (auto* v = fields->Find("max_total_bytes")) limits.max_total_bytes = Number(*v);
  if (auto* v = fields->Find("max_entries")) limits.max_entries = Number(*v);
  if (auto* v = fields->Find("max_file_bytes")) limits.max_file_bytes = Number(*v);
  if (auto* v = fields->Find("max_path_length")) limits.max_path_length = Number(*v);
  if (auto* v = fields->Find("max_depth")) limits.max_depth = Number(*v);
  return limits;
}

// True when `status` is the expected error of `stage`; records a failure otherwise.
bool ExpectStage(const absl::Status& status, absl::string_view stage, const core::Value& expect) {
  if (Text(expect, "stage") != stage) {
    EXPECT_TRUE(status.ok()) << stage << ": " << status;
    return false;
  }
  EXPECT_EQ(absl::StatusCodeToString(status.code()), Text(expect, "code")) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), Text(expect, "message")))
      << status << "\n  expected message containing: " << Text(expect, "message");
  return true;
}

std::set<std::string> Listing(const fs::path& directory) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory)) {
    names.insert(entry.path().filename().string());
  }
  return names;
}

class HostileImagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_ = fs::path(std::getenv("TEST_TMPDIR")) /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    images_ = tmp_ / "images";
    root_ = tmp_ / "root";
    sentinel_ = root_ / "sentinel";
    fs::create_directories(sentinel_);
    std::ofstream(sentinel_ / "victim") << "original";
    const fs::path generator =
        fs::path(std::getenv("TEST_SRCDIR")) / "bulwark/tests/hostile/generate.py";
    const std::string command = absl::StrCat("/usr/bin/python3 '", generator.string(), "' '",
                                             images_.string(), "' '", sentinel_.string(), "'");
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }

  // Extracts `image` into a new directory of root_ and checks nothing changed outside it.
  void ExtractAndCheck(const Image& image, const MergedFilesystem& tree, const core::Limits& limits,
                       const core::Value& spec) {
    const fs::path dest = root_ / ("dest-" + Text(spec, "name"));
    fs::create_directory(dest);
    auto extract = ExtractVisitor::Create(tree, dest.string());
    ASSERT_TRUE(extract.ok()) << extract.status();
    LayerVisitor* visitors[] = {extract->get()};
    WalkOptions options{.limits = limits};
    auto walked = image.Walk(visitors, options);
    ASSERT_TRUE(walked.ok()) << walked.status();
    auto result = std::move(**extract).Finish();
    ASSERT_TRUE(result.ok()) << result.status();
    if (std::string skipped = Text(spec, "skipped"); !skipped.empty()) {
      bool found = false;
      for (const auto& s : result->skipped) found |= absl::StrContains(s.path, skipped);
      EXPECT_TRUE(found) << "no skipped path contains " << skipped;
    }
    EXPECT_EQ(Listing(sentinel_), std::set<std::string>{"victim"});
    auto victim = core::ReadFileToString((sentinel_ / "victim").string(), 100);
    EXPECT_TRUE(victim.ok() && *victim == "original") << "sentinel/victim was changed";
    for (const std::string& name : Listing(root_)) {
      EXPECT_TRUE(name == "sentinel" || absl::StartsWith(name, "dest-")) << "escaped: " << name;
    }
    EXPECT_FALSE(fs::exists("/etc/bulwark-hostile"));
  }

  void RunCase(const core::Value& spec) {
    const core::Value& expect = *spec.Find("expect");
    const core::Limits limits = LimitsOf(spec);
    OpenOptions open{.limits = limits};
    if (const core::Value* depth = spec.Find("max_index_depth")) {
      open.max_index_depth = static_cast<uint32_t>(Number(*depth));
    }
    auto image = Image::Open((images_ / Text(spec, "path")).string(), open);
    std::cout << Text(spec, "name") << ": open: " << image.status() << "\n";
    if (ExpectStage(image.status(), "open", expect) || !image.ok()) return;

    FilesystemBuilder builder(limits);
    LayerVisitor* visitors[] = {&builder};
    WalkOptions walk{.limits = limits};
    if (Text(spec, "verify") == "report") walk.verify = VerifyMode::kReport;
    auto results = (*image)->Walk(visitors, walk);
    std::cout << Text(spec, "name") << ": walk: " << results.status() << "\n";
    if (ExpectStage(results.status(), "walk", expect) || !results.ok()) return;
    ASSERT_EQ(Text(expect, "stage"), "ok");
    for (const LayerWalkResult& result : *results) {
      EXPECT_LE(result.uncompressed_bytes, limits.max_total_bytes);
      EXPECT_LE(result.entries, limits.max_entries);
    }
    if (std::string rule = Text(spec, "finding"); !rule.empty()) {
      bool found = false;
      for (const auto& result : *results) {
        for (const auto& finding : result.findings) found |= finding.rule_id() == rule;
      }
      EXPECT_TRUE(found) << "no finding " << rule;
    }
    MergedFilesystem tree = std::move(builder).Finish();
    EXPECT_LE(tree.size(), limits.max_entries);
    const core::Value* extract = spec.Find("extract");
    if (extract != nullptr && extract->is_bool() && extract->bool_value()) {
      ExtractAndCheck(**image, tree, limits, spec);
    }
  }

  // Runs every case; returns how many ran.
  size_t RunCases() {
    auto cases = core::ParseJsonFile((images_ / "cases.json").string());
    EXPECT_TRUE(cases.ok()) << cases.status();
    if (!cases.ok()) return 0;
    size_t ran = 0;
    for (const core::Value& spec : cases->list_value()) {
      SCOPED_TRACE(absl::StrCat(Text(spec, "name"), " (", Text(spec, "path"), ")"));
      RunCase(spec);
      ++ran;
    }
    return ran;
  }

  fs::path tmp_, images_, root_, sentinel_;
};

TEST_F(HostileImagesTest, EveryImageEndsAsExpected) {
  EXPECT_GE(RunCases(), 20u);
  // Every cap held: the whole corpus, bombs included, ran in bounded memory (ASan adds its
  // shadow and quarantine, hence the margin).
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  EXPECT_LT(usage.ru_maxrss, 1 << 20) << "peak RSS " << usage.ru_maxrss << " KiB";
}

}  // namespace
}  // namespace bulwark::image
