#include "bulwark/image/risk/scan_cyclonedx.h"

#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/document.h"
#include "bulwark/core/report.h"
#include "bulwark/core/value.h"

namespace bulwark::image {
namespace {

using core::MapEntry;
using core::Value;
using core::ValueList;
using core::ValueMap;

constexpr absl::string_view kVulnerabilityCategory = "vulnerability";
// The bom-ref image/sbom's writer gives the image component.
constexpr absl::string_view kImageRef = "image";

Value Map(ValueMap entries) { return Value(std::move(entries)); }

Value Vulnerability(const core::v1::Finding& finding, const absl::flat_hash_set<std::string>& refs,
                    size_t index) {
  const auto& properties = finding.properties();
  auto property = [&](const char* key) -> std::string {
    auto it = properties.find(key);
    return it == properties.end() ? "" : it->second;
  };
  ValueMap vulnerability;
  vulnerability.push_back({"bom-ref", Value(absl::StrCat("vulnerability-", index + 1))});
  vulnerability.push_back({"id", Value(finding.rule_id())});
  if (std::string source = property("source"); !source.empty()) {
    ValueMap source_map = {{"name", Value(source)}};
    if (std::string url = property("source_url"); !url.empty()) {
      source_map.push_back({"url", Value(url)});
    }
    vulnerability.push_back({"source", Map(std::move(source_map))});
  }
  const std::string severity = absl::AsciiStrToLower(core::SeverityName(finding.severity()));
  vulnerability.push_back(
      {"ratings",
       Value(ValueList{Map({{"severity", Value(severity == "unknown" ? "unknown" : severity)}})})});
  if (!finding.description().empty()) {
    vulnerability.push_back({"description", Value(finding.description())});
  } else if (!finding.title().empty()) {
    vulnerability.push_back({"description", Value(finding.title())});
  }
  if (!finding.remediation().empty()) {
    vulnerability.push_back({"recommendation", Value(finding.remediation())});
  }
  if (finding.references_size() > 0) {
    ValueList advisories;
    for (const std::string& url : finding.references())
      advisories.push_back(Map({{"url", Value(url)}}));
    vulnerability.push_back({"advisories", Value(std::move(advisories))});
  }
  std::string ref = property("purl");
  if (!refs.contains(ref)) ref = std::string(kImageRef);
  vulnerability.push_back({"affects", Value(ValueList{Map({{"ref", Value(ref)}})})});
  ValueList bulwark_properties;
  for (const auto& [key, value] : properties) {
    bulwark_properties.push_back(
        Map({{"name", Value(absl::StrCat("bulwark:", key))}, {"value", Value(value)}}));
  }
  if (!finding.location().path().empty()) {
    bulwark_properties.push_back(
        Map({{"name", Value("bulwark:path")}, {"value", Value(finding.location().path())}}));
  }
  if (!bulwark_properties.empty()) {
    vulnerability.push_back({"properties", Value(std::move(bulwark_properties))});
  }
  return Map(std::move(vulnerability));
}

}  // namespace

absl::StatusOr<std::string> ScanResultToCycloneDx(const ScanResult& result,
                                                  sbom::CycloneDxVersion version,
                                                  const sbom::WriterOptions& options) {
  if (!result.sbom.has_value()) {
    return absl::FailedPreconditionError(
        "CycloneDX output needs the package inventory: run the \"sbom\" scanner");
  }
  absl::StatusOr<Value> bom =
      core::ParseJson(sbom::SbomToCycloneDx(*result.sbom, version, options), {}, "cyclonedx");
  if (!bom.ok() || !bom->is_map()) {
    return absl::InternalError(
        absl::StrCat("CycloneDX writer output does not parse: ", bom.status().message()));
  }
  absl::flat_hash_set<std::string> refs;
  if (const Value* components = bom->Find("components"); components && components->is_list()) {
    for (const Value& component : components->list_value()) {
      const Value* ref = component.Find("bom-ref");
      if (ref != nullptr && ref->is_string()) refs.insert(ref->string_value());
    }
  }
  ValueList vulnerabilities;
  for (const core::v1::Finding& finding : result.report.findings()) {
    if (finding.category() != kVulnerabilityCategory) continue;
    vulnerabilities.push_back(Vulnerability(finding, refs, vulnerabilities.size()));
  }
  ValueMap document = bom->map_value();
  document.push_back({"vulnerabilities", Value(std::move(vulnerabilities))});
  return Value(std::move(document)).ToJson();
}

}  // namespace bulwark::image
