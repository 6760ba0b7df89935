// Python distributions: .dist-info/METADATA, .egg-info/PKG-INFO and single-file .egg-info
// (core metadata, RFC 822 headers; https://packaging.python.org/specifications/core-metadata/).
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "bulwark/image/sbom/catalogers.h"
#include "bulwark/image/sbom/internal/control_file.h"
#include "bulwark/image/sbom/internal/text.h"
#include "bulwark/image/sbom/purl.h"
#include "re2/re2.h"

namespace bulwark::sbom {
namespace {

constexpr absl::string_view kClassifierLicense = "License :: OSI Approved :: ";

// The PEP 503 name a Requires-Dist value (PEP 508: "name[extras] (>=1) ; marker") requires, or
// "" when there is none or it is only needed for an extra ("; extra == 'socks'"), which a plain
// install leaves out. Other markers (python_version, sys_platform) are not evaluated: a
// requirement the environment excluded is usually not installed, so it links to nothing.
std::string RequiredName(absl::string_view requirement) {
  static const LazyRE2 kName = {R"(\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?))"};
  static const LazyRE2 kQuoted = {R"('[^']*'|"[^"]*")"};
  static const LazyRE2 kExtra = {R"(\bextra\b)"};
  const size_t semicolon = requirement.find(';');
  if (semicolon != absl::string_view::npos) {
    std::string marker(requirement.substr(semicolon + 1));
    RE2::GlobalReplace(&marker, *kQuoted, "''");
    if (RE2::PartialMatch(marker, *kExtra)) return "";
  }
  std::string name;
  re2::StringPiece input(requirement.data(), requirement.size());
  if (!RE2::Consume(&input, *kName, &name)) return "";
  return NormalizePythonName(name);
}

// Where a distribution is installed: the directory holding its .dist-info/.egg-info.
absl::string_view SiteDirectory(absl::string_view path) {
  const absl::string_view parent = internal::Dirname(path);
  return absl::EndsWith(parent, ".dist-info") || absl::EndsWith(parent, ".egg-info")
             ? internal::Dirname(parent)
             : parent;
}

class PythonCataloger : public Cataloger {
 public:
  absl::string_view name() const override { return "python"; }

  bool Wants(absl::string_view path) const override {
    return absl::EndsWith(path, ".dist-info/METADATA") ||
           absl::EndsWith(path, ".egg-info/PKG-INFO") || absl::EndsWith(path, ".egg-info");
  }

  // Each distribution is a file of its own; requirements name "<site directory>/<name>", so
  // that they resolve among the distributions installed next to it.
  DependencyScope dependency_scope() const override { return DependencyScope::kImage; }

  absl::StatusOr<ParsedFile> Parse(absl::string_view path,
                                   absl::string_view content) const override {
    // Only the header block matters; the description follows the first blank line.
    bool first = true;
    v1::Package package;
    PackageRelations relations;
    const absl::string_view site = SiteDirectory(path);
    ParsedFile parsed;
    internal::ForEachStanza(content, [&](const internal::Stanza& headers) {
      if (!first) return;
      first = false;
      package.set_name(std::string(headers.Get("Name")));
      package.set_version(std::string(headers.Get("Version")));
      if (absl::string_view expression = headers.Get("License-Expression"); !expression.empty()) {
        package.add_licenses(internal::SanitizeUtf8(expression));
      } else if (absl::string_view license = headers.Get("License");
                 !license.empty() && license.size() <= 128 && !absl::StrContains(license, '\n') &&
                 license != "UNKNOWN") {
        package.add_licenses(internal::SanitizeUtf8(license));
      } else {
        for (const auto& [key, value] : headers.fields) {
          if (absl::EqualsIgnoreCase(key, "Classifier") &&
              absl::StartsWith(value, kClassifierLicense)) {
            package.add_licenses(
                internal::SanitizeUtf8(absl::StripPrefix(value, kClassifierLicense)));
          }
        }
      }
      for (const auto& [key, value] : headers.fields) {
        if (!absl::EqualsIgnoreCase(key, "Requires-Dist")) continue;
        if (std::string required = RequiredName(value); !required.empty()) {
          relations.requirements.push_back({absl::StrCat(site, "/", required)});
        }
      }
      const absl::string_view author = headers.Get("Author");
      if (!author.empty() && author.size() <= 256) {
        package.set_maintainer(internal::SanitizeUtf8(author));
      }
    });
    if (!internal::IsPlainToken(package.name()) || !internal::IsPlainToken(package.version())) {
      return absl::InvalidArgumentError("no valid Name and Version headers");
    }
    package.set_type("pypi");
    relations.provides.push_back(absl::StrCat(site, "/", NormalizePythonName(package.name())));
    parsed.packages.push_back(std::move(package));
    parsed.relations.push_back(std::move(relations));
    return parsed;
  }
};

}  // namespace

std::unique_ptr<const Cataloger> NewPythonCataloger() {
  return std::make_unique<PythonCataloger>();
}

}  // namespace bulwark::sbom
