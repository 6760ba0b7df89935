#include "bulwark/image/vuln/severity.h"

#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/document.h"

namespace bulwark::vuln {
namespace {

// The string at `field` of the JSON object `json`, or "" (absent, not a string, or not JSON).
std::string JsonStringField(const std::string& json, absl::string_view field) {
  if (json.empty()) return "";
  absl::StatusOr<core::Value> value = core::ParseJson(json);
  if (!value.ok() || !value->is_map()) return "";
  const core::Value* found = value->Find(field);
  return found != nullptr && found->is_string() ? found->string_value() : "";
}

// CVSS version order for choosing among vectors: newer is preferred.
int VersionRank(CvssVersion version) {
  switch (version) {
    case CvssVersion::kV2_0:
      return 0;
    case CvssVersion::kV3_0:
      return 1;
    case CvssVersion::kV3_1:
      return 2;
    case CvssVersion::kV4_0:
      return 3;
  }
  return -1;
}

bool IsCvssType(absl::string_view type) { return absl::StartsWith(type, "CVSS_"); }

// "Important" is the longest label a summary prefix carries; longer prefixes are prose.
constexpr size_t kMaxSummaryLabelLength = 12;

}  // namespace

core::v1::Severity SeverityFromLabel(absl::string_view label) {
  std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(label));
  if (lower == "critical") return core::v1::SEVERITY_CRITICAL;
  if (lower == "high" || lower == "important") return core::v1::SEVERITY_HIGH;
  if (lower == "medium" || lower == "moderate") return core::v1::SEVERITY_MEDIUM;
  if (lower == "low" || lower == "negligible" || lower == "unimportant") {
    return core::v1::SEVERITY_LOW;
  }
  return core::v1::SEVERITY_UNKNOWN;
}

AdvisorySeverity SelectSeverity(const v1::Record& record, const v1::Affected* affected) {
  AdvisorySeverity out;

  // Labels, most specific first.
  std::vector<std::pair<std::string, std::string>> labels;  // (source, label)
  if (affected != nullptr) {
    labels.emplace_back("affected[].ecosystem_specific.severity",
                        JsonStringField(affected->ecosystem_specific_json(), "severity"));
    labels.emplace_back("affected[].ecosystem_specific.urgency",
                        JsonStringField(affected->ecosystem_specific_json(), "urgency"));
    labels.emplace_back("affected[].database_specific.severity",
                        JsonStringField(affected->database_specific_json(), "severity"));
  }
  labels.emplace_back("database_specific.severity",
                      JsonStringField(record.database_specific_json(), "severity"));
  auto add_typed_labels = [&](const auto& severities, absl::string_view where) {
    for (const v1::Severity& severity : severities) {
      if (!IsCvssType(severity.type())) {
        labels.emplace_back(absl::StrCat(where, "[", severity.type(), "]"), severity.score());
      }
    }
  };
  if (affected != nullptr) add_typed_labels(affected->severity(), "affected[].severity");
  add_typed_labels(record.severity(), "severity");
  // Red Hat-style advisories (AlmaLinux, Rocky Linux) state the severity only in the summary:
  // "Important: openssl security update".
  size_t colon = record.summary().find(':');
  if (colon != std::string::npos && colon <= kMaxSummaryLabelLength) {
    labels.emplace_back("summary", record.summary().substr(0, colon));
  }
  for (const auto& [source, label] : labels) {
    if (label.empty()) continue;
    if (out.label.empty()) out.label = label;
    core::v1::Severity level = SeverityFromLabel(label);
    if (level != core::v1::SEVERITY_UNKNOWN) {
      out.level = level;
      out.label = label;
      out.source = source;
      break;
    }
  }

  // CVSS vectors: the newest version wins; the first of equals.
  std::string cvss_source;
  auto consider_vectors = [&](const auto& severities, absl::string_view where) {
    for (const v1::Severity& severity : severities) {
      if (!IsCvssType(severity.type())) continue;
      std::string source = absl::StrCat(where, "[", severity.type(), "]");
      absl::StatusOr<CvssScores> scores = ScoreCvss(severity.score());
      if (!scores.ok()) {
        out.warnings.push_back(absl::StrCat(source, ": ", scores.status().message()));
        continue;
      }
      if (!out.cvss.has_value() || VersionRank(scores->version) > VersionRank(out.cvss->version)) {
        out.cvss = *scores;
        out.cvss_vector = severity.score();
        cvss_source = std::move(source);
      }
    }
  };
  if (affected != nullptr) consider_vectors(affected->severity(), "affected[].severity");
  consider_vectors(record.severity(), "severity");

  if (out.level == core::v1::SEVERITY_UNKNOWN && out.cvss.has_value()) {
    out.level = ToReportSeverity(out.cvss->rating);
    out.source = cvss_source;
  }
  return out;
}

}  // namespace bulwark::vuln
