// OpenVEX v0.2.0 (github.com/openvex/spec): documents of statements about (vulnerability,
// products) with a status.
#include "bulwark/image/vuln/vex.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/document.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/vuln/vex_internal.h"

namespace bulwark::vuln {
namespace {

using vex_internal::JsonReader;

constexpr absl::string_view kJustifications[] = {
    "component_not_present", "vulnerable_code_not_present", "vulnerable_code_not_in_execute_path",
    "vulnerable_code_cannot_be_controlled_by_adversary", "inline_mitigations_already_exist"};

absl::StatusOr<VexStatus> StatusFromName(const JsonReader& reader, const core::Value& at,
                                         absl::string_view path, absl::string_view name) {
  for (VexStatus status : {VexStatus::kNotAffected, VexStatus::kAffected, VexStatus::kFixed,
                           VexStatus::kUnderInvestigation}) {
    if (VexStatusName(status) == name) return status;
  }
  return reader.Error(at, path,
                      absl::StrCat("unknown status \"", name,
                                   "\" (expected not_affected, affected, fixed or "
                                   "under_investigation)"));
}

// A product or subcomponent: an object with @id and/or identifiers, or (v0.0.x) a string.
absl::StatusOr<VexProduct> ReadProduct(const JsonReader& reader, const core::Value& value,
                                       const std::string& path, bool allow_subcomponents) {
  VexProduct product;
  if (value.is_string()) {
    product.id = value.string_value();
    if (absl::StartsWith(product.id, "pkg:")) product.purl = product.id;
    if (product.id.empty()) return reader.Error(value, path, "empty product");
    return product;
  }
  BULWARK_ASSIGN_OR_RETURN(product.id, reader.String(value, path, "@id"));
  BULWARK_ASSIGN_OR_RETURN(const core::Value* identifiers,
                           reader.Member(value, path, "identifiers"));
  if (identifiers != nullptr) {
    std::string ids_path = absl::StrCat(path, ".identifiers");
    BULWARK_ASSIGN_OR_RETURN(product.purl, reader.String(*identifiers, ids_path, "purl"));
    BULWARK_ASSIGN_OR_RETURN(product.cpe, reader.String(*identifiers, ids_path, "cpe23"));
    if (product.cpe.empty()) {
      BULWARK_ASSIGN_OR_RETURN(product.cpe, reader.String(*identifiers, ids_path, "cpe22"));
    }
  }
  if (product.purl.empty() && absl::StartsWith(product.id, "pkg:")) product.purl = product.id;
  if (product.id.empty() && product.purl.empty() && product.cpe.empty()) {
    return reader.Error(value, path, "a product needs an @id or identifiers");
  }
  BULWARK_ASSIGN_OR_RETURN(const core::ValueList* subcomponents,
                           reader.List(value, path, "subcomponents"));
  if (subcomponents != nullptr) {
    if (!allow_subcomponents) return reader.Error(value, path, "subcomponents cannot nest");
    for (size_t i = 0; i < subcomponents->size(); ++i) {
      BULWARK_ASSIGN_OR_RETURN(
          VexProduct subcomponent,
          ReadProduct(reader, (*subcomponents)[i], absl::StrCat(path, ".subcomponents[", i, "]"),
                      /*allow_subcomponents=*/false));
      product.subcomponents.push_back(std::move(subcomponent));
    }
  }
  return product;
}

absl::StatusOr<VexStatement> ReadStatement(const JsonReader& reader, const core::Value& value,
                                           const std::string& path, absl::Time document_time) {
  VexStatement statement;
  statement.format = VexFormat::kOpenVex;
  statement.source = absl::StrCat(reader.source(), ": ", path);
  BULWARK_ASSIGN_OR_RETURN(const core::Value* vulnerability,
                           reader.Member(value, path, "vulnerability"));
  if (vulnerability == nullptr) return reader.Error(value, path, "missing \"vulnerability\"");
  std::string vulnerability_path = absl::StrCat(path, ".vulnerability");
  if (vulnerability->is_string()) {
    statement.vulnerability = vulnerability->string_value();
  } else {
    BULWARK_ASSIGN_OR_RETURN(statement.vulnerability,
                             reader.String(*vulnerability, vulnerability_path, "name"));
    BULWARK_ASSIGN_OR_RETURN(std::string id,
                             reader.String(*vulnerability, vulnerability_path, "@id"));
    if (statement.vulnerability.empty()) statement.vulnerability = id;
    BULWARK_ASSIGN_OR_RETURN(const core::ValueList* aliases,
                             reader.List(*vulnerability, vulnerability_path, "aliases"));
    if (aliases != nullptr) {
      for (size_t i = 0; i < aliases->size(); ++i) {
        if (!(*aliases)[i].is_string()) {
          return reader.Error((*aliases)[i], absl::StrCat(vulnerability_path, ".aliases[", i, "]"),
                              "expected a string");
        }
        statement.aliases.push_back((*aliases)[i].string_value());
      }
    }
  }
  if (statement.vulnerability.empty()) {
    return reader.Error(*vulnerability, vulnerability_path, "the vulnerability needs a name");
  }

  BULWARK_ASSIGN_OR_RETURN(const core::ValueList* products,
                           reader.List(value, path, "products", /*required=*/true));
  for (size_t i = 0; i < products->size(); ++i) {
    BULWARK_ASSIGN_OR_RETURN(
        VexProduct product,
        ReadProduct(reader, (*products)[i], absl::StrCat(path, ".products[", i, "]"),
                    /*allow_subcomponents=*/true));
    statement.products.push_back(std::move(product));
  }
  if (statement.products.empty()) return reader.Error(value, path, "\"products\" is empty");

  BULWARK_ASSIGN_OR_RETURN(std::string status, reader.String(value, path, "status", true));
  BULWARK_ASSIGN_OR_RETURN(statement.status, StatusFromName(reader, *value.Find("status"),
                                                            absl::StrCat(path, ".status"), status));
  BULWARK_ASSIGN_OR_RETURN(statement.justification, reader.String(value, path, "justification"));
  if (!statement.justification.empty() &&
      std::find(std::begin(kJustifications), std::end(kJustifications), statement.justification) ==
          std::end(kJustifications)) {
    return reader.Error(*value.Find("justification"), absl::StrCat(path, ".justification"),
                        absl::StrCat("unknown justification \"", statement.justification, "\""));
  }
  BULWARK_ASSIGN_OR_RETURN(statement.impact_statement,
                           reader.String(value, path, "impact_statement"));
  BULWARK_ASSIGN_OR_RETURN(statement.action_statement,
                           reader.String(value, path, "action_statement"));
  BULWARK_ASSIGN_OR_RETURN(statement.status_notes, reader.String(value, path, "status_notes"));
  if (statement.status == VexStatus::kNotAffected && statement.justification.empty() &&
      statement.impact_statement.empty()) {
    return reader.Error(value, path,
                        "a not_affected statement needs a justification or an impact_statement");
  }
  if (statement.status == VexStatus::kAffected && statement.action_statement.empty()) {
    return reader.Error(value, path, "an affected statement needs an action_statement");
  }
  BULWARK_ASSIGN_OR_RETURN(absl::Time timestamp,
                           reader.Time(value, path, "timestamp", document_time));
  BULWARK_ASSIGN_OR_RETURN(statement.timestamp,
                           reader.Time(value, path, "last_updated", timestamp));
  return statement;
}

}  // namespace

absl::StatusOr<std::vector<VexStatement>> ParseOpenVex(absl::string_view json,
                                                       absl::string_view source,
                                                       const core::Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(core::Value document, core::ParseJson(json, limits, source));
  JsonReader reader(source);
  BULWARK_ASSIGN_OR_RETURN(std::string context, reader.String(document, "$", "@context", true));
  if (!absl::StartsWith(context, "https://openvex.dev/ns")) {
    return reader.Error(*document.Find("@context"), "$.@context",
                        absl::StrCat("not an OpenVEX context: \"", context, "\""));
  }
  BULWARK_ASSIGN_OR_RETURN(std::string author, reader.String(document, "$", "author", true));
  BULWARK_ASSIGN_OR_RETURN(absl::Time document_time,
                           reader.Time(document, "$", "timestamp", absl::InfinitePast()));
  if (document_time == absl::InfinitePast()) {
    return reader.Error(document, "$", "missing \"timestamp\"");
  }
  BULWARK_ASSIGN_OR_RETURN(absl::Time updated,
                           reader.Time(document, "$", "last_updated", document_time));
  BULWARK_ASSIGN_OR_RETURN(const core::ValueList* statements,
                           reader.List(document, "$", "statements", /*required=*/true));
  std::vector<VexStatement> out;
  out.reserve(statements->size());
  for (size_t i = 0; i < statements->size(); ++i) {
    BULWARK_ASSIGN_OR_RETURN(
        VexStatement statement,
        ReadStatement(reader, (*statements)[i], absl::StrCat("statements[", i, "]"), updated));
    out.push_back(std::move(statement));
  }
  return out;
}

}  // namespace bulwark::vuln
