// Runs Falco 0.34.1's own engine test cases (../shared/conformance/runtime/samples/
// falco-engine-tests-0.34.1/falco_tests.yaml and falco_tests_exceptions.yaml) against RuleSet
// and Engine: load errors and warnings (item type, name, code, message), overrides, appends,
// exceptions, engine version checks, and detections over the traces for which a sysdig JSON
// export exists (cat_write, connect_localhost). Cases that need something else are skipped with
// the reason printed; the test also fails if fewer cases run than it expects.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "bulwark/core/document.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "bulwark/runtime/engine.h"
#include "bulwark/runtime/rule_set.h"
#include "bulwark/runtime/testing/sysdig_json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "re2/re2.h"

namespace bulwark::runtime {
namespace {

using core::Value;

std::string Text(const Value* v) {
  if (v == nullptr) return "";
  if (v->is_string()) return v->string_value();
  if (v->is_bool()) return v->bool_value() ? "true" : "false";
  if (v->is_int()) return absl::StrCat(v->int_value());
  return "";
}

std::vector<std::string> Strings(const Value* v) {
  std::vector<std::string> out;
  if (v == nullptr) return out;
  if (v->is_list()) {
    for (const Value& item : v->list_value()) out.push_back(Text(&item));
  } else {
    out.push_back(Text(v));
  }
  return out;
}

class FalcoEngineCases {
 public:
  explicit FalcoEngineCases(std::string dir, std::string derived)
      : dir_(std::move(dir)), derived_(std::move(derived)) {}

  std::vector<RulesContent> Contents(const std::vector<std::string>& files) {
    std::vector<RulesContent> contents;
    for (const std::string& file : files) {
      std::string path = absl::StrCat(dir_, "/", file);
      absl::StatusOr<std::string> text = core::ReadFileToString(path, 1 << 20);
      EXPECT_THAT(text, core::testing::IsOk()) << path;
      contents.push_back(RulesContent{file, text.value_or("")});
    }
    return contents;
  }

  static bool Matches(const LoadMessage& got, const Value& want) {
    if (got.item_type != Text(want.Find("item_type")) ||
        got.item_name != Text(want.Find("item_name")) || got.code != Text(want.Find("code"))) {
      return false;
    }
    // yaml-cpp's "error at line L, column C: what" is ours as "<file>:L:C: invalid YAML: what".
    int line = 0, column = 0;
    std::string what;
    if (RE2::FullMatch(Text(want.Find("message")),
                       R"(yaml-cpp: error at line (\d+), column (\d+): (.*))", &line, &column,
                       &what)) {
      return absl::StrContains(got.message,
                               absl::StrCat(":", line, ":", column, ": invalid YAML: ", what));
    }
    if (const Value* contains = want.Find("message_contains")) {
      return absl::StrContains(got.message, Text(contains));
    }
    return got.message == Text(want.Find("message"));
  }

  static std::string Describe(const std::vector<LoadMessage>& messages) {
    std::vector<std::string> lines;
    for (const LoadMessage& m : messages) {
      lines.push_back(absl::StrCat(m.item_type, "|", m.item_name, "|", m.code, "|", m.message));
    }
    return absl::StrJoin(lines, "\n");
  }

  void RunValidation(const std::string& name, const Value& spec) {
    RuleSet::Validation result =
        RuleSet::Validate(Contents(Strings(spec.Find("validate_rules_file"))));
    const Value* errors = spec.Find("validate_errors");
    const Value* warnings = spec.Find("validate_warnings");
    if (errors != nullptr) {
      EXPECT_FALSE(result.errors.empty()) << name;
      for (const Value& want : errors->list_value()) {
        bool found = false;
        for (const LoadMessage& got : result.errors) found |= Matches(got, want);
        EXPECT_TRUE(found) << name << ": expected error " << want.ToJson() << "\ngot:\n"
                           << Describe(result.errors);
      }
    } else {
      EXPECT_TRUE(result.errors.empty()) << name << ":\n" << Describe(result.errors);
    }
    if (warnings != nullptr) {
      for (const Value& want : warnings->list_value()) {
        bool found = false;
        // Falco reports warnings of files that loaded before the failing one, too.
        for (const LoadMessage& got : result.warnings) found |= Matches(got, want);
        if (!found && !result.errors.empty()) {
          // Our loader stops at the first failing file; validate the earlier ones alone.
          for (const std::string& ok : Strings(spec.Find("validate_ok"))) {
            RuleSet::Validation alone = RuleSet::Validate(Contents({absl::StrCat("rules/", ok)}));
            for (const LoadMessage& got : alone.warnings) found |= Matches(got, want);
          }
        }
        EXPECT_TRUE(found) << name << ": expected warning " << want.ToJson() << "\ngot:\n"
                           << Describe(result.warnings);
      }
    }
    for (const std::string& ok : Strings(spec.Find("validate_ok"))) {
      RuleSet::Validation alone = RuleSet::Validate(Contents({absl::StrCat("rules/", ok)}));
      EXPECT_TRUE(alone.errors.empty()) << name << " " << ok << ":\n" << Describe(alone.errors);
    }
    ++ran_;
  }

  void RunDetection(const std::string& name, const Value& spec, const std::string& trace) {
    LoadOptions options;
    if (const Value* priority = spec.Find("priority")) {
      options.minimum_priority = ParsePriority(Text(priority)).value();
    }
    std::vector<RulesContent> contents;
    for (const std::string& file : Strings(spec.Find("rules_file"))) {
      std::string path = absl::StrCat(dir_, "/", file);
      std::error_code ec;
      if (std::filesystem::is_directory(path, ec)) {
        std::vector<std::string> files;
        for (const auto& entry : std::filesystem::directory_iterator(path)) {
          files.push_back(absl::StrCat(file, "/", entry.path().filename().string()));
        }
        std::sort(files.begin(), files.end());
        for (RulesContent& c : Contents(files)) contents.push_back(std::move(c));
      } else {
        for (RulesContent& c : Contents({file})) contents.push_back(std::move(c));
      }
    }
    absl::StatusOr<std::unique_ptr<const RuleSet>> rules = RuleSet::LoadContents(contents, options);
    ASSERT_THAT(rules, core::testing::IsOk()) << name;
    absl::StatusOr<std::vector<v1::Event>> events =
        testing::ReadSysdigJsonLines(absl::StrCat(derived_, "/", trace));
    ASSERT_THAT(events, core::testing::IsOk());
    Engine engine(**rules);
    std::vector<v1::Alert> alerts = engine.ProcessBatch(*events);
    std::map<std::string, int> counts;
    std::vector<std::string> lines;
    for (const v1::Alert& alert : alerts) {
      ++counts[alert.rule()];
      lines.push_back(absl::StrCat(PriorityName(alert.priority()), " ", alert.output()));
    }
    const bool detect = Text(spec.Find("detect")) == "true";
    EXPECT_EQ(!alerts.empty(), detect) << name << ": " << absl::StrJoin(lines, "\n");
    if (const Value* levels = spec.Find("detect_level"); levels != nullptr && detect) {
      std::vector<std::string> allowed;
      for (const std::string& level : Strings(levels)) {
        allowed.emplace_back(PriorityName(ParsePriority(level).value()));
      }
      for (const v1::Alert& alert : alerts) {
        EXPECT_THAT(allowed, ::testing::Contains(std::string(PriorityName(alert.priority()))))
            << name << " " << alert.rule();
      }
    }
    if (const Value* expected = spec.Find("detect_counts")) {
      for (const Value& entry : expected->list_value()) {
        for (const core::MapEntry& count : entry.map_value()) {
          EXPECT_EQ(counts[count.key], count.value.int_value()) << name << " " << count.key;
        }
      }
    }
    if (const Value* contains = spec.Find("stdout_contains"); contains != nullptr) {
      std::string pattern = Text(contains);
      RE2 re(pattern);
      bool found = false;
      for (const std::string& line : lines) found |= RE2::PartialMatch(line, re);
      EXPECT_TRUE(found) << name << ": no output matches " << pattern << "\n"
                         << absl::StrJoin(lines, "\n");
    }
    ++ran_;
  }

  void Run(const std::string& name, const Value& spec) {
    static const char* const kUnsupported[] = {
        "conf_file", "disabled_rules",           "disable_tags",    "run_tags",    "json_output",
        "grpc",      "output_strictly_contains", "stderr_contains", "rules_events"};
    for (const char* key : kUnsupported) {
      if (spec.Find(key) != nullptr) {
        Skip(name, absl::StrCat("uses Falco CLI/output option '", key, "'"));
        return;
      }
    }
    if (spec.Find("validate_rules_file") != nullptr) return RunValidation(name, spec);
    if (spec.Find("rules_file") == nullptr) {
      return Skip(name, "uses Falco's built-in default rules file");
    }
    std::string trace = Text(spec.Find("trace_file"));
    if (trace == "trace_files/cat_write.scap")
      return RunDetection(name, spec, "cat_write.sysdig.jsonl");
    if (trace == "trace_files/connect_localhost.scap") {
      return RunDetection(name, spec, "connect_localhost.sysdig.jsonl");
    }
    Skip(name, absl::StrCat("needs ", trace, " (a .scap capture with no sysdig JSON export)"));
  }

  void Skip(const std::string& name, const std::string& why) {
    skipped_.push_back(absl::StrCat(name, ": ", why));
  }

  int ran() const { return ran_; }
  const std::vector<std::string>& skipped() const { return skipped_; }

 private:
  std::string dir_;
  std::string derived_;
  int ran_ = 0;
  std::vector<std::string> skipped_;
};

void RunSuite(const std::string& file, int minimum_ran) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/runtime/samples/falco-engine-tests-0.34.1");
  BULWARK_SHARED_PATH_OR_SKIP(derived, "conformance/runtime/samples/derived");
  absl::StatusOr<std::vector<Value>> docs = core::ParseYamlFile(absl::StrCat(dir, "/", file));
  ASSERT_THAT(docs, core::testing::IsOk());
  const Value* cases = (*docs)[0].Find("trace_files");
  ASSERT_NE(cases, nullptr);
  FalcoEngineCases runner(dir, derived);
  for (const core::MapEntry& entry : cases->map_value()) {
    SCOPED_TRACE(entry.key);
    runner.Run(entry.key, entry.value);
  }
  std::cout << file << ": " << runner.ran() << " cases run, " << runner.skipped().size()
            << " skipped:\n";
  for (const std::string& skipped : runner.skipped()) std::cout << "  " << skipped << "\n";
  EXPECT_GE(runner.ran(), minimum_ran);
}

TEST(FalcoEngineConformanceTest, FalcoTests) { RunSuite("falco_tests.yaml", 60); }

TEST(FalcoEngineConformanceTest, ExceptionTests) { RunSuite("falco_tests_exceptions.yaml", 30); }

}  // namespace
}  // namespace bulwark::runtime

namespace bulwark::runtime {
namespace {

// falcosecurity/testing's golden output for single_rule.yaml over cat_write.scap: same alerts,
// same rendered output text, same times.
TEST(FalcoGoldenOutputTest, SingleRuleWithCatWrite) {
  BULWARK_SHARED_PATH_OR_SKIP(golden, "conformance/runtime/samples/falco-traces/golden");
  BULWARK_SHARED_PATH_OR_SKIP(derived, "conformance/runtime/samples/derived");
  auto rules = RuleSet::Load({absl::StrCat(golden, "/single_rule.yaml")});
  ASSERT_THAT(rules, core::testing::IsOk());
  auto events = testing::ReadSysdigJsonLines(absl::StrCat(derived, "/cat_write.sysdig.jsonl"));
  ASSERT_THAT(events, core::testing::IsOk());
  Engine engine(**rules);
  std::vector<v1::Alert> alerts = engine.ProcessBatch(*events);

  auto expected_text = core::ReadFileToString(
      absl::StrCat(golden, "/single_rule_with_cat_write.expected.jsonl"), 1 << 20);
  ASSERT_THAT(expected_text, core::testing::IsOk());
  std::vector<Value> expected;
  for (absl::string_view line : absl::StrSplit(*expected_text, '\n', absl::SkipEmpty())) {
    auto value = core::ParseJson(line);
    ASSERT_THAT(value, core::testing::IsOk());
    expected.push_back(*std::move(value));
  }
  ASSERT_EQ(alerts.size(), expected.size());
  for (size_t i = 0; i < alerts.size(); ++i) {
    const Value& want = expected[i];
    EXPECT_EQ(alerts[i].rule(), Text(want.Find("rule")));
    EXPECT_EQ(PriorityName(alerts[i].priority()), Text(want.Find("priority")));
    // Falco's output is "<time>: <Priority> <rendered output>".
    std::string falco_output = Text(want.Find("output"));
    EXPECT_EQ(absl::StrCat(PriorityName(alerts[i].priority()), " ", alerts[i].output()),
              falco_output.substr(falco_output.find(": ") + 2));
    EXPECT_EQ(absl::FormatTime("%Y-%m-%dT%H:%M:%E9SZ",
                               absl::FromUnixNanos(alerts[i].timestamp_ns()), absl::UTCTimeZone()),
              Text(want.Find("time")));
    EXPECT_EQ(alerts[i].output_fields().at("proc.cmdline"),
              Text(want.Find("output_fields")->Find("proc.cmdline")));
  }
}

}  // namespace
}  // namespace bulwark::runtime
