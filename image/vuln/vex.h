// VEX (Vulnerability Exploitability eXchange): OpenVEX 0.2.0, CycloneDX 1.4+ `analysis`, and CSAF
// 2.0 documents of the VEX profile, read into one statement model, and the decision whether a
// statement suppresses or annotates one finding.
//   BULWARK_ASSIGN_OR_RETURN(std::vector<VexStatement> vex, LoadVexFile("app.openvex.json"));
//   VexDecision d = EvaluateVex(vex, {"CVE-2023-1234", "GHSA-xxxx"}, "pkg:npm/express@4.17.1");
//   if (d.effect == VexEffect::kSuppress) ...  // keep the finding, marked with d.reason
// Thread safety: parsing shares no state; EvaluateVex is a pure function.
#ifndef BULWARK_IMAGE_VULN_VEX_H_
#define BULWARK_IMAGE_VULN_VEX_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "bulwark/core/limits.h"

namespace bulwark::vuln {

enum class VexFormat { kOpenVex, kCycloneDx, kCsaf };

// OpenVEX's four statuses; the other formats are mapped onto them (see ParseCycloneDxVex and
// ParseCsafVex).
enum class VexStatus { kNotAffected, kAffected, kFixed, kUnderInvestigation };

// "not_affected", "affected", "fixed" or "under_investigation".
absl::string_view VexStatusName(VexStatus status);

// One product (or component) a statement is about.
struct VexProduct {
  std::string id;    // As the document names it: OpenVEX @id, CycloneDX ref, CSAF product_id.
  std::string purl;  // "" when the document gives none.
  std::string cpe;   // "" when the document gives none.
  // OpenVEX: the components inside this product the statement is about (e.g. the packages of
  // an image); empty: the statement is about the product itself.
  std::vector<VexProduct> subcomponents;
};

struct VexStatement {
  std::string vulnerability;         // CVE-…, GHSA-…: the statement's main id.
  std::vector<std::string> aliases;  // Other ids of the same vulnerability.
  std::vector<VexProduct> products;
  VexStatus status = VexStatus::kUnderInvestigation;
  // As written in the document: OpenVEX / CSAF flag labels (vulnerable_code_not_present, …) or
  // CycloneDX justifications (code_not_present, …); "" when none.
  std::string justification;
  std::string impact_statement;  // Why not affected, in words.
  std::string action_statement;  // What to do (affected), in words.
  std::string status_notes;
  // When the statement was made (its own timestamp, else the document's); InfinitePast when
  // neither is given.
  absl::Time timestamp = absl::InfinitePast();
  VexFormat format = VexFormat::kOpenVex;
  std::string source;  // "<file>: statements[2]" — where the statement came from.
};

// Readers. `source` names the document in errors and in VexStatement::source. Errors:
// InvalidArgument "<source>:<line>:<column>: <json path>: <problem>" for a document that is not
// of the format or breaks one of its MUSTs (unknown status or justification, a not_affected
// statement without justification or impact statement, …); ResourceExhausted for core::Limits.
//
// OpenVEX v0.2.0 (and v0.0.x's string forms of `vulnerability` and `products`). A statement
// without timestamp takes the document's.
absl::StatusOr<std::vector<VexStatement>> ParseOpenVex(absl::string_view json,
                                                       absl::string_view source,
                                                       const core::Limits& limits = {});
// CycloneDX 1.4+ BOMs: one statement per vulnerabilities[] entry with an `analysis`. States map
// to statuses: not_affected and false_positive → not_affected; resolved and
// resolved_with_pedigree → fixed; exploitable → affected; in_triage → under_investigation.
// `affects[].ref` is resolved through components[].bom-ref to a purl (a ref that is itself a
// purl is used as is); `affects[].versions[]` with an exact `version` add that version to the
// purl, with status unaffected → not_affected, unknown → under_investigation; version ranges are
// skipped. `analysis.response` and `detail` become the action and impact statements.
absl::StatusOr<std::vector<VexStatement>> ParseCycloneDxVex(absl::string_view json,
                                                            absl::string_view source,
                                                            const core::Limits& limits = {});
// CSAF 2.0 documents with document.category "csaf_vex". product_status lists map to statuses
// (first_affected / known_affected / last_affected → affected, known_not_affected →
// not_affected, first_fixed / fixed → fixed, under_investigation); product ids are resolved
// through product_tree (branches, full_product_names, and relationships, which take the
// component's purl / cpe); flags give justifications, threats of category impact the impact
// statement, remediations the action statement ("vendor_fix: <details>"); product_groups are
// expanded. The timestamp is tracking.current_release_date.
absl::StatusOr<std::vector<VexStatement>> ParseCsafVex(absl::string_view json,
                                                       absl::string_view source,
                                                       const core::Limits& limits = {});

// Detects the format (OpenVEX @context, CycloneDX bomFormat, CSAF document.csaf_version) and
// parses. Errors: as the readers; InvalidArgument when the document is none of the three.
absl::StatusOr<std::vector<VexStatement>> ParseVex(absl::string_view json, absl::string_view source,
                                                   const core::Limits& limits = {});
absl::StatusOr<std::vector<VexStatement>> LoadVexFile(const std::string& path,
                                                      const core::Limits& limits = {});

enum class VexEffect {
  kNone,      // No statement is about this finding.
  kSuppress,  // not_affected or fixed: report as suppressed, with the reason.
  kAnnotate,  // affected or under_investigation: report, with the statement attached.
};

struct VexDecision {
  VexEffect effect = VexEffect::kNone;
  // The statement that decided; borrows from the `statements` passed in. Null for kNone.
  const VexStatement* statement = nullptr;
  // "not_affected (vulnerable_code_not_present): <impact> [<source>]"; "" for kNone.
  std::string reason;
};

// What the statements say about one finding: vulnerability `ids` (the finding's id and its
// aliases; compared case-insensitively with each statement's vulnerability and aliases) in the
// package `package_purl`. `context_ids` name what contains the package (the image's purl, e.g.
// "pkg:oci/app@sha256%3A…", its digest or name); they are needed only by statements whose
// products list subcomponents. Of the statements that apply, the latest by timestamp wins (on
// equal timestamps, the later one in `statements`), as OpenVEX orders statements.
//
// A product applies when its purl matches `package_purl` by OpenVEX's rules — same type,
// namespace and name (compared as the purl spec normalises them: lower-case type, and
// lower-case names for types whose names are case-insensitive, PEP 503 for pypi); a version,
// when the statement's purl has one, equal to the package's; and every qualifier of the
// statement's purl present with the same value in the package's (the package may have more).
// A product without subcomponents also applies when it matches one of `context_ids` (by purl as
// above, or by equal id or cpe): a statement about the whole image covers its packages. A
// product with subcomponents applies when a subcomponent matches `package_purl` and the product
// matches one of `context_ids` (or `context_ids` is empty: the caller does not know).
VexDecision EvaluateVex(absl::Span<const VexStatement> statements,
                        absl::Span<const std::string> ids, absl::string_view package_purl,
                        absl::Span<const std::string> context_ids = {});

}  // namespace bulwark::vuln

#endif  // BULWARK_IMAGE_VULN_VEX_H_
