#include "bulwark/core/report.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "bulwark/core/digest.h"

namespace bulwark::core {

absl::string_view SeverityName(v1::Severity severity) {
  switch (severity) {
    case v1::SEVERITY_LOW:
      return "LOW";
    case v1::SEVERITY_MEDIUM:
      return "MEDIUM";
    case v1::SEVERITY_HIGH:
      return "HIGH";
    case v1::SEVERITY_CRITICAL:
      return "CRITICAL";
    default:
      return "UNKNOWN";
  }
}

absl::StatusOr<v1::Severity> ParseSeverity(absl::string_view name) {
  std::string upper = absl::AsciiStrToUpper(name);
  absl::string_view bare = upper;
  absl::ConsumePrefix(&bare, "SEVERITY_");
  for (int i = v1::Severity_MIN; i <= v1::Severity_MAX; ++i) {
    auto severity = static_cast<v1::Severity>(i);
    if (v1::Severity_IsValid(i) && SeverityName(severity) == bare) return severity;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown severity \"", name, "\" (expected unknown, low, medium, high or critical)"));
}

std::string FingerprintFinding(const v1::Finding& finding) {
  Hasher hasher(DigestAlgorithm::kSha256);
  // Each field is length-prefixed so that no two different findings hash the same bytes.
  auto add = [&](absl::string_view field) {
    hasher.Update(absl::StrCat(field.size(), ":"));
    hasher.Update(field);
  };
  add(finding.rule_id());
  add(finding.target());
  add(finding.location().path());
  add(finding.location().layer_digest());
  add(absl::StrCat(finding.location().start_line()));
  auto match = finding.properties().find("match");
  add(match == finding.properties().end() ? "" : match->second);
  return hasher.Finish().Hex();
}

bool HasFindingAtOrAbove(const v1::Report& report, v1::Severity threshold) {
  for (const v1::Finding& finding : report.findings()) {
    if (finding.severity() >= threshold) return true;
  }
  return false;
}

}  // namespace bulwark::core
