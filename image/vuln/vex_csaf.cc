// CSAF 2.0 VEX profile (docs.oasis-open.org/csaf/csaf/v2.0, section 4.5): product_tree and
// vulnerabilities[].product_status, flags, threats and remediations.
#include <algorithm>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/document.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/vuln/vex.h"
#include "bulwark/image/vuln/vex_internal.h"

namespace bulwark::vuln {
namespace {

using vex_internal::JsonReader;

constexpr absl::string_view kFlagLabels[] = {
    "component_not_present", "vulnerable_code_not_present", "vulnerable_code_not_in_execute_path",
    "vulnerable_code_cannot_be_controlled_by_adversary", "inline_mitigations_already_exist"};

struct StatusList {
  absl::string_view key;
  VexStatus status;
};
constexpr StatusList kStatusLists[] = {
    {"first_affected", VexStatus::kAffected},
    {"known_affected", VexStatus::kAffected},
    {"last_affected", VexStatus::kAffected},
    {"known_not_affected", VexStatus::kNotAffected},
    {"first_fixed", VexStatus::kFixed},
    {"fixed", VexStatus::kFixed},
    {"under_investigation", VexStatus::kUnderInvestigation},
};

using ProductIndex = absl::flat_hash_map<std::string, VexProduct>;

// Reads a full_product_name object (product_id, product_identification_helper) into `index`.
absl::Status IndexProduct(const JsonReader& reader, const core::Value& product,
                          const std::string& path, ProductIndex* index) {
  VexProduct out;
  BULWARK_ASSIGN_OR_RETURN(out.id, reader.String(product, path, "product_id", /*required=*/true));
  BULWARK_ASSIGN_OR_RETURN(const core::Value* helper,
                           reader.Member(product, path, "product_identification_helper"));
  if (helper != nullptr) {
    std::string helper_path = absl::StrCat(path, ".product_identification_helper");
    BULWARK_ASSIGN_OR_RETURN(out.purl, reader.String(*helper, helper_path, "purl"));
    BULWARK_ASSIGN_OR_RETURN(out.cpe, reader.String(*helper, helper_path, "cpe"));
  }
  std::string id = out.id;
  (*index)[id] = std::move(out);
  return absl::OkStatus();
}

absl::Status IndexBranches(const JsonReader& reader, const core::ValueList& branches,
                           const std::string& path, ProductIndex* index) {
  for (size_t i = 0; i < branches.size(); ++i) {
    std::string branch_path = absl::StrCat(path, "[", i, "]");
    BULWARK_ASSIGN_OR_RETURN(const core::Value* product,
                             reader.Member(branches[i], branch_path, "product"));
    if (product != nullptr) {
      BULWARK_RETURN_IF_ERROR(
          IndexProduct(reader, *product, absl::StrCat(branch_path, ".product"), index));
    }
    BULWARK_ASSIGN_OR_RETURN(const core::ValueList* children,
                             reader.List(branches[i], branch_path, "branches"));
    if (children != nullptr) {
      BULWARK_RETURN_IF_ERROR(
          IndexBranches(reader, *children, absl::StrCat(branch_path, ".branches"), index));
    }
  }
  return absl::OkStatus();
}

// product_tree -> every product id it defines, and product_groups -> their product ids.
absl::Status IndexProductTree(const JsonReader& reader, const core::Value& tree,
                              ProductIndex* products,
                              absl::flat_hash_map<std::string, std::vector<std::string>>* groups) {
  const std::string path = "$.product_tree";
  BULWARK_ASSIGN_OR_RETURN(const core::ValueList* branches, reader.List(tree, path, "branches"));
  if (branches != nullptr) {
    BULWARK_RETURN_IF_ERROR(
        IndexBranches(reader, *branches, absl::StrCat(path, ".branches"), products));
  }
  BULWARK_ASSIGN_OR_RETURN(const core::ValueList* names,
                           reader.List(tree, path, "full_product_names"));
  for (size_t i = 0; names != nullptr && i < names->size(); ++i) {
    BULWARK_RETURN_IF_ERROR(IndexProduct(
        reader, (*names)[i], absl::StrCat(path, ".full_product_names[", i, "]"), products));
  }
  // Relationships name a component inside a platform; the component's purl / cpe identify it
  // (the platform's cpe when the component has none).
  BULWARK_ASSIGN_OR_RETURN(const core::ValueList* relationships,
                           reader.List(tree, path, "relationships"));
  for (size_t i = 0; relationships != nullptr && i < relationships->size(); ++i) {
    std::string relationship_path = absl::StrCat(path, ".relationships[", i, "]");
    const core::Value& relationship = (*relationships)[i];
    BULWARK_ASSIGN_OR_RETURN(const core::Value* name,
                             reader.Member(relationship, relationship_path, "full_product_name"));
    if (name == nullptr) {
      return reader.Error(relationship, relationship_path, "missing \"full_product_name\"");
    }
    BULWARK_RETURN_IF_ERROR(IndexProduct(
        reader, *name, absl::StrCat(relationship_path, ".full_product_name"), products));
    BULWARK_ASSIGN_OR_RETURN(std::string component, reader.String(relationship, relationship_path,
                                                                  "product_reference", true));
    BULWARK_ASSIGN_OR_RETURN(
        std::string platform,
        reader.String(relationship, relationship_path, "relates_to_product_reference", true));
    BULWARK_ASSIGN_OR_RETURN(std::string id,
                             reader.String(*name, relationship_path, "product_id", true));
    VexProduct& product = (*products)[id];
    if (auto it = products->find(component); it != products->end() && product.purl.empty()) {
      product.purl = it->second.purl;
      product.cpe = it->second.cpe;
    }
    if (auto it = products->find(platform); it != products->end() && product.cpe.empty()) {
      product.cpe = it->second.cpe;
    }
  }
  BULWARK_ASSIGN_OR_RETURN(const core::ValueList* product_groups,
                           reader.List(tree, path, "product_groups"));
  for (size_t i = 0; product_groups != nullptr && i < product_groups->size(); ++i) {
    std::string group_path = absl::StrCat(path, ".product_groups[", i, "]");
    BULWARK_ASSIGN_OR_RETURN(std::string group_id,
                             reader.String((*product_groups)[i], group_path, "group_id", true));
    BULWARK_ASSIGN_OR_RETURN(
        const core::ValueList* ids,
        reader.List((*product_groups)[i], group_path, "product_ids", /*required=*/true));
    for (size_t j = 0; j < ids->size(); ++j) {
      if (!(*ids)[j].is_string()) {
        return reader.Error((*ids)[j], absl::StrCat(group_path, ".product_ids[", j, "]"),
                            "expected a string");
      }
      (*groups)[group_id].push_back((*ids)[j].string_value());
    }
  }
  return absl::OkStatus();
}

// The product ids an entry (flag, threat, remediation) names: product_ids plus the members of
// its group_ids.
absl::StatusOr<std::vector<std::string>> NamedProducts(
    const JsonReader& reader, const core::Value& entry, const std::string& path,
    const absl::flat_hash_map<std::string, std::vector<std::string>>& groups) {
  std::vector<std::string> out;
  for (absl::string_view key : {"product_ids", "group_ids"}) {
    BULWARK_ASSIGN_OR_RETURN(const core::ValueList* ids, reader.List(entry, path, key));
    for (size_t i = 0; ids != nullptr && i < ids->size(); ++i) {
      if (!(*ids)[i].is_string()) {
        return reader.Error((*ids)[i], absl::StrCat(path, ".", key, "[", i, "]"),
                            "expected a string");
      }
      const std::string& id = (*ids)[i].string_value();
      if (key == "product_ids") {
        out.push_back(id);
      } else if (auto it = groups.find(id); it != groups.end()) {
        out.insert(out.end(), it->second.begin(), it->second.end());
      } else {
        return reader.Error((*ids)[i], absl::StrCat(path, ".group_ids[", i, "]"),
                            absl::StrCat("unknown group \"", id, "\""));
      }
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<VexStatement>> ParseCsafVex(absl::string_view json,
                                                       absl::string_view source,
                                                       const core::Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(core::Value csaf, core::ParseJson(json, limits, source));
  JsonReader reader(source);
  BULWARK_ASSIGN_OR_RETURN(const core::Value* document, reader.Member(csaf, "$", "document"));
  if (document == nullptr) return reader.Error(csaf, "$", "missing \"document\"");
  BULWARK_ASSIGN_OR_RETURN(std::string version,
                           reader.String(*document, "$.document", "csaf_version", true));
  if (version != "2.0") {
    return reader.Error(*document->Find("csaf_version"), "$.document.csaf_version",
                        absl::StrCat("unsupported CSAF version \"", version, "\""));
  }
  BULWARK_ASSIGN_OR_RETURN(std::string category,
                           reader.String(*document, "$.document", "category", true));
  if (category != "csaf_vex") {
    return reader.Error(*document->Find("category"), "$.document.category",
                        absl::StrCat("\"", category, "\" is not the VEX profile (csaf_vex)"));
  }
  BULWARK_ASSIGN_OR_RETURN(const core::Value* tracking,
                           reader.Member(*document, "$.document", "tracking"));
  if (tracking == nullptr) return reader.Error(*document, "$.document", "missing \"tracking\"");
  BULWARK_ASSIGN_OR_RETURN(
      absl::Time released,
      reader.Time(*tracking, "$.document.tracking", "current_release_date", absl::InfinitePast()));

  ProductIndex products;
  absl::flat_hash_map<std::string, std::vector<std::string>> groups;
  BULWARK_ASSIGN_OR_RETURN(const core::Value* tree, reader.Member(csaf, "$", "product_tree"));
  if (tree == nullptr) return reader.Error(csaf, "$", "missing \"product_tree\"");
  BULWARK_RETURN_IF_ERROR(IndexProductTree(reader, *tree, &products, &groups));

  BULWARK_ASSIGN_OR_RETURN(const core::ValueList* vulnerabilities,
                           reader.List(csaf, "$", "vulnerabilities", /*required=*/true));
  std::vector<VexStatement> out;
  for (size_t i = 0; i < vulnerabilities->size(); ++i) {
    const core::Value& vulnerability = (*vulnerabilities)[i];
    std::string path = absl::StrCat("$.vulnerabilities[", i, "]");
    VexStatement base;
    base.format = VexFormat::kCsaf;
    base.timestamp = released;
    BULWARK_ASSIGN_OR_RETURN(base.vulnerability, reader.String(vulnerability, path, "cve"));
    BULWARK_ASSIGN_OR_RETURN(const core::ValueList* ids, reader.List(vulnerability, path, "ids"));
    for (size_t j = 0; ids != nullptr && j < ids->size(); ++j) {
      BULWARK_ASSIGN_OR_RETURN(
          std::string text,
          reader.String((*ids)[j], absl::StrCat(path, ".ids[", j, "]"), "text", true));
      if (base.vulnerability.empty()) {
        base.vulnerability = std::move(text);
      } else {
        base.aliases.push_back(std::move(text));
      }
    }
    if (base.vulnerability.empty()) {
      return reader.Error(vulnerability, path, "a VEX vulnerability needs a cve or ids");
    }

    // Per product: justification (flags), impact (threats), action (remediations).
    absl::flat_hash_map<std::string, std::string> justification, impact, action;
    auto collect = [&](absl::string_view list_key, absl::string_view text_key,
                       absl::flat_hash_map<std::string, std::string>* by_product,
                       bool impact_threats_only, bool is_flag) -> absl::Status {
      BULWARK_ASSIGN_OR_RETURN(const core::ValueList* entries,
                               reader.List(vulnerability, path, list_key));
      for (size_t j = 0; entries != nullptr && j < entries->size(); ++j) {
        std::string entry_path = absl::StrCat(path, ".", list_key, "[", j, "]");
        const core::Value& entry = (*entries)[j];
        BULWARK_ASSIGN_OR_RETURN(std::string entry_category,
                                 reader.String(entry, entry_path, "category"));
        if (impact_threats_only && entry_category != "impact") continue;
        BULWARK_ASSIGN_OR_RETURN(std::string text,
                                 reader.String(entry, entry_path, text_key, /*required=*/true));
        if (is_flag && std::find(std::begin(kFlagLabels), std::end(kFlagLabels), text) ==
                           std::end(kFlagLabels)) {
          return reader.Error(*entry.Find("label"), absl::StrCat(entry_path, ".label"),
                              absl::StrCat("unknown flag label \"", text, "\""));
        }
        if (!is_flag && !impact_threats_only) text = absl::StrCat(entry_category, ": ", text);
        BULWARK_ASSIGN_OR_RETURN(std::vector<std::string> named,
                                 NamedProducts(reader, entry, entry_path, groups));
        for (const std::string& id : named) by_product->try_emplace(id, text);
      }
      return absl::OkStatus();
    };
    BULWARK_RETURN_IF_ERROR(collect("flags", "label", &justification, false, true));
    BULWARK_RETURN_IF_ERROR(collect("threats", "details", &impact, true, false));
    BULWARK_RETURN_IF_ERROR(collect("remediations", "details", &action, false, false));

    BULWARK_ASSIGN_OR_RETURN(const core::Value* product_status,
                             reader.Member(vulnerability, path, "product_status"));
    if (product_status == nullptr) {
      return reader.Error(vulnerability, path, "missing \"product_status\" (VEX profile)");
    }
    std::string status_path = absl::StrCat(path, ".product_status");
    for (const StatusList& list : kStatusLists) {
      BULWARK_ASSIGN_OR_RETURN(const core::ValueList* ids,
                               reader.List(*product_status, status_path, list.key));
      for (size_t j = 0; ids != nullptr && j < ids->size(); ++j) {
        std::string id_path = absl::StrCat(status_path, ".", list.key, "[", j, "]");
        if (!(*ids)[j].is_string()) return reader.Error((*ids)[j], id_path, "expected a string");
        const std::string& id = (*ids)[j].string_value();
        VexStatement statement = base;
        statement.status = list.status;
        statement.source = absl::StrCat(source, ": ", id_path);
        auto product = products.find(id);
        statement.products.push_back(product != products.end() ? product->second
                                                               : VexProduct{id, "", "", {}});
        if (auto it = justification.find(id); it != justification.end()) {
          statement.justification = it->second;
        }
        if (auto it = impact.find(id); it != impact.end()) statement.impact_statement = it->second;
        if (auto it = action.find(id); it != action.end()) statement.action_statement = it->second;
        out.push_back(std::move(statement));
      }
    }
  }
  return out;
}

}  // namespace bulwark::vuln
