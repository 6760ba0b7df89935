// CycloneDX 1.4+ VEX: vulnerabilities[] with an `analysis` (cyclonedx.org/capabilities/vex).
#include <algorithm>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "bulwark/core/document.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/vuln/vex.h"
#include "bulwark/image/vuln/vex_internal.h"

namespace bulwark::vuln {
namespace {

using vex_internal::JsonReader;

constexpr absl::string_view kJustifications[] = {
    "code_not_present",     "code_not_reachable",     "requires_configuration",
    "requires_dependency",  "requires_environment",   "protected_by_compiler",
    "protected_at_runtime", "protected_at_perimeter", "protected_by_mitigating_control"};

absl::StatusOr<VexStatus> StatusFromState(const JsonReader& reader, const core::Value& at,
                                          absl::string_view path, absl::string_view state) {
  if (state == "not_affected" || state == "false_positive") return VexStatus::kNotAffected;
  if (state == "resolved" || state == "resolved_with_pedigree") return VexStatus::kFixed;
  if (state == "exploitable") return VexStatus::kAffected;
  if (state == "in_triage") return VexStatus::kUnderInvestigation;
  return reader.Error(at, path, absl::StrCat("unknown analysis state \"", state, "\""));
}

// bom-ref -> (purl, cpe) of every component, nested ones included.
using ComponentIndex = absl::flat_hash_map<std::string, std::pair<std::string, std::string>>;

absl::Status IndexComponents(const JsonReader& reader, const core::ValueList& components,
                             const std::string& path, ComponentIndex* index) {
  for (size_t i = 0; i < components.size(); ++i) {
    std::string component_path = absl::StrCat(path, "[", i, "]");
    const core::Value& component = components[i];
    BULWARK_ASSIGN_OR_RETURN(std::string ref, reader.String(component, component_path, "bom-ref"));
    BULWARK_ASSIGN_OR_RETURN(std::string purl, reader.String(component, component_path, "purl"));
    BULWARK_ASSIGN_OR_RETURN(std::string cpe, reader.String(component, component_path, "cpe"));
    if (!ref.empty()) (*index)[ref] = {purl, cpe};
    BULWARK_ASSIGN_OR_RETURN(const core::ValueList* nested,
                             reader.List(component, component_path, "components"));
    if (nested != nullptr) {
      BULWARK_RETURN_IF_ERROR(
          IndexComponents(reader, *nested, absl::StrCat(component_path, ".components"), index));
    }
  }
  return absl::OkStatus();
}

// `purl` with its version replaced by `version` (qualifiers and subpath kept).
std::string WithVersion(absl::string_view purl, absl::string_view version) {
  size_t end = purl.find_first_of("?#");
  absl::string_view head = purl.substr(0, end);
  absl::string_view tail = end == absl::string_view::npos ? "" : purl.substr(end);
  size_t at = head.rfind('@');
  if (at != absl::string_view::npos && at > head.rfind('/')) head = head.substr(0, at);
  return absl::StrCat(head, "@", version, tail);
}

}  // namespace

absl::StatusOr<std::vector<VexStatement>> ParseCycloneDxVex(absl::string_view json,
                                                            absl::string_view source,
                                                            const core::Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(core::Value bom, core::ParseJson(json, limits, source));
  JsonReader reader(source);
  BULWARK_ASSIGN_OR_RETURN(std::string format, reader.String(bom, "$", "bomFormat", true));
  if (format != "CycloneDX") {
    return reader.Error(*bom.Find("bomFormat"), "$.bomFormat", "expected \"CycloneDX\"");
  }
  BULWARK_ASSIGN_OR_RETURN(std::string spec_version, reader.String(bom, "$", "specVersion", true));
  std::vector<absl::string_view> version_parts = absl::StrSplit(spec_version, '.');
  int major = 0, minor = 0;
  if (version_parts.size() != 2 || !absl::SimpleAtoi(version_parts[0], &major) ||
      !absl::SimpleAtoi(version_parts[1], &minor) || major != 1 || minor < 4) {
    return reader.Error(
        *bom.Find("specVersion"), "$.specVersion",
        absl::StrCat("\"", spec_version, "\": VEX analysis needs CycloneDX 1.4 or later"));
  }
  ComponentIndex components;
  BULWARK_ASSIGN_OR_RETURN(const core::Value* metadata, reader.Member(bom, "$", "metadata"));
  if (metadata != nullptr) {
    BULWARK_ASSIGN_OR_RETURN(const core::Value* component,
                             reader.Member(*metadata, "$.metadata", "component"));
    if (component != nullptr) {
      BULWARK_RETURN_IF_ERROR(IndexComponents(reader, core::ValueList{*component},
                                              "$.metadata.component", &components));
    }
  }
  BULWARK_ASSIGN_OR_RETURN(const core::ValueList* component_list,
                           reader.List(bom, "$", "components"));
  if (component_list != nullptr) {
    BULWARK_RETURN_IF_ERROR(IndexComponents(reader, *component_list, "$.components", &components));
  }
  absl::Time bom_time = absl::InfinitePast();
  if (metadata != nullptr) {
    BULWARK_ASSIGN_OR_RETURN(bom_time, reader.Time(*metadata, "$.metadata", "timestamp", bom_time));
  }

  BULWARK_ASSIGN_OR_RETURN(const core::ValueList* vulnerabilities,
                           reader.List(bom, "$", "vulnerabilities"));
  std::vector<VexStatement> out;
  if (vulnerabilities == nullptr) return out;
  for (size_t i = 0; i < vulnerabilities->size(); ++i) {
    const core::Value& vulnerability = (*vulnerabilities)[i];
    std::string path = absl::StrCat("$.vulnerabilities[", i, "]");
    BULWARK_ASSIGN_OR_RETURN(const core::Value* analysis,
                             reader.Member(vulnerability, path, "analysis"));
    if (analysis == nullptr) continue;  // A finding without a VEX assessment.
    std::string analysis_path = absl::StrCat(path, ".analysis");
    VexStatement statement;
    statement.format = VexFormat::kCycloneDx;
    statement.source = absl::StrCat(source, ": ", path);
    BULWARK_ASSIGN_OR_RETURN(statement.vulnerability,
                             reader.String(vulnerability, path, "id", /*required=*/true));
    BULWARK_ASSIGN_OR_RETURN(const core::ValueList* references,
                             reader.List(vulnerability, path, "references"));
    if (references != nullptr) {
      for (size_t r = 0; r < references->size(); ++r) {
        BULWARK_ASSIGN_OR_RETURN(
            std::string alias,
            reader.String((*references)[r], absl::StrCat(path, ".references[", r, "]"), "id"));
        if (!alias.empty()) statement.aliases.push_back(std::move(alias));
      }
    }
    BULWARK_ASSIGN_OR_RETURN(std::string state,
                             reader.String(*analysis, analysis_path, "state", /*required=*/true));
    BULWARK_ASSIGN_OR_RETURN(statement.status,
                             StatusFromState(reader, *analysis->Find("state"),
                                             absl::StrCat(analysis_path, ".state"), state));
    BULWARK_ASSIGN_OR_RETURN(statement.justification,
                             reader.String(*analysis, analysis_path, "justification"));
    if (!statement.justification.empty() &&
        std::find(std::begin(kJustifications), std::end(kJustifications),
                  statement.justification) == std::end(kJustifications)) {
      return reader.Error(*analysis->Find("justification"),
                          absl::StrCat(analysis_path, ".justification"),
                          absl::StrCat("unknown justification \"", statement.justification, "\""));
    }
    BULWARK_ASSIGN_OR_RETURN(statement.impact_statement,
                             reader.String(*analysis, analysis_path, "detail"));
    BULWARK_ASSIGN_OR_RETURN(const core::ValueList* responses,
                             reader.List(*analysis, analysis_path, "response"));
    if (responses != nullptr) {
      std::vector<std::string> names;
      for (size_t r = 0; r < responses->size(); ++r) {
        if (!(*responses)[r].is_string()) {
          return reader.Error((*responses)[r], absl::StrCat(analysis_path, ".response[", r, "]"),
                              "expected a string");
        }
        names.push_back((*responses)[r].string_value());
      }
      statement.action_statement = absl::StrJoin(names, ", ");
    }
    if (statement.status != VexStatus::kNotAffected && statement.action_statement.empty()) {
      statement.action_statement = statement.impact_statement;
    }
    BULWARK_ASSIGN_OR_RETURN(absl::Time first_issued,
                             reader.Time(*analysis, analysis_path, "firstIssued", bom_time));
    BULWARK_ASSIGN_OR_RETURN(statement.timestamp,
                             reader.Time(*analysis, analysis_path, "lastUpdated", first_issued));

    BULWARK_ASSIGN_OR_RETURN(const core::ValueList* affects,
                             reader.List(vulnerability, path, "affects", /*required=*/true));
    std::vector<VexStatement> per_version;  // Statements for affects[].versions[] entries.
    for (size_t a = 0; a < affects->size(); ++a) {
      std::string affects_path = absl::StrCat(path, ".affects[", a, "]");
      BULWARK_ASSIGN_OR_RETURN(std::string ref,
                               reader.String((*affects)[a], affects_path, "ref", true));
      VexProduct product;
      product.id = ref;
      if (auto it = components.find(ref); it != components.end()) {
        product.purl = it->second.first;
        product.cpe = it->second.second;
      } else if (absl::StartsWith(ref, "pkg:")) {
        product.purl = ref;
      } else if (size_t hash = ref.find('#');
                 absl::StartsWith(ref, "urn:cdx:") && hash != std::string::npos) {
        // A BOM-Link into another BOM: its bom-ref may itself be a purl.
        absl::string_view target = absl::string_view(ref).substr(hash + 1);
        if (absl::StartsWith(target, "pkg:")) product.purl = std::string(target);
      }
      BULWARK_ASSIGN_OR_RETURN(const core::ValueList* versions,
                               reader.List((*affects)[a], affects_path, "versions"));
      if (versions == nullptr || product.purl.empty()) {
        statement.products.push_back(std::move(product));
        continue;
      }
      for (size_t v = 0; v < versions->size(); ++v) {
        std::string version_path = absl::StrCat(affects_path, ".versions[", v, "]");
        BULWARK_ASSIGN_OR_RETURN(std::string version,
                                 reader.String((*versions)[v], version_path, "version"));
        if (version.empty()) continue;  // A `range` (vers:): not evaluated.
        BULWARK_ASSIGN_OR_RETURN(std::string version_status,
                                 reader.String((*versions)[v], version_path, "status"));
        VexStatement versioned = statement;
        versioned.products = {
            VexProduct{product.id, WithVersion(product.purl, version), product.cpe, {}}};
        if (version_status == "unaffected") {
          versioned.status = VexStatus::kNotAffected;
        } else if (version_status == "unknown") {
          versioned.status = VexStatus::kUnderInvestigation;
        } else if (!version_status.empty() && version_status != "affected") {
          return reader.Error(*(*versions)[v].Find("status"), absl::StrCat(version_path, ".status"),
                              absl::StrCat("unknown status \"", version_status, "\""));
        }
        per_version.push_back(std::move(versioned));
      }
    }
    if (!statement.products.empty()) out.push_back(std::move(statement));
    for (VexStatement& versioned : per_version) out.push_back(std::move(versioned));
  }
  return out;
}

}  // namespace bulwark::vuln
