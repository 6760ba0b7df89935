#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/core/document.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::core {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::HasSubstr;

Value ParseOne(const std::string& text) {
  auto documents = ParseYaml(text);
  EXPECT_THAT(documents, IsOk());
  if (!documents.ok() || documents->size() != 1) return Value();
  return (*documents)[0];
}

TEST(ParseYamlTest, PlainScalarsFollowTheYaml12CoreSchema) {
  Value v = ParseOne(
      "a: ~\nb: null\nc:\nd: true\ne: False\nf: 42\ng: -0o17\nh: 0o17\ni: 0x1F\nj: 1.5\n"
      "k: .inf\nl: -.Inf\nm: .nan\nn: yes\no: 1e3\np: 12abc\nq: 18446744073709551615\n"
      "r: '42'\ns: \"true\"\nt: 0777\n");
  EXPECT_TRUE(v.Find("a")->is_null());
  EXPECT_TRUE(v.Find("b")->is_null());
  EXPECT_TRUE(v.Find("c")->is_null());
  EXPECT_TRUE(v.Find("d")->bool_value());
  EXPECT_FALSE(v.Find("e")->bool_value());
  EXPECT_EQ(v.Find("f")->int_value(), 42);
  EXPECT_EQ(v.Find("g")->string_value(), "-0o17");  // Octal has no sign in the core schema.
  EXPECT_EQ(v.Find("h")->int_value(), 15);
  EXPECT_EQ(v.Find("i")->int_value(), 31);
  EXPECT_EQ(v.Find("j")->double_value(), 1.5);
  EXPECT_TRUE(std::isinf(v.Find("k")->double_value()));
  EXPECT_LT(v.Find("l")->double_value(), 0);
  EXPECT_TRUE(std::isnan(v.Find("m")->double_value()));
  EXPECT_EQ(v.Find("n")->string_value(), "yes");  // YAML 1.1 booleans are strings in 1.2.
  EXPECT_EQ(v.Find("o")->double_value(), 1000.0);
  EXPECT_EQ(v.Find("p")->string_value(), "12abc");
  EXPECT_EQ(v.Find("q")->uint_value(), 18446744073709551615u);
  EXPECT_EQ(v.Find("r")->string_value(), "42");
  EXPECT_EQ(v.Find("s")->string_value(), "true");
  EXPECT_EQ(v.Find("t")->int_value(), 777);  // Leading zeros are decimal in the core schema.
}

TEST(ParseYamlTest, ExplicitTags) {
  Value v = ParseOne("a: !!str 42\nb: !!int '7'\nc: !!float 3\nd: !!binary aGVsbG8=\ne: !Ref x\n");
  EXPECT_EQ(v.Find("a")->string_value(), "42");
  EXPECT_EQ(v.Find("b")->int_value(), 7);
  EXPECT_EQ(v.Find("c")->double_value(), 3.0);
  EXPECT_EQ(v.Find("d")->bytes_value().data, "hello");
  EXPECT_EQ(v.Find("e")->string_value(), "x");
  EXPECT_THAT(ParseYaml("a: !!int abc\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("1:4")));
}

TEST(ParseYamlTest, MultipleDocumentsAndPositions) {
  auto documents = ParseYaml(
      "apiVersion: v1\nkind: Pod\n---\napiVersion: v1\nkind: Service\nspec:\n  ports:\n"
      "  - port: 80\n",
      Limits(), "all.yaml");
  ASSERT_THAT(documents, IsOk());
  ASSERT_EQ(documents->size(), 2u);
  EXPECT_EQ((*documents)[1].Find("kind")->string_value(), "Service");
  auto port = (*documents)[1].Lookup("spec.ports[0].port");
  ASSERT_THAT(port, IsOk());
  EXPECT_EQ((*port)->int_value(), 80);
  EXPECT_EQ((*port)->position(), (SourcePosition{8, 11}));
  EXPECT_THAT(ParseYaml(""), IsOk());
  EXPECT_TRUE(ParseYaml("")->empty());
}

TEST(ParseYamlTest, AnchorsAliasesAndMergeKeys) {
  Value v = ParseOne(
      "base: &base {image: nginx, pull: Always}\n"
      "one: *base\n"
      "two:\n  <<: *base\n  pull: Never\n"
      "three:\n  <<: [{a: 1}, {a: 2, b: 2}]\n");
  EXPECT_EQ(v.Find("one")->Find("image")->string_value(), "nginx");
  EXPECT_EQ(v.Find("two")->Find("image")->string_value(), "nginx");
  EXPECT_EQ(v.Find("two")->Find("pull")->string_value(), "Never");
  EXPECT_EQ(v.Find("two")->map_value().size(), 2u);
  EXPECT_EQ(v.Find("three")->Find("a")->int_value(), 1);
  EXPECT_EQ(v.Find("three")->Find("b")->int_value(), 2);
}

// yaml-cpp 0.7 emits events forever for this input; the entry budget ends it.
TEST(ParseYamlTest, RunawayParserStopsAtTheEntryBudget) {
  EXPECT_THAT(ParseYaml(",) 2\n"), StatusIs(absl::StatusCode::kResourceExhausted));
}

TEST(ParseYamlTest, AliasBombStopsAtMaxEntries) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char previous = 'a';
  for (char name = 'b'; name <= 'k'; ++name) {
    bomb += std::string(1, name) + ": &" + name + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + previous;
    bomb += "]\n";
    previous = name;
  }
  EXPECT_THAT(ParseYaml(bomb),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("expands to more than")));
  // A caller's tighter max_entries still wins and is named.
  Limits limits;
  limits.max_entries = 50;
  EXPECT_THAT(ParseYaml(bomb, limits),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("max_entries (50)")));
}

TEST(ParseYamlTest, DepthBeyondLimitIsResourceExhausted) {
  Limits limits;
  limits.max_depth = 5;
  EXPECT_THAT(ParseYaml("[[[[[1]]]]]", limits), IsOk());
  EXPECT_THAT(ParseYaml("a:\n  b:\n    c:\n      d:\n        e:\n          f: 1\n", limits),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("max_depth (5)")));
  // yaml-cpp's own guard or ours, whichever fires first; never a stack overflow.
  EXPECT_THAT(ParseYaml(std::string(100000, '[') + std::string(100000, ']')),
              StatusIs(absl::StatusCode::kResourceExhausted));
  limits.max_depth = 1'000'000;
  EXPECT_THAT(ParseYaml(std::string(100000, '[') + std::string(100000, ']'), limits),
              StatusIs(absl::StatusCode::kResourceExhausted));
  std::string block;
  for (int i = 0; i < 1200; ++i) block += std::string(2 * i, ' ') + "k:\n";
  EXPECT_THAT(ParseYaml(block, limits), StatusIs(absl::StatusCode::kResourceExhausted));
}

TEST(ParseYamlTest, MalformedInputNamesLineAndColumn) {
  EXPECT_THAT(ParseYaml("a: 1\nb: [1, 2\n", Limits(), "bad.yaml"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("bad.yaml:")));
  EXPECT_THAT(ParseYaml("a: 1\na: 2\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("2:1: invalid YAML: duplicate key \"a\"")));
  EXPECT_THAT(ParseYaml("? [1, 2]\n: x\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("map keys must be scalars")));
  EXPECT_THAT(ParseYaml("a: *missing\n"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseYaml("a: !!binary '%%%'\n"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseYaml("a: \"\xff\xfe\"\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not valid UTF-8")));
  EXPECT_THAT(ParseYaml(std::string("a: 1\nb: x\0y\n", 12)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("2:5: invalid YAML: control character 0x00 must be escaped")));
  EXPECT_EQ(ParseOne("a: \"x\\0y\"\n").Find("a")->string_value(), std::string("x\0y", 3));
}

// YAML 1.2 section 5.7: \N is U+0085 and \_ is U+00A0, which are C2 85 and C2 A0 in UTF-8.
TEST(ParseYamlTest, NextLineAndNoBreakSpaceEscapesDecodeToUtf8) {
  EXPECT_EQ(ParseOne("a: \"x\\_y\"\n").Find("a")->string_value(), "x\xC2\xA0y");
  EXPECT_EQ(ParseOne("a: \"\\N\\_\"\n").Find("a")->string_value(), "\xC2\x85\xC2\xA0");
  // Next to multi-byte characters whose encodings contain the bytes 0x85 and 0xA0 themselves
  // (U+0920 is E0 A4 A0, U+0145 is C5 85), and next to the equivalent \u escapes.
  EXPECT_EQ(ParseOne("a: \"\xE0\xA4\xA0\\_\xC5\x85\\N\\u00A0\"\n").Find("a")->string_value(),
            "\xE0\xA4\xA0\xC2\xA0\xC5\x85\xC2\x85\xC2\xA0");
  // As a map key, and the \L and \P escapes (which yaml-cpp already encodes).
  EXPECT_NE(ParseOne("\"k\\_\": 1\n").Find("k\xC2\xA0"), nullptr);
  EXPECT_EQ(ParseOne("a: \"\\L\\P\"\n").Find("a")->string_value(), "\xE2\x80\xA8\xE2\x80\xA9");
  // Plain and single-quoted scalars have no escapes.
  EXPECT_EQ(ParseOne("a: x\\_y\n").Find("a")->string_value(), "x\\_y");
  EXPECT_EQ(ParseOne("a: 'x\\_y'\n").Find("a")->string_value(), "x\\_y");
}

// The PyPI advisories that use \_ in their details; the expected counts of U+00A0 and UTF-8
// lengths of `details` are what PyYAML 6.0.3 (yaml.safe_load) decodes from the same files.
TEST(ParseYamlFileTest, PypiAdvisoriesWithNoBreakSpaceEscapes) {
  BULWARK_SHARED_PATH_OR_SKIP(vulns, "conformance/osv/pypi/vulns");
  struct Expected {
    const char* file;
    size_t no_break_spaces;
    size_t details_bytes;
  };
  for (const Expected& expected :
       {Expected{"picklescan/PYSEC-2025-152.yaml", 1, 473},
        Expected{"codechecker/PYSEC-2025-100.yaml", 2, 336},
        Expected{"avro/PYSEC-2026-26.yaml", 1, 332}, Expected{"keras/PYSEC-2026-73.yaml", 7, 393},
        Expected{"keras/PYSEC-2025-123.yaml", 7, 641},
        Expected{"hana-ml/PYSEC-2023-172.yaml", 3, 317}}) {
    auto documents = ParseYamlFile(absl::StrCat(vulns, "/", expected.file));
    ASSERT_THAT(documents, IsOk()) << expected.file;
    ASSERT_EQ(documents->size(), 1u);
    const Value* details = (*documents)[0].Find("details");
    ASSERT_NE(details, nullptr);
    const std::string& text = details->string_value();
    size_t count = 0;
    for (size_t at = text.find("\xC2\xA0"); at != std::string::npos;
         at = text.find("\xC2\xA0", at + 2)) {
      ++count;
    }
    EXPECT_EQ(count, expected.no_break_spaces) << expected.file;
    EXPECT_EQ(text.size(), expected.details_bytes) << expected.file;
  }
}

TEST(ParseYamlFileTest, ErrorsNameThePath) {
  EXPECT_THAT(ParseYamlFile("/nonexistent/deploy.yaml"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("/nonexistent/deploy.yaml")));
}

}  // namespace
}  // namespace bulwark::core
