#include "bulwark/image/sbom/internal/python_marker.h"

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/run_command.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::sbom::internal {
namespace {

using ::bulwark::core::testing::StatusIs;
using ::testing::HasSubstr;

struct NamedEnvironment {
  PythonEnvironment environment;
  std::string json;  // The same environment for packaging.
};

NamedEnvironment Environment(const std::string& python, const std::string& full,
                             const std::string& machine, const std::string& extra) {
  PythonEnvironment environment = {
      .python_version = python,
      .python_full_version = full,
      .os_name = "posix",
      .sys_platform = "linux",
      .platform_release = "6.1.0-13-amd64",
      .platform_system = "Linux",
      .platform_version = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1 (2023-09-29)",
      .platform_machine = machine,
      .platform_python_implementation = "CPython",
      .implementation_name = "cpython",
      .implementation_version = full,
      .extra = extra,
  };
  std::vector<std::string> fields;
  auto add = [&](const char* key, const std::optional<std::string>& value) {
    fields.push_back(absl::StrCat("\"", key, "\": \"", *value, "\""));
  };
  add("python_version", environment.python_version);
  add("python_full_version", environment.python_full_version);
  add("os_name", environment.os_name);
  add("sys_platform", environment.sys_platform);
  add("platform_release", environment.platform_release);
  add("platform_system", environment.platform_system);
  add("platform_version", environment.platform_version);
  add("platform_machine", environment.platform_machine);
  add("platform_python_implementation", environment.platform_python_implementation);
  add("implementation_name", environment.implementation_name);
  add("implementation_version", environment.implementation_version);
  add("extra", environment.extra);
  return {environment, absl::StrCat("{", absl::StrJoin(fields, ", "), "}")};
}

// Comparisons of every variable spelling with values that are versions, version patterns,
// platform words and neither, with every operator, both ways round; then and/or chains and
// parentheses; then text that is not a marker.
std::vector<std::string> Markers() {
  const std::vector<std::string> variables = {"python_version",
                                              "python_full_version",
                                              "os_name",
                                              "os.name",
                                              "sys_platform",
                                              "sys.platform",
                                              "platform_machine",
                                              "platform.machine",
                                              "platform_release",
                                              "platform_system",
                                              "platform_version",
                                              "platform_python_implementation",
                                              "python_implementation",
                                              "implementation_name",
                                              "implementation_version",
                                              "extra"};
  const std::vector<std::string> values = {
      "3",     "3.8",   "3.11",     "3.11.2",   "3.11.*",      "3.*",     "3.12rc1", "2.7", "",
      "posix", "linux", "win32",    "x86_64",   "aarch64",     "cpython", "CPython", "lin", "Linux",
      "6.1",   "6",     "security", "Security", "tests_extra", "nt",      "64"};
  const std::vector<std::string> ops = {
      "<", "<=", "==", "!=", ">=", ">", "~=", "===", "in", "not in"};
  std::vector<std::string> markers;
  for (const std::string& variable : variables) {
    for (const std::string& op : ops) {
      for (const std::string& value : values) {
        markers.push_back(absl::StrCat(variable, " ", op, " '", value, "'"));
        markers.push_back(absl::StrCat("\"", value, "\" ", op, " ", variable));
      }
    }
  }
  // Combinations: "and" binds tighter than "or"; unknown or raising parts.
  const std::vector<std::string> atoms = {
      "python_version < '3.8'",  "python_version >= '3.8'",
      "sys_platform == 'win32'", "platform_machine in 'x86_64 AMD64'",
      "extra == 'security'",     "os_name != 'nt'",
      "platform_release >= '5'", "'a' == 'b'"};
  for (size_t a = 0; a < atoms.size(); ++a) {
    for (size_t b = 0; b < atoms.size(); ++b) {
      for (size_t c = 0; c < atoms.size(); c += 3) {
        markers.push_back(absl::StrCat(atoms[a], " and ", atoms[b], " or ", atoms[c]));
        markers.push_back(absl::StrCat(atoms[a], " or ", atoms[b], " and ", atoms[c]));
        markers.push_back(absl::StrCat("(", atoms[a], " or ", atoms[b], ") and ", atoms[c]));
      }
    }
  }
  // Spacing and spelling details of packaging's tokenizer, and text that is not a marker.
  for (const char* text : {"python_version>'3.8'and os_name=='posix'",
                           "(python_version>'3')and(os_name=='posix')",
                           "python_version == python_version",
                           "'python_version' == python_version",
                           "'3.11' == 'python_version'",
                           "python_version\t<\t'4'",
                           "python_version not  in '3.11'",
                           "python_version notin '3.11'",
                           "python_version > '3' garbage",
                           "python_versions > '3'",
                           "python_version > 3",
                           "(python_version > '3'",
                           "python_version > '3')",
                           "()",
                           "python_version >",
                           "python_version > '3' and",
                           "and",
                           "os_name =! 'posix'",
                           "extra == 'Tests.Extra'",
                           "extra == 'tests__extra'",
                           "'security' == extra",
                           "python_version ~= '3'",
                           "python_full_version ~= '3.11.0'",
                           "python_full_version === '3.11.2'",
                           "python_version <= '3.11.*'",
                           "python_version == '3.11.*' or python_version == '3.1*'",
                           "os_name == \"posix'",
                           "((((python_version > '3'))))"}) {
    markers.push_back(text);
  }
  return markers;
}

TEST(PythonMarkerTest, EqualsPackaging) {
  if (!core::testing::HaveProgram("/usr/bin/python3") ||
      !core::testing::RunCommand("/usr/bin/python3 -c 'import packaging'").ok()) {
    GTEST_SKIP() << "no python3-packaging here";
  }
  const std::vector<NamedEnvironment> environments = {
      Environment("3.11", "3.11.2", "x86_64", ""),
      Environment("3.8", "3.8.18", "aarch64", "security"),
      Environment("3.12", "3.12.0rc1", "armv7l", "Tests.Extra"),
  };
  const std::vector<std::string> markers = Markers();
  const std::string directory = std::getenv("TEST_TMPDIR");
  {
    std::ofstream out(directory + "/markers.txt");
    for (const std::string& marker : markers) out << marker << "\n";
    std::ofstream json(directory + "/environments.json");
    std::vector<std::string> objects;
    for (const NamedEnvironment& environment : environments) objects.push_back(environment.json);
    json << "[" << absl::StrJoin(objects, ", ") << "]";
  }
  absl::StatusOr<std::string> output = core::testing::RunCommand(
      absl::StrCat("/usr/bin/python3 image/sbom/testdata/evaluate_markers.py ", directory,
                   "/markers.txt ", directory, "/environments.json"));
  ASSERT_TRUE(output.ok()) << output.status();
  std::vector<std::string> lines = absl::StrSplit(*output, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), markers.size());
  int compared = 0, invalid = 0, raising = 0;
  for (size_t i = 0; i < markers.size(); ++i) {
    for (size_t e = 0; e < environments.size(); ++e) {
      absl::StatusOr<std::optional<bool>> got =
          EvaluatePythonMarker(markers[i], environments[e].environment);
      std::string ours = !got.ok() ? "I" : !got->has_value() ? "E" : **got ? "T" : "F";
      const std::string want = lines[i] == "I" ? "I" : lines[i].substr(e, 1);
      EXPECT_EQ(ours, want) << markers[i] << " in environment " << environments[e].json
                            << (got.ok() ? "" : got.status().ToString());
      ++compared;
      invalid += want == "I";
      raising += want == "E";
    }
  }
  EXPECT_GT(compared, 10000);
  EXPECT_GT(invalid, 20);
  EXPECT_GT(raising, 100);
}

TEST(PythonMarkerTest, UnknownValuesDecideNothingUnlessTheOtherSideDoes) {
  PythonEnvironment environment = {.python_version = "3.11", .platform_machine = std::nullopt};
  auto eval = [&](const char* marker) { return *EvaluatePythonMarker(marker, environment); };
  EXPECT_EQ(eval("platform_machine == 'x86_64'"), std::nullopt);
  EXPECT_EQ(eval("platform_machine == 'x86_64' and python_version < '3'"), false);
  EXPECT_EQ(eval("platform_machine == 'x86_64' or python_version > '3'"), true);
  EXPECT_EQ(eval("platform_machine == 'x86_64' or python_version < '3'"), std::nullopt);
  EXPECT_EQ(eval("extra == 'socks'"), false);  // A plain install has no extra.
  EXPECT_EQ(eval("extra != 'socks'"), true);
}

TEST(PythonMarkerTest, HostileInputIsAnError) {
  const PythonEnvironment environment;
  EXPECT_THAT(EvaluatePythonMarker(std::string(100, '(') + "os_name == 'x'" + std::string(100, ')'),
                                   environment),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("nested too deeply")));
  EXPECT_THAT(EvaluatePythonMarker("os_name == 'posix' and", environment),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("column 23")));
  EXPECT_THAT(EvaluatePythonMarker(std::string("os_name == '\xff\0", 14), environment),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace bulwark::sbom::internal
