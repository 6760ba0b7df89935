#include "bulwark/image/sbom/java/java_archive.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/run_command.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::sbom {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::SizeIs;

std::string TestData(absl::string_view name) {
  return absl::StrCat(std::getenv("TEST_SRCDIR"), "/", std::getenv("TEST_WORKSPACE"),
                      "/image/sbom/java/testdata/", name);
}

#define REQUIRE_OR_SKIP(condition, why)                \
  do {                                                 \
    if (!(condition)) {                                \
      if (core::testing::RunningInCi()) FAIL() << why; \
      GTEST_SKIP() << why;                             \
    }                                                  \
  } while (false)

// Builds the test archives once per test binary (make_jars.py, with Debian's python3 and the
// JDK's jar tool) and returns their directory.
const std::string& JarDir() {
  static const std::string* dir = [] {
    auto* path = new std::string(absl::StrCat(std::getenv("TEST_TMPDIR"), "/jars"));
    auto made = core::testing::RunCommand(
        absl::StrCat("/usr/bin/python3 ", TestData("make_jars.py"), " ", *path));
    if (!made.ok()) path->clear();
    return path;
  }();
  return *dir;
}

std::string Escape(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"\\", "\\\\"}, {"\t", "\\t"}, {"\n", "\\n"}, {"\r", "\\r"}});
}

// Our results in the oracle's line format. Archives whose manifest the JDK rejects are marked by
// the oracle; `manifest_errors` drops our manifest lines for them.
std::vector<std::string> OracleLines(const JavaArchiveContents& contents,
                                     const absl::flat_hash_set<std::string>& manifest_errors) {
  std::vector<std::string> lines;
  for (const JavaArchive& archive : contents.archives) {
    const std::string path = Escape(archive.path);
    lines.push_back(absl::StrCat("archive\t", path));
    if (archive.manifest.has_value() && !manifest_errors.contains(archive.path)) {
      std::map<std::string, std::string> last;  // java.util.jar.Attributes keeps the last value.
      for (const auto& [name, value] : archive.manifest->attributes) last[name] = value;
      for (const auto& [name, value] : last) {
        lines.push_back(
            absl::StrJoin({std::string("manifest"), path, Escape(name), Escape(value)}, "\t"));
      }
    }
    for (const PomProperties& pom : archive.pom_properties) {
      lines.push_back(
          absl::StrJoin({std::string("pom"), path, Escape(pom.path), Escape(pom.group_id),
                         Escape(pom.artifact_id), Escape(pom.version)},
                        "\t"));
      std::map<std::string, std::string> last;
      for (const auto& [key, value] : pom.properties) last[key] = value;
      for (const auto& [key, value] : last) {
        lines.push_back(absl::StrJoin(
            {std::string("property"), path, Escape(pom.path), Escape(key), Escape(value)}, "\t"));
      }
    }
  }
  return lines;
}

// Compares our reading of every file with the JDK's (testdata/JarOracle.java).
void ExpectSameAsJdk(const std::vector<std::string>& files) {
  auto output = core::testing::RunCommand(absl::StrCat("java ", TestData("JarOracle.java"), " ",
                                                       absl::StrJoin(files, " "), " 2>/dev/null"));
  ASSERT_THAT(output, IsOk());
  std::vector<std::string> expected;
  absl::flat_hash_set<std::string> manifest_errors, unreadable;
  for (absl::string_view line : absl::StrSplit(*output, '\n', absl::SkipEmpty())) {
    if (absl::StartsWith(line, "manifest-error\t")) {
      manifest_errors.insert(std::string(line.substr(15)));
    } else if (absl::StartsWith(line, "error\t")) {
      unreadable.insert(std::string(line.substr(6)));
    } else {
      expected.emplace_back(line);
    }
  }
  std::vector<std::string> got;
  for (const std::string& file : files) {
    if (unreadable.contains(file)) continue;
    auto bytes = core::ReadFileToString(file, uint64_t{1} << 30);
    ASSERT_THAT(bytes, IsOk());
    auto contents = ReadJavaArchive(*bytes, file);
    ASSERT_THAT(contents, IsOk()) << file;
    for (std::string& line : OracleLines(*contents, manifest_errors))
      got.push_back(std::move(line));
  }
  std::sort(expected.begin(), expected.end());
  std::sort(got.begin(), got.end());
  EXPECT_THAT(got, ::testing::ElementsAreArray(expected));
}

TEST(JavaArchiveTest, BuiltArchivesMatchTheJdk) {
  REQUIRE_OR_SKIP(core::testing::HaveProgram("java") && core::testing::HaveProgram("jar"),
                  "no JDK (bazel/setup.sh installs openjdk-17-jdk-headless)");
  ASSERT_FALSE(JarDir().empty());
  std::vector<std::string> files;
  for (const char* name :
       {"simple.jar", "shaded.jar", "stored.jar", "tool.jar", "app.war", "app.ear"}) {
    files.push_back(absl::StrCat(JarDir(), "/", name));
  }
  ExpectSameAsJdk(files);
}

// Every real jar Debian installed under /usr/share/java (maven and its libraries: real
// manifests, OSGi headers, pom.properties from many build tools).
TEST(JavaArchiveTest, DebianJarsMatchTheJdk) {
  REQUIRE_OR_SKIP(core::testing::HaveProgram("java"), "no JDK");
  auto listing =
      core::testing::RunCommand("find /usr/share/java -maxdepth 1 -type f -name '*.jar' | sort");
  ASSERT_THAT(listing, IsOk());
  std::vector<std::string> files = absl::StrSplit(*listing, '\n', absl::SkipEmpty());
  REQUIRE_OR_SKIP(files.size() >= 3,
                  "fewer than 3 jars in /usr/share/java (bazel/setup.sh installs "
                  "libcommons-lang3-java, libcommons-io-java, libcommons-codec-java)");
  ExpectSameAsJdk(files);
}

TEST(JavaArchiveTest, NestedAndShadedStructure) {
  REQUIRE_OR_SKIP(core::testing::HaveProgram("jar"), "no JDK");
  ASSERT_FALSE(JarDir().empty());
  auto bytes = core::ReadFileToString(JarDir() + "/app.ear", 1 << 20);
  ASSERT_THAT(bytes, IsOk());
  auto ear = ReadJavaArchive(*bytes, "app.ear");
  ASSERT_THAT(ear, IsOk());
  std::vector<std::string> paths;
  for (const JavaArchive& archive : ear->archives) paths.push_back(archive.path);
  EXPECT_THAT(paths,
              ElementsAre("app.ear", "app.ear!/app.war", "app.ear!/app.war!/WEB-INF/lib/simple.jar",
                          "app.ear!/app.war!/WEB-INF/lib/shaded.jar",
                          "app.ear!/app.war!/WEB-INF/lib/inner.JAR",
                          "app.ear!/app.war!/WEB-INF/lib/inner.JAR!/lib/innermost.jar",
                          "app.ear!/lib/stored.jar"));
  EXPECT_THAT(ear->archives[3].pom_properties, SizeIs(3));
  EXPECT_EQ(ear->archives[2].manifest->Get("implementation-version"), "1.2.3");
  EXPECT_THAT(ear->warnings, IsEmpty());
}

TEST(JavaArchiveTest, HostileArchives) {
  ASSERT_FALSE(JarDir().empty());
  auto read = [](absl::string_view name, const JavaArchiveOptions& options = {}) {
    auto bytes = core::ReadFileToString(absl::StrCat(JarDir(), "/hostile/", name), 1 << 20);
    EXPECT_THAT(bytes, IsOk());
    return ReadJavaArchive(bytes.ok() ? *bytes : "", name, options);
  };
  // An 8 MiB pom.properties (8 KiB compressed) is skipped; its neighbour is still read.
  auto bomb = read("bomb.jar");
  ASSERT_THAT(bomb, IsOk());
  ASSERT_THAT(bomb->archives, SizeIs(1));
  ASSERT_THAT(bomb->archives[0].pom_properties, SizeIs(1));
  EXPECT_EQ(bomb->archives[0].pom_properties[0].artifact_id, "ok");
  EXPECT_THAT(bomb->warnings,
              ElementsAre(HasSubstr("bomb.jar!/META-INF/maven/b/bomb/pom.properties: ")));
  JavaArchiveOptions small_budget;
  small_budget.limits.max_total_bytes = 1 << 20;
  small_budget.max_metadata_bytes = 16 << 20;  // Let it read until the call's budget ends.
  EXPECT_THAT(read("bomb.jar", small_budget),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("max_total_bytes")));
  // Seven levels of nesting stop at max_nesting (4), with a warning.
  auto deep = read("deep.jar");
  ASSERT_THAT(deep, IsOk());
  EXPECT_THAT(deep->archives, SizeIs(5));
  EXPECT_THAT(deep->warnings, ElementsAre(HasSubstr("deeper than max_nesting 4")));
  // A broken nested jar and bad manifest lines are warnings; the rest is read.
  auto garbage = read("garbage-inside.jar");
  ASSERT_THAT(garbage, IsOk());
  EXPECT_THAT(garbage->archives[0].pom_properties, SizeIs(1));
  EXPECT_EQ(garbage->archives[0].manifest->Get("Bundle-Name"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_THAT(garbage->warnings, Contains(HasSubstr("garbage-inside.jar!/lib/broken.jar")));
  EXPECT_THAT(garbage->warnings,
              Contains(HasSubstr("MANIFEST.MF:2: manifest line without \": \"")));
  EXPECT_THAT(read("not-a-zip.jar"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not-a-zip.jar: ")));
  auto truncated = read("truncated.jar");  // An error or a partial read, never a crash.
  if (truncated.ok()) {
    EXPECT_THAT(truncated->archives, SizeIs(1));
  }
  JavaArchiveOptions few_entries;
  few_entries.limits.max_entries = 2;
  EXPECT_THAT(read("garbage-inside.jar", few_entries),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("max_entries")));
}

TEST(JavaMetadataTest, PropertiesGrammar) {
  auto properties = ParseJavaProperties(
      "# comment\n! also\n  a = 1 \\\n   2\nb:3\nc 4\nd\\ e=5\\u00e9\\uD83D\\uDE00\n"
      "f=\xe9\ng=\\\\\nh=\\uZZZZ\n\n   \nlast\\");
  EXPECT_THAT(properties,
              ElementsAre(Pair("a", "1 2"), Pair("b", "3"), Pair("c", "4"),
                          Pair("d e", "5\xc3\xa9\xf0\x9f\x98\x80"), Pair("f", "\xc3\xa9"),
                          Pair("g", "\\"), Pair("h", "\\uZZZZ"), Pair("last", "")));
}

TEST(JavaMetadataTest, ManifestMainSectionOnly) {
  std::vector<std::string> warnings;
  JavaManifest manifest = ParseJavaManifest(
      "Manifest-Version: 1.0\nA: x\n y\n z\nNoSpace:v\nA: second\n\nName: entry\nB: 2\n", "m",
      &warnings);
  EXPECT_THAT(manifest.attributes,
              ElementsAre(Pair("Manifest-Version", "1.0"), Pair("A", "xyz"), Pair("A", "second")));
  EXPECT_EQ(manifest.Get("a"), "second");
  EXPECT_EQ(manifest.Get("B"), "");
  EXPECT_THAT(warnings, ElementsAre("m:5: manifest line without \": \"; skipped"));
}

TEST(JavaMetadataTest, ArchiveNames) {
  EXPECT_TRUE(IsJavaArchiveName("a/b.JAR"));
  EXPECT_TRUE(IsJavaArchiveName("x.hpi"));
  EXPECT_FALSE(IsJavaArchiveName(".jar"));
  EXPECT_FALSE(IsJavaArchiveName("a.jar.sha1"));
}

}  // namespace
}  // namespace bulwark::sbom
