// Format detection, the shared JSON helpers, purl matching and EvaluateVex. The readers are in
// vex_openvex.cc, vex_cyclonedx.cc and vex_csaf.cc.
#include "bulwark/image/vuln/vex.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "bulwark/core/document.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/vuln/vex_internal.h"

namespace bulwark::vuln {
namespace vex_internal {

absl::Status JsonReader::Error(const core::Value& at, absl::string_view path,
                               absl::string_view what) const {
  return absl::InvalidArgumentError(
      absl::StrCat(source_, ":", at.position().ToString(), ": ", path, ": ", what));
}

absl::StatusOr<const core::Value*> JsonReader::Member(const core::Value& object,
                                                      absl::string_view path,
                                                      absl::string_view key) const {
  if (!object.is_map()) return Error(object, path, "expected an object");
  return object.Find(key);
}

absl::StatusOr<std::string> JsonReader::String(const core::Value& object, absl::string_view path,
                                               absl::string_view key, bool required) const {
  BULWARK_ASSIGN_OR_RETURN(const core::Value* value, Member(object, path, key));
  if (value == nullptr) {
    if (required) return Error(object, path, absl::StrCat("missing \"", key, "\""));
    return std::string();
  }
  if (!value->is_string()) {
    return Error(*value, absl::StrCat(path, ".", key), "expected a string");
  }
  if (required && value->string_value().empty()) {
    return Error(*value, absl::StrCat(path, ".", key), "must not be empty");
  }
  return value->string_value();
}

absl::StatusOr<const core::ValueList*> JsonReader::List(const core::Value& object,
                                                        absl::string_view path,
                                                        absl::string_view key,
                                                        bool required) const {
  BULWARK_ASSIGN_OR_RETURN(const core::Value* value, Member(object, path, key));
  if (value == nullptr) {
    if (required) return Error(object, path, absl::StrCat("missing \"", key, "\""));
    return nullptr;
  }
  if (!value->is_list()) return Error(*value, absl::StrCat(path, ".", key), "expected an array");
  return &value->list_value();
}

absl::StatusOr<absl::Time> JsonReader::Time(const core::Value& object, absl::string_view path,
                                            absl::string_view key, absl::Time fallback) const {
  BULWARK_ASSIGN_OR_RETURN(std::string text, String(object, path, key));
  if (text.empty()) return fallback;
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &time, &error)) {
    return Error(*object.Find(key), absl::StrCat(path, ".", key),
                 absl::StrCat("not an RFC 3339 time (", error, ")"));
  }
  return time;
}

namespace {

// A purl split into its decoded components (github.com/package-url/purl-spec).
struct Purl {
  std::string type;
  std::string namespace_;
  std::string name;
  std::string version;
  std::vector<std::pair<std::string, std::string>> qualifiers;
  std::string subpath;
};

std::optional<std::string> PercentDecode(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size() || !absl::ascii_isxdigit(text[i + 1]) ||
        !absl::ascii_isxdigit(text[i + 2])) {
      return std::nullopt;
    }
    auto hex = [](char c) {
      return absl::ascii_isdigit(c) ? c - '0' : absl::ascii_tolower(c) - 'a' + 10;
    };
    out.push_back(static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2])));
    i += 2;
  }
  return out;
}

// Types whose namespace and name the purl spec defines as case-insensitive (lower-cased).
bool HasCaseInsensitiveNames(absl::string_view type) {
  for (absl::string_view t :
       {"alpm", "apk", "bitbucket", "composer", "deb", "github", "hex", "npm", "pypi"}) {
    if (type == t) return true;
  }
  return false;
}

std::optional<Purl> ParsePurl(absl::string_view text) {
  if (!absl::ConsumePrefix(&text, "pkg:")) return std::nullopt;
  while (absl::ConsumePrefix(&text, "/")) {
  }
  Purl purl;
  if (size_t hash = text.rfind('#'); hash != absl::string_view::npos) {
    std::optional<std::string> subpath =
        PercentDecode(absl::StripPrefix(text.substr(hash + 1), "/"));
    if (!subpath) return std::nullopt;
    purl.subpath = *std::move(subpath);
    text = text.substr(0, hash);
  }
  if (size_t question = text.rfind('?'); question != absl::string_view::npos) {
    for (absl::string_view pair :
         absl::StrSplit(text.substr(question + 1), '&', absl::SkipEmpty())) {
      std::pair<absl::string_view, absl::string_view> kv =
          absl::StrSplit(pair, absl::MaxSplits('=', 1));
      std::optional<std::string> value = PercentDecode(kv.second);
      if (kv.first.empty() || !value) return std::nullopt;
      if (!value->empty()) purl.qualifiers.emplace_back(absl::AsciiStrToLower(kv.first), *value);
    }
    text = text.substr(0, question);
  }
  size_t last_slash = text.rfind('/');
  if (last_slash == absl::string_view::npos) return std::nullopt;
  if (size_t at = text.rfind('@'); at != absl::string_view::npos && at > last_slash) {
    std::optional<std::string> version = PercentDecode(text.substr(at + 1));
    if (!version) return std::nullopt;
    purl.version = *std::move(version);
    text = text.substr(0, at);
  }
  std::vector<absl::string_view> segments = absl::StrSplit(text, '/', absl::SkipEmpty());
  if (segments.size() < 2) return std::nullopt;
  purl.type = absl::AsciiStrToLower(segments.front());
  std::optional<std::string> name = PercentDecode(segments.back());
  if (!name || name->empty()) return std::nullopt;
  purl.name = *std::move(name);
  for (size_t i = 1; i + 1 < segments.size(); ++i) {
    std::optional<std::string> segment = PercentDecode(segments[i]);
    if (!segment) return std::nullopt;
    absl::StrAppend(&purl.namespace_, purl.namespace_.empty() ? "" : "/", *segment);
  }
  if (HasCaseInsensitiveNames(purl.type)) {
    absl::AsciiStrToLower(&purl.namespace_);
    absl::AsciiStrToLower(&purl.name);
  }
  if (purl.type == "pypi") {  // PEP 503: runs of "-", "_" and "." are one "-".
    std::string normalized;
    for (char c : purl.name) {
      bool separator = c == '-' || c == '_' || c == '.';
      if (!separator) {
        normalized.push_back(c);
      } else if (normalized.empty() || normalized.back() != '-') {
        normalized.push_back('-');
      }
    }
    purl.name = std::move(normalized);
  }
  return purl;
}

}  // namespace

bool PurlMatches(absl::string_view pattern, absl::string_view package) {
  std::optional<Purl> want = ParsePurl(pattern);
  std::optional<Purl> have = ParsePurl(package);
  if (!want || !have) return false;
  if (want->type != have->type || want->namespace_ != have->namespace_ ||
      want->name != have->name) {
    return false;
  }
  if (!want->version.empty() && want->version != have->version) return false;
  if (!want->subpath.empty() && want->subpath != have->subpath) return false;
  for (const auto& qualifier : want->qualifiers) {
    bool found = false;
    for (const auto& other : have->qualifiers) found = found || other == qualifier;
    if (!found) return false;
  }
  return true;
}

}  // namespace vex_internal

namespace {

using vex_internal::PurlMatches;

bool MatchesIdentifier(const VexProduct& product, absl::string_view identifier) {
  if (identifier.empty()) return false;
  if (!product.purl.empty() && PurlMatches(product.purl, identifier)) return true;
  return product.id == identifier || (!product.cpe.empty() && product.cpe == identifier) ||
         (product.purl.empty() && absl::StartsWith(product.id, "pkg:") &&
          PurlMatches(product.id, identifier));
}

bool MatchesAny(const VexProduct& product, absl::Span<const std::string> identifiers) {
  for (const std::string& identifier : identifiers) {
    if (MatchesIdentifier(product, identifier)) return true;
  }
  return false;
}

bool Applies(const VexProduct& product, absl::string_view package_purl,
             absl::Span<const std::string> context_ids) {
  if (product.subcomponents.empty()) {
    return MatchesIdentifier(product, package_purl) || MatchesAny(product, context_ids);
  }
  bool component = false;
  for (const VexProduct& subcomponent : product.subcomponents) {
    component = component || MatchesIdentifier(subcomponent, package_purl);
  }
  return component && (context_ids.empty() || MatchesAny(product, context_ids));
}

bool NamesVulnerability(const VexStatement& statement, absl::Span<const std::string> ids) {
  for (const std::string& id : ids) {
    if (absl::EqualsIgnoreCase(statement.vulnerability, id)) return true;
    for (const std::string& alias : statement.aliases) {
      if (absl::EqualsIgnoreCase(alias, id)) return true;
    }
  }
  return false;
}

std::string Reason(const VexStatement& statement) {
  std::string reason(VexStatusName(statement.status));
  if (!statement.justification.empty())
    absl::StrAppend(&reason, " (", statement.justification, ")");
  const std::string& words =
      statement.status == VexStatus::kNotAffected || statement.status == VexStatus::kFixed
          ? statement.impact_statement
          : statement.action_statement;
  if (!words.empty()) absl::StrAppend(&reason, ": ", words);
  absl::StrAppend(&reason, " [", statement.source, "]");
  return reason;
}

}  // namespace

absl::string_view VexStatusName(VexStatus status) {
  switch (status) {
    case VexStatus::kNotAffected:
      return "not_affected";
    case VexStatus::kAffected:
      return "affected";
    case VexStatus::kFixed:
      return "fixed";
    case VexStatus::kUnderInvestigation:
      return "under_investigation";
  }
  return "";
}

absl::StatusOr<std::vector<VexStatement>> ParseVex(absl::string_view json, absl::string_view source,
                                                   const core::Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(core::Value document, core::ParseJson(json, limits, source));
  if (document.is_map()) {
    const core::Value* context = document.Find("@context");
    if (context != nullptr && context->is_string() &&
        absl::StartsWith(context->string_value(), "https://openvex.dev/ns")) {
      return ParseOpenVex(json, source, limits);
    }
    if (document.Find("bomFormat") != nullptr) return ParseCycloneDxVex(json, source, limits);
    const core::Value* csaf = document.Find("document");
    if (csaf != nullptr && csaf->is_map() && csaf->Find("csaf_version") != nullptr) {
      return ParseCsafVex(json, source, limits);
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      source,
      ": not a VEX document (expected an OpenVEX @context, a CycloneDX bomFormat, or a "
      "CSAF document.csaf_version)"));
}

absl::StatusOr<std::vector<VexStatement>> LoadVexFile(const std::string& path,
                                                      const core::Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(std::string text, core::ReadFileToString(path, limits.max_file_bytes));
  return ParseVex(text, path, limits);
}

VexDecision EvaluateVex(absl::Span<const VexStatement> statements,
                        absl::Span<const std::string> ids, absl::string_view package_purl,
                        absl::Span<const std::string> context_ids) {
  const VexStatement* winner = nullptr;
  for (const VexStatement& statement : statements) {
    if (!NamesVulnerability(statement, ids)) continue;
    bool applies = false;
    for (const VexProduct& product : statement.products) {
      applies = applies || Applies(product, package_purl, context_ids);
    }
    // Later statements win; ">=" keeps the later of equal timestamps.
    if (applies && (winner == nullptr || statement.timestamp >= winner->timestamp)) {
      winner = &statement;
    }
  }
  VexDecision decision;
  if (winner == nullptr) return decision;
  decision.statement = winner;
  decision.effect = winner->status == VexStatus::kNotAffected || winner->status == VexStatus::kFixed
                        ? VexEffect::kSuppress
                        : VexEffect::kAnnotate;
  decision.reason = Reason(*winner);
  return decision;
}

}  // namespace bulwark::vuln
