#include "bulwark/image/vuln/findings_cyclonedx.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bulwark/core/document.h"
#include "bulwark/core/value.h"
#include "bulwark/image/sbom/sbom_writer.h"

namespace bulwark::vuln {
namespace {

using core::MapEntry;
using core::Value;
using core::ValueList;
using core::ValueMap;

std::string StringField(const Value& object, absl::string_view key) {
  const Value* field = object.Find(key);
  return field != nullptr && field->is_string() ? field->string_value() : "";
}

// The bom-ref of the package component with this name, version and purl ("" when none).
std::string ComponentRef(const Value& bom, const v1::Finding& finding) {
  const Value* components = bom.Find("components");
  if (components == nullptr || !components->is_list()) return "";
  for (const Value& component : components->list_value()) {
    if (StringField(component, "name") == finding.package_name() &&
        StringField(component, "version") == finding.package_version() &&
        StringField(component, "purl") == finding.purl()) {
      return StringField(component, "bom-ref");
    }
  }
  return "";
}

// CycloneDX's rating method for a CVSS version ("2.0" -> CVSSv2, "4.0" -> CVSSv4).
std::string CvssMethod(absl::string_view version) {
  if (version == "2.0") return "CVSSv2";
  if (version == "3.0") return "CVSSv3";
  if (version == "3.1") return "CVSSv31";
  return "CVSSv4";
}

// CycloneDX's analysis justification for an OpenVEX / CSAF one (CycloneDX's own pass through;
// others are left to the detail text).
std::string CycloneDxJustification(absl::string_view justification) {
  if (justification == "component_not_present" || justification == "vulnerable_code_not_present") {
    return "code_not_present";
  }
  if (justification == "vulnerable_code_not_in_execute_path") return "code_not_reachable";
  if (justification == "vulnerable_code_cannot_be_controlled_by_adversary") {
    return "requires_environment";
  }
  if (justification == "inline_mitigations_already_exist") {
    return "protected_by_mitigating_control";
  }
  for (absl::string_view own :
       {"code_not_present", "code_not_reachable", "requires_configuration", "requires_dependency",
        "requires_environment", "protected_by_compiler", "protected_at_runtime",
        "protected_at_perimeter", "protected_by_mitigating_control"}) {
    if (justification == own) return std::string(own);
  }
  return "";
}

// The VEX assessment as CycloneDX's analysis: not_affected, resolved (fixed), exploitable
// (affected), in_triage (under_investigation).
Value Analysis(const v1::VexAssessment& vex) {
  std::string state = vex.status() == "not_affected" ? "not_affected"
                      : vex.status() == "fixed"      ? "resolved"
                      : vex.status() == "affected"   ? "exploitable"
                                                     : "in_triage";
  ValueMap analysis = {{"state", Value(state)}};
  std::string justification = CycloneDxJustification(vex.justification());
  if (!justification.empty()) analysis.push_back({"justification", Value(justification)});
  analysis.push_back({"detail", Value(vex.reason())});
  return Value(std::move(analysis));
}

Value Vulnerability(const Value& bom, const v1::Finding& finding, int index) {
  ValueMap out = {{"bom-ref", Value(absl::StrCat("vulnerability-", index + 1))},
                  {"id", Value(finding.id())}};
  ValueList references;
  for (const std::string& alias : finding.aliases()) {
    references.push_back(Value(ValueMap{{"id", Value(alias)}}));
  }
  if (!references.empty()) out.push_back({"references", Value(std::move(references))});
  ValueList ratings;
  if (!finding.cvss_vector().empty()) {
    ratings.push_back(
        Value(ValueMap{{"score", Value(finding.cvss_score())},
                       {"severity", Value(absl::AsciiStrToLower(finding.cvss_rating()))},
                       {"method", Value(CvssMethod(finding.cvss_version()))},
                       {"vector", Value(finding.cvss_vector())}}));
  }
  if (!finding.severity().empty()) {
    // The severity Bulwark reports (a database label where there is one, else the CVSS rating).
    ratings.push_back(Value(ValueMap{{"severity", Value(absl::AsciiStrToLower(finding.severity()))},
                                     {"method", Value("other")},
                                     {"justification", Value(finding.severity_source())}}));
  }
  if (!ratings.empty()) out.push_back({"ratings", Value(std::move(ratings))});
  if (!finding.summary().empty()) out.push_back({"description", Value(finding.summary())});
  if (!finding.fixed_versions().empty()) {
    out.push_back(
        {"recommendation", Value(absl::StrCat("Upgrade ", finding.matched_name(), " to ",
                                              absl::StrJoin(finding.fixed_versions(), ", ")))});
  }
  ValueMap affects = {{"ref", Value(ComponentRef(bom, finding))}};
  affects.push_back(
      {"versions", Value(ValueList{Value(ValueMap{{"version", Value(finding.package_version())},
                                                  {"status", Value("affected")}})})});
  out.push_back({"affects", Value(ValueList{Value(std::move(affects))})});
  if (finding.has_vex()) out.push_back({"analysis", Analysis(finding.vex())});
  return Value(std::move(out));
}

}  // namespace

absl::StatusOr<std::string> FindingsToCycloneDx(const v1::MatchResult& result,
                                                const sbom::v1::Sbom& sbom) {
  absl::StatusOr<Value> bom =
      core::ParseJson(sbom::SbomToCycloneDx(sbom, sbom::CycloneDxVersion::k1_5));
  if (!bom.ok() || !bom->is_map()) {
    return absl::InternalError("the CycloneDX SBOM writer's output does not parse as an object");
  }
  ValueList vulnerabilities;
  for (int i = 0; i < result.findings_size(); ++i) {
    vulnerabilities.push_back(Vulnerability(*bom, result.findings(i), i));
  }
  ValueMap out = bom->map_value();
  out.push_back({"vulnerabilities", Value(std::move(vulnerabilities))});
  return Value(std::move(out)).ToJson();
}

}  // namespace bulwark::vuln
