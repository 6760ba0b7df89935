#include "bulwark/image/vuln/matcher.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "bulwark/core/report.h"
#include "bulwark/core/status_macros.h"

namespace bulwark::vuln {
namespace {

struct TypeEcosystem {
  absl::string_view type;
  absl::string_view ecosystem;
};

// Language package types (purl types) and their OSV ecosystems.
constexpr TypeEcosystem kLanguageEcosystems[] = {
    {"cargo", "crates.io"}, {"composer", "Packagist"},
    {"cran", "CRAN"},       {"gem", "RubyGems"},
    {"golang", "Go"},       {"hackage", "Hackage"},
    {"maven", "Maven"},     {"npm", "npm"},
    {"nuget", "NuGet"},     {"pub", "Pub"},
    {"pypi", "PyPI"},
};

// The distributions whose OSV ecosystem each OS package type belongs to.
bool OsTypeFits(absl::string_view type, absl::string_view ecosystem) {
  absl::string_view base = ecosystem.substr(0, ecosystem.find(':'));
  if (type == "deb") return base == "Debian" || base == "Ubuntu";
  if (type == "apk") return base == "Alpine";
  if (type == "rpm") {
    return base == "AlmaLinux" || base == "Rocky Linux" || base == "Red Hat" ||
           base == "openSUSE" || base == "SUSE";
  }
  return false;
}

// A Go toolchain version as the Go vulndb writes stdlib versions: "go1.19.8" -> "1.19.8",
// "go1.21" -> "1.21.0", "go1.21rc2" -> "1.21.0-rc.2" (golang.org/x/vuln's semver conversion).
std::string GoToolchainVersion(absl::string_view version) {
  version = version.substr(0, version.find(' '));  // "go1.20.1 X:boringcrypto"
  absl::ConsumePrefix(&version, "go");
  std::string pre;
  for (absl::string_view tag : {"rc", "beta"}) {
    size_t at = version.find(tag);
    if (at != absl::string_view::npos) {
      pre = absl::StrCat("-", tag, ".", version.substr(at + tag.size()));
      version = version.substr(0, at);
    }
  }
  std::string out(version);
  if (std::count(out.begin(), out.end(), '.') == 1) out += ".0";
  return out + pre;
}

// RPM builds of a modularity stream carry "module+el8..." or "module_el8..." in the release; a
// fix built for a stream applies only to packages of a stream, and an ordinary fix only to
// ordinary packages.
bool IsModularRpm(absl::string_view version) {
  return absl::StrContains(version, "module+") || absl::StrContains(version, "module_");
}

core::v1::Severity Worse(core::v1::Severity a, core::v1::Severity b) { return a > b ? a : b; }

// True when `a` is the CVSS score to show rather than `b`: the newer CVSS version, then the
// higher score.
bool PreferCvss(const CvssScores& a, const CvssScores& b) {
  if (a.version != b.version) return a.version > b.version;
  return a.score > b.score;
}

// The severity of one finding, folded over its records' SelectSeverity results.
struct FindingSeverity {
  core::v1::Severity level = core::v1::SEVERITY_UNKNOWN;
  std::string source;
  core::v1::Severity label_level = core::v1::SEVERITY_UNKNOWN;  // From labels only.
  std::optional<CvssScores> cvss;
  std::string cvss_vector;

  void Add(const v1::Record& record, const AdvisorySeverity& severity) {
    if (severity.level > level) {
      level = severity.level;
      source = absl::StrCat(record.id(), ": ", severity.source);
    }
    if (!absl::StrContains(severity.source, "[CVSS_")) {
      label_level = Worse(label_level, severity.level);
    }
    if (severity.cvss.has_value() && (!cvss.has_value() || PreferCvss(*severity.cvss, *cvss))) {
      cvss = severity.cvss;
      cvss_vector = severity.cvss_vector;
    }
  }

  void WriteTo(v1::Finding& finding) const {
    if (level != core::v1::SEVERITY_UNKNOWN) {
      finding.set_severity(std::string(core::SeverityName(level)));
      finding.set_severity_source(source);
    }
    if (label_level != core::v1::SEVERITY_UNKNOWN) {
      finding.set_severity_label(std::string(core::SeverityName(label_level)));
    }
    if (cvss.has_value()) {
      finding.set_cvss_vector(cvss_vector);
      finding.set_cvss_version(std::string(CvssVersionName(cvss->version)));
      finding.set_cvss_score(cvss->score);
      finding.set_cvss_rating(std::string(CvssRatingName(cvss->rating)));
    }
  }
};

// The IDs a record is known by. A single upstream ID is the same vulnerability (DEBIAN-CVE-X
// from CVE-X); several (a DSA fixing many CVEs) are not merged.
std::vector<std::string> RecordIds(const v1::Record& record) {
  std::vector<std::string> ids = {record.id()};
  ids.insert(ids.end(), record.aliases().begin(), record.aliases().end());
  if (record.upstream_size() == 1) ids.push_back(record.upstream(0));
  return ids;
}

void AddUnique(google::protobuf::RepeatedPtrField<std::string>* list, const std::string& value) {
  if (std::find(list->begin(), list->end(), value) == list->end()) *list->Add() = value;
}

// Merges the matches of one package into findings: matches whose records share an ID are one.
std::vector<v1::Finding> MergeMatches(const std::vector<Database::Match>& matches) {
  std::vector<size_t> group(matches.size());
  std::iota(group.begin(), group.end(), 0);
  auto root = [&](size_t i) {
    while (group[i] != i) i = group[i] = group[group[i]];
    return i;
  };
  absl::flat_hash_map<std::string, size_t> owner;
  for (size_t i = 0; i < matches.size(); ++i) {
    for (const std::string& id : RecordIds(*matches[i].record)) {
      auto [it, inserted] = owner.emplace(id, i);
      if (!inserted) group[root(i)] = root(it->second);
    }
  }
  std::map<size_t, v1::Finding> findings;  // By the group's first match.
  std::map<size_t, FindingSeverity> severities;
  for (size_t i = 0; i < matches.size(); ++i) {
    const Database::Match& match = matches[i];
    const v1::Record& record = *match.record;
    v1::Finding& finding = findings[root(i)];
    AddUnique(finding.mutable_record_ids(), record.id());
    for (const std::string& id : RecordIds(record)) AddUnique(finding.mutable_aliases(), id);
    for (absl::string_view fixed : match.fixed) {
      AddUnique(finding.mutable_fixed_versions(), std::string(fixed));
    }
    *finding.add_evidence() = absl::StrCat(record.id(), ": ", match.evidence);
    for (const auto* list : {&record.severity(), &match.affected->severity()}) {
      for (const v1::Severity& s : *list) *finding.add_severities() = s;
    }
    if (finding.summary().empty()) finding.set_summary(record.summary());
    severities[root(i)].Add(record, SelectSeverity(record, match.affected));
  }
  std::vector<v1::Finding> out;
  for (auto& [first, finding] : findings) {
    // The reported ID: a CVE when there is one (the name every database shares), else the
    // first record's ID; the others become aliases.
    std::vector<std::string> ids(finding.aliases().begin(), finding.aliases().end());
    auto cve = std::find_if(ids.begin(), ids.end(),
                            [](const std::string& id) { return absl::StartsWith(id, "CVE-"); });
    std::string id = cve != ids.end() ? *cve : finding.record_ids(0);
    ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
    std::sort(ids.begin(), ids.end());
    finding.set_id(id);
    finding.mutable_aliases()->Assign(ids.begin(), ids.end());
    severities[first].WriteTo(finding);
    out.push_back(std::move(finding));
  }
  std::sort(out.begin(), out.end(),
            [](const v1::Finding& a, const v1::Finding& b) { return a.id() < b.id(); });
  return out;
}

}  // namespace

absl::StatusOr<PackageQuery> QueryForPackage(const sbom::v1::Package& package,
                                             const sbom::v1::OperatingSystem& os) {
  const std::string& type = package.type();
  if (type == "deb" || type == "apk" || type == "rpm") {
    if (!OsTypeFits(type, os.osv_ecosystem())) {
      return absl::NotFoundError(absl::StrCat(
          type, " package ", package.name(), ": the image's distribution (",
          os.id().empty() ? "unknown" : os.id(), ") has no OSV ecosystem for ", type, " packages"));
    }
    if (type == "rpm") return PackageQuery{os.osv_ecosystem(), package.name(), package.version()};
    return PackageQuery{
        os.osv_ecosystem(), package.source_name().empty() ? package.name() : package.source_name(),
        type == "deb" && !package.source_version().empty() ? package.source_version()
                                                           : package.version()};
  }
  for (const TypeEcosystem& row : kLanguageEcosystems) {
    if (row.type != type) continue;
    if (type == "golang" && package.name() == "stdlib") {
      return PackageQuery{"Go", "stdlib", GoToolchainVersion(package.version())};
    }
    return PackageQuery{std::string(row.ecosystem), package.name(), package.version()};
  }
  return absl::NotFoundError(absl::StrCat(type, " package ", package.name(),
                                          ": no OSV ecosystem for type \"", type, "\""));
}

namespace {

// Matches one package into `result`.
absl::Status MatchPackage(const Database& db, const sbom::v1::Package& package,
                          const sbom::v1::OperatingSystem& os, const MatchOptions& options,
                          v1::MatchResult& result) {
  auto skip = [&](std::string why) {
    result.set_packages_skipped(result.packages_skipped() + 1);
    if (static_cast<size_t>(result.warnings_size()) < options.max_warnings) {
      result.add_warnings(std::move(why));
    }
  };
  result.set_packages(result.packages() + 1);
  absl::StatusOr<PackageQuery> query = QueryForPackage(package, os);
  if (!query.ok()) {
    skip(std::string(query.status().message()));
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<Database::Match>> matches =
      db.Affected(query->ecosystem, query->name, query->version);
  if (!matches.ok()) {
    if (matches.status().code() != absl::StatusCode::kInvalidArgument) return matches.status();
    skip(absl::StrCat(package.type(), " package ", package.name(), ": ",
                      matches.status().message()));
    return absl::OkStatus();
  }
  if (package.type() == "rpm") {
    bool modular = IsModularRpm(query->version);
    matches->erase(std::remove_if(matches->begin(), matches->end(),
                                  [&](const Database::Match& m) {
                                    return std::any_of(m.fixed.begin(), m.fixed.end(),
                                                       [&](absl::string_view fixed) {
                                                         return IsModularRpm(fixed) != modular;
                                                       });
                                  }),
                   matches->end());
  }
  for (v1::Finding& finding : MergeMatches(*matches)) {
    finding.set_package_type(package.type());
    finding.set_package_name(package.name());
    finding.set_package_version(package.version());
    finding.set_purl(package.purl());
    finding.set_ecosystem(query->ecosystem);
    finding.set_matched_name(query->name);
    finding.set_matched_version(query->version);
    finding.set_layer(package.layer());
    finding.set_layer_digest(package.layer_digest());
    if (package.locations_size() > 0) finding.set_location_path(package.locations(0).path());
    *result.add_findings() = std::move(finding);
  }
  return absl::OkStatus();
}

// Matches the packages of `sbom` into `result`, leaving out OS-owned language packages unless
// the options say otherwise.
absl::Status MatchSelected(const Database& db, const sbom::v1::Sbom& sbom,
                           const MatchOptions& options, v1::MatchResult& result) {
  std::vector<std::optional<OsOwner>> owners;
  if (!options.match_os_owned_packages) owners = FindOsOwners(sbom);
  for (int i = 0; i < sbom.packages_size(); ++i) {
    const sbom::v1::Package& package = sbom.packages(i);
    if (!owners.empty() && owners[i].has_value()) {
      const sbom::v1::Package& owner = sbom.packages(owners[i]->owner);
      v1::OsOwnedPackage& owned = *result.add_os_owned();
      owned.set_package_type(package.type());
      owned.set_package_name(package.name());
      owned.set_package_version(package.version());
      owned.set_purl(package.purl());
      owned.set_path(owners[i]->path);
      owned.set_owner_type(owner.type());
      owned.set_owner_name(owner.name());
      owned.set_owner_version(owner.version());
      owned.set_owner_purl(owner.purl());
      result.set_packages(result.packages() + 1);
      continue;
    }
    BULWARK_RETURN_IF_ERROR(MatchPackage(db, package, sbom.os(), options, result));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::MatchResult> MatchPackages(const Database& db,
                                              absl::Span<const sbom::v1::Package> packages,
                                              const sbom::v1::OperatingSystem& os,
                                              const MatchOptions& options) {
  v1::MatchResult result;
  // Ownership needs installed-file lists (only OS packages have them); without any, the
  // packages are matched as given, without the copy into an Sbom that FindOsOwners reads.
  const bool ownership = !options.match_os_owned_packages &&
                         std::any_of(packages.begin(), packages.end(),
                                     [](const sbom::v1::Package& p) { return p.files_size() > 0; });
  if (ownership) {
    sbom::v1::Sbom sbom;
    *sbom.mutable_os() = os;
    sbom.mutable_packages()->Reserve(static_cast<int>(packages.size()));
    for (const sbom::v1::Package& package : packages) *sbom.add_packages() = package;
    BULWARK_RETURN_IF_ERROR(MatchSelected(db, sbom, options, result));
  } else {
    for (const sbom::v1::Package& package : packages) {
      BULWARK_RETURN_IF_ERROR(MatchPackage(db, package, os, options, result));
    }
  }
  if (!options.vex.empty()) ApplyVex(options.vex, options.vex_context_ids, result);
  return result;
}

absl::StatusOr<v1::MatchResult> MatchSbom(const Database& db, const sbom::v1::Sbom& sbom,
                                          const MatchOptions& options) {
  v1::MatchResult result;
  BULWARK_RETURN_IF_ERROR(MatchSelected(db, sbom, options, result));
  if (!options.vex.empty()) {
    ApplyVex(options.vex,
             options.vex_context_ids.empty() ? VexContextIds(sbom) : options.vex_context_ids,
             result);
  }
  return result;
}

void ApplyVex(absl::Span<const VexStatement> statements, absl::Span<const std::string> context_ids,
              v1::MatchResult& result) {
  uint64_t suppressed = 0;
  for (v1::Finding& finding : *result.mutable_findings()) {
    finding.clear_vex();
    std::vector<std::string> ids = {finding.id()};
    ids.insert(ids.end(), finding.aliases().begin(), finding.aliases().end());
    VexDecision decision = EvaluateVex(statements, ids, finding.purl(), context_ids);
    if (decision.effect == VexEffect::kNone) continue;
    const VexStatement& statement = *decision.statement;
    v1::VexAssessment& vex = *finding.mutable_vex();
    vex.set_status(std::string(VexStatusName(statement.status)));
    vex.set_justification(statement.justification);
    vex.set_suppressed(decision.effect == VexEffect::kSuppress);
    vex.set_reason(std::move(decision.reason));
    vex.set_impact_statement(statement.impact_statement);
    vex.set_action_statement(statement.action_statement);
    vex.set_statement_source(statement.source);
    if (vex.suppressed()) ++suppressed;
  }
  result.set_suppressed(suppressed);
}

std::vector<std::string> VexContextIds(const sbom::v1::Sbom& sbom) {
  std::vector<std::string> ids;
  if (!sbom.image().empty()) ids.push_back(sbom.image());
  if (sbom.manifest_digest().empty()) return ids;
  ids.push_back(sbom.manifest_digest());
  // "registry:5000/team/app:1.0@sha256:..." -> "app".
  absl::string_view name = sbom.image();
  name = name.substr(0, name.find('@'));
  size_t slash = name.rfind('/');
  if (slash != absl::string_view::npos) name = name.substr(slash + 1);
  name = name.substr(0, name.find(':'));
  if (!name.empty()) {
    ids.push_back(absl::StrCat("pkg:oci/", absl::AsciiStrToLower(name), "@",
                               absl::StrReplaceAll(sbom.manifest_digest(), {{":", "%3A"}})));
  }
  return ids;
}

v1::MatchResult WithoutSuppressed(const v1::MatchResult& result) {
  v1::MatchResult out = result;
  out.clear_findings();
  for (const v1::Finding& finding : result.findings()) {
    if (!finding.vex().suppressed()) *out.add_findings() = finding;
  }
  return out;
}

core::v1::Report FindingsToReport(const v1::MatchResult& result, absl::string_view target) {
  core::v1::Report report;
  report.set_target(std::string(target));
  for (const v1::Finding& finding : result.findings()) {
    core::v1::Finding* out = report.add_findings();
    out->set_rule_id(finding.id());
    out->set_category("vulnerability");
    out->set_target(std::string(target));
    out->set_title(finding.summary().empty()
                       ? absl::StrCat(finding.id(), " in ", finding.package_name(), " ",
                                      finding.package_version())
                       : finding.summary());
    absl::StatusOr<core::v1::Severity> severity = finding.severity().empty()
                                                      ? core::v1::SEVERITY_UNKNOWN
                                                      : core::ParseSeverity(finding.severity());
    out->set_severity(severity.ok() ? *severity : core::v1::SEVERITY_UNKNOWN);
    out->mutable_location()->set_path(finding.location_path());
    out->mutable_location()->set_layer_digest(finding.layer_digest());
    std::string fixed = finding.fixed_versions().empty()
                            ? "no fix yet"
                            : absl::StrJoin(finding.fixed_versions(), ", ");
    out->set_remediation(
        finding.fixed_versions().empty()
            ? "No fixed version is known yet."
            : absl::StrCat("Upgrade ", finding.matched_name(), " to ", fixed, "."));
    auto& properties = *out->mutable_properties();
    properties["package"] = finding.package_name();
    properties["package_type"] = finding.package_type();
    properties["installed_version"] = finding.package_version();
    properties["fixed_version"] = fixed;
    properties["ecosystem"] = finding.ecosystem();
    properties["matched"] = absl::StrCat(finding.matched_name(), " ", finding.matched_version());
    properties["aliases"] = absl::StrJoin(finding.aliases(), ", ");
    properties["evidence"] = absl::StrJoin(finding.evidence(), "; ");
    if (!finding.purl().empty()) properties["purl"] = finding.purl();
    if (!finding.severity_source().empty()) {
      properties["severity_source"] = finding.severity_source();
    }
    if (!finding.cvss_vector().empty()) {
      properties["cvss_vector"] = finding.cvss_vector();
      properties["cvss_version"] = finding.cvss_version();
      properties["cvss_score"] = absl::StrFormat("%.1f", finding.cvss_score());
    }
    if (finding.has_vex()) {
      properties["vex_status"] = finding.vex().status();
      if (!finding.vex().justification().empty()) {
        properties["vex_justification"] = finding.vex().justification();
      }
      properties["vex_reason"] = finding.vex().reason();
      properties["suppressed"] = finding.vex().suppressed() ? "true" : "false";
    }
    // Several packages share one database file: the package tells the findings apart.
    properties["match"] = absl::StrCat(finding.package_name(), "@", finding.package_version());
    out->set_fingerprint(core::FingerprintFinding(*out));
  }
  return report;
}

}  // namespace bulwark::vuln
