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

Value Vulnerability(const Value& bom, const v1::Finding& finding, int index) {
  ValueMap out = {{"bom-ref", Value(absl::StrCat("vulnerability-", index + 1))},
                  {"id", Value(finding.id())}};
  ValueList references;
  for (const std::string& alias : finding.aliases()) {
    references.push_back(Value(ValueMap{{"id", Value(alias)}}));
  }
  if (!references.empty()) out.push_back({"references", Value(std::move(references))});
  if (!finding.severity_label().empty()) {
    out.push_back(
        {"ratings", Value(ValueList{Value(ValueMap{
                        {"severity", Value(absl::AsciiStrToLower(finding.severity_label()))},
                        {"method", Value("other")}})})});
  }
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
