#include "bulwark/image/sbom/cargo/cargo_auditable.h"

#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/run_command.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::sbom {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

// A dependency tree in cargo-auditable's format 0, as its README documents it.
constexpr char kAuditJson[] = R"({"packages":[
  {"name":"adler","version":"1.0.2","source":"crates.io"},
  {"name":"cc","version":"1.0.83","source":"crates.io","kind":"build"},
  {"name":"miniz_oxide","version":"0.7.1","source":"crates.io","dependencies":[0,1]},
  {"name":"tool","version":"0.1.0","source":"local","dependencies":[2],"root":true}
]})";

// Copies /bin/true and adds a .dep-v0 section holding `payload` compressed by Python's zlib
// (or raw when `compress` is false), using binutils' objcopy, as cargo-auditable's linker step
// does with its own section.
absl::StatusOr<std::string> ExecutableWithSection(const std::string& name,
                                                  const std::string& payload, bool compress) {
  const std::string dir = std::getenv("TEST_TMPDIR");
  const std::string json = absl::StrCat(dir, "/", name, ".json");
  FILE* f = fopen(json.c_str(), "wb");
  fwrite(payload.data(), 1, payload.size(), f);
  fclose(f);
  const std::string section = absl::StrCat(dir, "/", name, ".section");
  const std::string binary = absl::StrCat(dir, "/", name);
  std::string pack = compress ? absl::StrCat(
                                    "/usr/bin/python3 -c 'import sys, zlib; open(sys.argv[2], "
                                    "\"wb\").write(zlib.compress(open(sys.argv[1], \"rb\")"
                                    ".read(), 9))' ",
                                    json, " ", section)
                              : absl::StrCat("cp ", json, " ", section);
  auto made = core::testing::RunCommand(
      absl::StrCat(pack, " && objcopy --add-section .dep-v0=", section,
                   " --set-section-flags .dep-v0=noload,readonly /bin/true ", binary));
  if (!made.ok()) return made.status();
  return core::ReadFileToString(binary, uint64_t{1} << 30);
}

TEST(CargoAuditableTest, ReadsTheEmbeddedTree) {
  if (!core::testing::HaveProgram("objcopy")) GTEST_SKIP() << "binutils' objcopy is not installed";
  auto binary = ExecutableWithSection("tool", kAuditJson, true);
  ASSERT_THAT(binary, IsOk());
  auto info = ReadCargoAuditable(*binary, "usr/bin/tool");
  ASSERT_THAT(info, IsOk());
  ASSERT_THAT(info->packages, SizeIs(4));
  EXPECT_EQ(info->packages[0].name, "adler");
  EXPECT_EQ(info->packages[0].version, "1.0.2");
  EXPECT_EQ(info->packages[0].source, "crates.io");
  EXPECT_TRUE(info->packages[1].build_only);
  EXPECT_THAT(info->packages[2].dependencies, ElementsAre(0, 1));
  EXPECT_TRUE(info->packages[3].root);
  EXPECT_FALSE(info->packages[2].root);
}

TEST(CargoAuditableTest, MissingAndDamagedSections) {
  auto plain = core::ReadFileToString("/bin/true", uint64_t{1} << 30);
  ASSERT_THAT(plain, IsOk());
  EXPECT_THAT(ReadCargoAuditable(*plain, "true"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("true: no .dep-v0 section")));
  EXPECT_THAT(ReadCargoAuditable("not elf", "x"), StatusIs(absl::StatusCode::kNotFound));
  if (!core::testing::HaveProgram("objcopy")) GTEST_SKIP() << "binutils' objcopy is not installed";
  auto raw = ExecutableWithSection("raw", kAuditJson, false);
  ASSERT_THAT(raw, IsOk());
  EXPECT_THAT(ReadCargoAuditable(*raw, "raw"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not valid zlib data")));
  // 64 MiB of spaces compresses to ~64 KiB: inflating stops at the 8 MiB cap.
  auto bomb = ExecutableWithSection("bomb", std::string(64 << 20, ' '), true);
  ASSERT_THAT(bomb, IsOk());
  EXPECT_THAT(ReadCargoAuditable(*bomb, "bomb"),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("more than 8388608")));
}

TEST(CargoAuditJsonTest, RejectsWrongShapes) {
  EXPECT_THAT(
      ParseCargoAuditJson(R"({"packages":[{"name":"a","version":"1","dependencies":[3]}]})", "x"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("packages[0].dependencies[0]: index 3 is not below 1")));
  EXPECT_THAT(ParseCargoAuditJson(R"({"packages":[{"name":"a"}]})", "x"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("packages[0].version")));
  EXPECT_THAT(ParseCargoAuditJson(R"({"packages":[{"name":1,"version":"1"}]})", "x"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a string")));
  EXPECT_THAT(ParseCargoAuditJson(R"({"format":1})", "x"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("packages")));
  EXPECT_THAT(ParseCargoAuditJson("{", "x"), StatusIs(absl::StatusCode::kInvalidArgument));
  auto minimal = ParseCargoAuditJson(R"({"packages":[]})", "x");
  ASSERT_THAT(minimal, IsOk());
  EXPECT_THAT(minimal->packages, SizeIs(0));
}

}  // namespace
}  // namespace bulwark::sbom
