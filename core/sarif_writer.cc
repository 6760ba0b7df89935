// SARIF 2.1.0 output (docs.oasis-open.org/sarif/sarif/v2.1.0), shaped for GitHub code scanning:
// rules carry "security-severity" and "tags", results carry partialFingerprints.
#include <map>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/report.h"
#include "bulwark/core/report_writer.h"
#include "bulwark/core/value.h"

namespace bulwark::core {
namespace {

constexpr absl::string_view kSchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

// A map Value built in code, entries in insertion order.
class ObjectBuilder {
 public:
  ObjectBuilder& Set(std::string key, Value value) {
    entries_.push_back(MapEntry{std::move(key), std::move(value)});
    return *this;
  }
  ObjectBuilder& SetString(std::string key, absl::string_view text) {
    return Set(std::move(key), Value(std::string(text)));
  }
  Value Build() { return Value(std::move(entries_)); }

 private:
  ValueMap entries_;
};

Value Message(absl::string_view text) { return ObjectBuilder().SetString("text", text).Build(); }

// SARIF "level" for a severity.
absl::string_view Level(v1::Severity severity) {
  switch (severity) {
    case v1::SEVERITY_CRITICAL:
    case v1::SEVERITY_HIGH:
      return "error";
    case v1::SEVERITY_MEDIUM:
      return "warning";
    case v1::SEVERITY_LOW:
      return "note";
    default:
      return "none";
  }
}

// GitHub reads "security-severity" as a CVSS-like score: >= 9.0 critical, 7.0-8.9 high,
// 4.0-6.9 medium, 0.1-3.9 low. We use a value inside each band.
absl::string_view SecuritySeverity(v1::Severity severity) {
  switch (severity) {
    case v1::SEVERITY_CRITICAL:
      return "9.5";
    case v1::SEVERITY_HIGH:
      return "8.0";
    case v1::SEVERITY_MEDIUM:
      return "5.5";
    case v1::SEVERITY_LOW:
      return "2.0";
    default:
      return "0.0";
  }
}

// artifactLocation.uri is a URI reference: keep unreserved characters and '/', percent-encode
// the rest, and drop the leading '/' so the path is relative to the scanned target.
std::string PathToUri(absl::string_view path) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  std::string uri;
  for (unsigned char c : path) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      uri.push_back(static_cast<char>(c));
    } else {
      absl::StrAppend(&uri, "%",
                      absl::AsciiStrToUpper(absl::StrCat(absl::Hex(c, absl::kZeroPad2))));
    }
  }
  return uri;
}

Value Rule(const v1::Finding& finding) {
  ObjectBuilder properties;
  properties.SetString("security-severity", SecuritySeverity(finding.severity()));
  ValueList tags = {Value("security")};
  if (!finding.category().empty()) tags.push_back(Value(finding.category()));
  properties.Set("tags", Value(std::move(tags)));

  ObjectBuilder rule;
  rule.SetString("id", finding.rule_id());
  rule.SetString("name", finding.rule_id());
  rule.Set("shortDescription",
           Message(finding.title().empty() ? finding.rule_id() : finding.title()));
  if (!finding.description().empty()) rule.Set("fullDescription", Message(finding.description()));
  if (!finding.remediation().empty()) rule.Set("help", Message(finding.remediation()));
  if (!finding.references().empty()) rule.SetString("helpUri", finding.references(0));
  rule.Set("defaultConfiguration",
           ObjectBuilder().SetString("level", Level(finding.severity())).Build());
  rule.Set("properties", properties.Build());
  return rule.Build();
}

Value Result(const v1::Finding& finding, int64_t rule_index, absl::string_view report_target) {
  const v1::Location& location = finding.location();
  absl::string_view artifact = !location.path().empty()    ? location.path()
                               : !finding.target().empty() ? finding.target()
                                                           : report_target;
  ObjectBuilder physical;
  physical.Set("artifactLocation", ObjectBuilder().SetString("uri", PathToUri(artifact)).Build());
  if (location.start_line() > 0) {
    ObjectBuilder region;
    region.Set("startLine", Value(int64_t{location.start_line()}));
    if (location.start_column() > 0) {
      region.Set("startColumn", Value(int64_t{location.start_column()}));
    }
    if (location.end_line() >= location.start_line()) {
      region.Set("endLine", Value(int64_t{location.end_line()}));
    }
    physical.Set("region", region.Build());
  }

  ObjectBuilder properties;
  properties.SetString("severity", SeverityName(finding.severity()));
  if (!location.layer_digest().empty())
    properties.SetString("layerDigest", location.layer_digest());
  std::map<std::string, std::string> sorted(finding.properties().begin(),
                                            finding.properties().end());
  for (const auto& [key, value] : sorted) properties.SetString(key, value);

  std::string text = finding.title().empty() ? finding.rule_id() : finding.title();
  if (!finding.description().empty()) absl::StrAppend(&text, "\n", finding.description());

  ObjectBuilder result;
  result.SetString("ruleId", finding.rule_id());
  result.Set("ruleIndex", Value(rule_index));
  result.SetString("level", Level(finding.severity()));
  result.Set("message", Message(text));
  result.Set("locations",
             Value(ValueList{ObjectBuilder().Set("physicalLocation", physical.Build()).Build()}));
  std::string fingerprint =
      finding.fingerprint().empty() ? FingerprintFinding(finding) : finding.fingerprint();
  result.Set("partialFingerprints",
             ObjectBuilder().SetString("bulwarkFingerprint/v1", fingerprint).Build());
  result.Set("properties", properties.Build());
  return result.Build();
}

}  // namespace

std::string ReportToSarif(const v1::Report& report) {
  ValueList rules;
  std::map<std::string, int64_t> rule_indexes;
  ValueList results;
  for (const v1::Finding& finding : report.findings()) {
    auto [it, inserted] = rule_indexes.emplace(finding.rule_id(), rules.size());
    if (inserted) rules.push_back(Rule(finding));
    results.push_back(Result(finding, it->second, report.target()));
  }
  ObjectBuilder driver;
  driver.SetString("name", report.tool().name().empty() ? "bulwark" : report.tool().name());
  if (!report.tool().version().empty()) driver.SetString("version", report.tool().version());
  if (!report.tool().information_uri().empty()) {
    driver.SetString("informationUri", report.tool().information_uri());
  }
  driver.Set("rules", Value(std::move(rules)));

  ObjectBuilder run;
  run.Set("tool", ObjectBuilder().Set("driver", driver.Build()).Build());
  run.Set("results", Value(std::move(results)));
  if (!report.target().empty()) {
    run.Set("properties", ObjectBuilder().SetString("target", report.target()).Build());
  }

  Value sarif = ObjectBuilder()
                    .SetString("$schema", kSchemaUri)
                    .SetString("version", "2.1.0")
                    .Set("runs", Value(ValueList{run.Build()}))
                    .Build();
  return sarif.ToJson() + "\n";
}

}  // namespace bulwark::core
