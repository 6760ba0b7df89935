// Reads every JSON and YAML document of the shared conformance data (written by others: OCI,
// Kubernetes, OSV, Sigstore, ...) through core::ParseJsonFile / ParseYamlFile. The Python tests
// compare the values with Python's json and PyYAML; this sweep runs the C++ readers over the same
// real files under the sanitizers too, and checks that whatever is accepted survives
// Value::ToJson -> ParseJson unchanged.
#include <filesystem>
#include <string>
#include <vector>

#include "bulwark/core/document.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "gtest/gtest.h"

namespace bulwark::core {
namespace {

std::vector<std::filesystem::path> FilesWithExtension(const std::string& root,
                                                      const std::vector<std::string>& extensions) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    for (const std::string& extension : extensions) {
      if (entry.path().extension() == extension) files.push_back(entry.path());
    }
  }
  return files;
}

TEST(SharedDocumentsTest, EveryJsonFileParsesOrIsRejectedAsInvalid) {
  BULWARK_SHARED_PATH_OR_SKIP(conformance, "conformance");
  int accepted = 0;
  std::vector<std::string> rejected;
  for (const auto& path : FilesWithExtension(conformance, {".json"})) {
    auto value = ParseJsonFile(path.string());
    if (!value.ok()) {
      EXPECT_EQ(value.status().code(), absl::StatusCode::kInvalidArgument) << value.status();
      rejected.push_back(path.string());
      continue;
    }
    ++accepted;
    auto again = ParseJson(value->ToJson());
    ASSERT_TRUE(again.ok()) << path << ": " << again.status();
    EXPECT_EQ(*again, *value) << path;
  }
  // 11,669 files: Python's json rejects the same 7 (see bindings/python/tests).
  EXPECT_GE(accepted, 11'000);
  EXPECT_EQ(rejected.size(), 7u) << ::testing::PrintToString(rejected);
}

TEST(SharedDocumentsTest, EveryPodSecurityFixtureIsOneKubernetesObject) {
  BULWARK_SHARED_PATH_OR_SKIP(psa, "conformance/psa");
  int fixtures = 0;
  for (const auto& path : FilesWithExtension(psa, {".yaml", ".yml"})) {
    auto documents = ParseYamlFile(path.string());
    ASSERT_TRUE(documents.ok()) << documents.status();
    ASSERT_EQ(documents->size(), 1u) << path;
    const Value& object = (*documents)[0];
    ASSERT_TRUE(object.is_map()) << path;
    ASSERT_NE(object.Find("kind"), nullptr) << path;
    EXPECT_TRUE(object.Find("kind")->is_string()) << path;
    EXPECT_TRUE(object.Find("apiVersion")->is_string()) << path;
    EXPECT_TRUE(object.Find("kind")->position().known()) << path;
    ++fixtures;
  }
  EXPECT_GE(fixtures, 3000);
}

}  // namespace
}  // namespace bulwark::core
