// dpkg's database: the status file (or distroless status.d/ files), info/*.list and copyright.
#include <string>
#include <utility>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "bulwark/core/utf8.h"
#include "bulwark/image/sbom/catalogers.h"
#include "bulwark/image/sbom/internal/control_file.h"
#include "bulwark/image/sbom/internal/text.h"
#include "re2/re2.h"

namespace bulwark::sbom {
namespace {

using internal::Basename;
using internal::Dirname;

constexpr absl::string_view kStatusFile = "var/lib/dpkg/status";
constexpr absl::string_view kStatusDir = "var/lib/dpkg/status.d";
constexpr absl::string_view kInfoDir = "var/lib/dpkg/info";
constexpr absl::string_view kDocDir = "usr/share/doc";
constexpr absl::string_view kDiversionsFile = "var/lib/dpkg/diversions";

bool IsStatusDirFile(absl::string_view path) {
  return Dirname(path) == kStatusDir && !absl::EndsWith(path, ".md5sums");
}

// "bash" or "bash (5.2-1)" from a Source: field.
void ParseSource(absl::string_view field, std::string& name, std::string& version) {
  const size_t open = field.find('(');
  name = std::string(absl::StripAsciiWhitespace(field.substr(0, open)));
  if (open == absl::string_view::npos) return;
  const size_t close = field.find(')', open);
  version = std::string(absl::StripAsciiWhitespace(field.substr(open + 1, close - open - 1)));
}

// The package names of a relation field: "libc6 (>= 2.34), debconf | debconf-2.0, python3:any"
// gives {{"libc6"}, {"debconf", "debconf-2.0"}, {"python3"}} (versions and architecture
// qualifiers dropped; dpkg resolves them against what is installed, and so does the builder).
std::vector<std::vector<std::string>> RelationNames(absl::string_view field) {
  std::vector<std::vector<std::string>> groups;
  for (absl::string_view group : absl::StrSplit(field, ',', absl::SkipWhitespace())) {
    std::vector<std::string> alternatives;
    for (absl::string_view alternative : absl::StrSplit(group, '|')) {
      alternative = absl::StripAsciiWhitespace(alternative);
      const absl::string_view name = alternative.substr(0, alternative.find_first_of(" \t(:[<"));
      if (internal::IsPlainToken(name)) alternatives.emplace_back(name);
    }
    if (!alternatives.empty()) groups.push_back(std::move(alternatives));
  }
  return groups;
}

ParsedFile ParseStatus(absl::string_view text, bool status_d) {
  ParsedFile parsed;
  internal::ForEachStanza(text, [&](const internal::Stanza& stanza) {
    for (size_t line : stanza.malformed_lines) {
      parsed.warnings.push_back(absl::StrCat("line ", line, ": not a field; ignored"));
    }
    if (stanza.fields.empty()) return;
    const absl::string_view name = stanza.Get("Package");
    if (!internal::IsPlainToken(name)) {
      parsed.warnings.push_back(
          absl::StrCat("line ", stanza.line, ": stanza without a valid Package field; skipped"));
      return;
    }
    const absl::string_view status = stanza.Get("Status");
    const absl::string_view version = stanza.Get("Version");
    // dpkg-query lists every package whose state is not "not-installed", the state of a stanza
    // without Status. Distroless status.d files are control files, usually without Status: there
    // a stanza with a Version is an installed package.
    std::vector<absl::string_view> words = absl::StrSplit(status, ' ', absl::SkipWhitespace());
    if (status.empty() ? !(status_d && !version.empty())
                       : words.size() != 3 || words[2] == "not-installed") {
      return;
    }
    if (!version.empty() && !internal::IsPlainToken(version)) {
      parsed.warnings.push_back(
          absl::StrCat("line ", stanza.line, ": package ", name, ": invalid Version; skipped"));
      return;
    }
    v1::Package& package = parsed.packages.emplace_back();
    package.set_type("deb");
    package.set_name(std::string(name));
    package.set_version(std::string(version));
    package.set_arch(core::SanitizeUtf8(stanza.Get("Architecture")));
    std::string source_name, source_version;
    ParseSource(stanza.Get("Source"), source_name, source_version);
    package.set_source_name(source_name.empty() ? package.name() : core::SanitizeUtf8(source_name));
    package.set_source_version(source_version.empty() ? package.version()
                                                      : core::SanitizeUtf8(source_version));
    package.set_maintainer(core::SanitizeUtf8(stanza.Get("Maintainer")));
    if (!status.empty()) AddProperty(package, "dpkg:status", core::SanitizeUtf8(status));
    PackageRelations& relations = parsed.relations.emplace_back();
    for (std::vector<std::string>& provided : RelationNames(stanza.Get("Provides"))) {
      relations.provides.push_back(std::move(provided.front()));
    }
    for (absl::string_view field : {"Pre-Depends", "Depends"}) {
      for (std::vector<std::string>& group : RelationNames(stanza.Get(field))) {
        relations.requirements.push_back(std::move(group));
      }
    }
  });
  return parsed;
}

ParsedFile ParseFileList(absl::string_view path, absl::string_view text) {
  absl::string_view name = absl::StripSuffix(Basename(path), ".list");
  PackageFacts facts;
  const size_t colon = name.find(':');
  facts.package_name = std::string(name.substr(0, colon));
  if (colon != absl::string_view::npos) facts.arch = std::string(name.substr(colon + 1));
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    if (line == "/." || line.front() != '/') continue;
    facts.files.push_back(core::SanitizeUtf8(line));
  }
  ParsedFile parsed;
  parsed.facts.push_back(std::move(facts));
  return parsed;
}

// Licenses of a copyright file: the License: fields of a machine-readable (DEP-5) file, and the
// /usr/share/common-licenses/<name> files any copyright file refers to.
ParsedFile ParseCopyright(absl::string_view path, absl::string_view text) {
  static const LazyRE2 kLicenseField = {R"((?m)^License:[ \t]*([^\s].*?)[ \t]*$)"};
  static const LazyRE2 kCommonLicense = {
      R"(/usr/share/common-licenses/([A-Za-z0-9][A-Za-z0-9+._-]*[A-Za-z0-9+]))"};
  absl::btree_set<std::string> seen;
  PackageFacts facts;
  facts.package_name = std::string(Basename(Dirname(path)));
  auto add = [&](absl::string_view license) {
    std::string clean = core::SanitizeUtf8(license);
    if (clean.size() > 256 || !seen.insert(clean).second) return;
    facts.licenses.push_back(std::move(clean));
  };
  re2::StringPiece input(text.data(), text.size());
  re2::StringPiece license;
  while (RE2::FindAndConsume(&input, *kLicenseField, &license)) {
    add(absl::string_view(license.data(), license.size()));
  }
  input = re2::StringPiece(text.data(), text.size());
  while (RE2::FindAndConsume(&input, *kCommonLicense, &license)) {
    add(absl::StripSuffix(absl::string_view(license.data(), license.size()), "."));
  }
  ParsedFile parsed;
  if (!facts.licenses.empty()) parsed.facts.push_back(std::move(facts));
  return parsed;
}

// var/lib/dpkg/diversions: three lines per diversion (the diverted path, where it goes, the
// package or ":" for a local one), as dpkg-divert writes them.
ParsedFile ParseDiversions(absl::string_view content) {
  ParsedFile parsed;
  std::vector<absl::string_view> lines = absl::StrSplit(content, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  for (size_t i = 0; i < lines.size(); i += 3) {
    if (i + 3 > lines.size()) {
      parsed.warnings.push_back(absl::StrCat("line ", i + 1, ": diversion without ",
                                             i + 2 == lines.size() ? "package" : "target",
                                             "; skipped"));
      break;
    }
    if (!absl::StartsWith(lines[i], "/") || !absl::StartsWith(lines[i + 1], "/") ||
        lines[i + 2].empty()) {
      parsed.warnings.push_back(
          absl::StrCat("line ", i + 1, ": not an absolute path pair and a package; skipped"));
      continue;
    }
    v1::Diversion& diversion = parsed.diversions.emplace_back();
    diversion.set_path(core::SanitizeUtf8(lines[i]));
    diversion.set_diverted_to(core::SanitizeUtf8(lines[i + 1]));
    if (lines[i + 2] != ":") diversion.set_package(core::SanitizeUtf8(lines[i + 2]));
  }
  return parsed;
}

class DpkgCataloger : public Cataloger {
 public:
  absl::string_view name() const override { return "dpkg"; }

  // Distroless images keep one status.d file per package.
  DependencyScope dependency_scope() const override { return DependencyScope::kImage; }

  bool Wants(absl::string_view path) const override {
    if (path == kStatusFile || path == kDiversionsFile || IsStatusDirFile(path)) return true;
    if (Dirname(path) == kInfoDir) return absl::EndsWith(path, ".list");
    return Basename(path) == "copyright" && Dirname(Dirname(path)) == kDocDir;
  }

  absl::StatusOr<ParsedFile> Parse(absl::string_view path,
                                   absl::string_view content) const override {
    if (path == kStatusFile) return ParseStatus(content, /*status_d=*/false);
    if (IsStatusDirFile(path)) return ParseStatus(content, /*status_d=*/true);
    if (path == kDiversionsFile) return ParseDiversions(content);
    if (absl::EndsWith(path, ".list")) return ParseFileList(path, content);
    return ParseCopyright(path, content);
  }
};

}  // namespace

std::unique_ptr<const Cataloger> NewDpkgCataloger() { return std::make_unique<DpkgCataloger>(); }

}  // namespace bulwark::sbom
