// Python distributions: .dist-info/METADATA, .egg-info/PKG-INFO and single-file .egg-info
// (core metadata, RFC 822 headers; https://packaging.python.org/specifications/core-metadata/),
// with the requirements of Requires-Dist and of egg-info requires.txt, PEP 508 markers evaluated
// for the image's Python.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "bulwark/core/utf8.h"
#include "bulwark/image/sbom/catalogers.h"
#include "bulwark/image/sbom/internal/control_file.h"
#include "bulwark/image/sbom/internal/python_marker.h"
#include "bulwark/image/sbom/internal/text.h"
#include "bulwark/image/sbom/purl.h"
#include "re2/re2.h"

namespace bulwark::sbom {
namespace {

constexpr absl::string_view kClassifierLicense = "License :: OSI Approved :: ";

// A requirement (PEP 508: "name[extras] (>=1) ; marker", or "name @ url ; marker") split into
// its PEP 503 name ("" when there is none) and its marker ("" when there is none).
struct Requirement {
  std::string name;
  std::string marker;
};

Requirement ParseRequirement(absl::string_view text) {
  static const LazyRE2 kName = {R"(\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?))"};
  static const LazyRE2 kUrl = {R"(\s*(?:\[[^\]]*\])?\s*@\s*\S*)"};
  Requirement requirement;
  std::string name;
  re2::StringPiece input(text.data(), text.size());
  if (!RE2::Consume(&input, *kName, &name)) return requirement;
  requirement.name = NormalizePythonName(name);
  RE2::Consume(&input, *kUrl);  // A URL may hold ";".
  const absl::string_view rest(input.data(), input.size());
  if (const size_t semicolon = rest.find(';'); semicolon != absl::string_view::npos) {
    requirement.marker = std::string(absl::StripAsciiWhitespace(rest.substr(semicolon + 1)));
  }
  return requirement;
}

// requires.txt of an egg-info directory, as importlib.metadata reads it: a line per requirement,
// under "[extra]", "[:marker]" or "[extra:marker]" sections that become the marker
// "(marker) and extra == \"extra\"".
std::vector<Requirement> ParseRequiresTxt(absl::string_view content) {
  std::vector<Requirement> requirements;
  std::string section;
  for (absl::string_view line : absl::StrSplit(content, absl::ByAnyChar("\r\n"))) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || absl::StartsWith(line, "#")) continue;
    if (absl::StartsWith(line, "[") && absl::EndsWith(line, "]")) {
      while (absl::ConsumePrefix(&line, "[")) {
      }
      while (absl::ConsumeSuffix(&line, "]")) {
      }
      section = std::string(line);
      continue;
    }
    const size_t colon = section.find(':');
    const absl::string_view extra = absl::string_view(section).substr(0, colon);
    absl::string_view marker =
        colon == std::string::npos ? "" : absl::string_view(section).substr(colon + 1);
    std::vector<std::string> conditions;
    if (!marker.empty()) {
      conditions.push_back(extra.empty() ? std::string(marker) : absl::StrCat("(", marker, ")"));
    }
    if (!extra.empty()) conditions.push_back(absl::StrCat("extra == \"", extra, "\""));
    Requirement requirement = ParseRequirement(line);
    if (requirement.name.empty()) continue;
    if (!conditions.empty()) {
      const std::string condition = absl::StrJoin(conditions, " and ");
      requirement.marker = requirement.marker.empty()
                               ? condition
                               : absl::StrCat(requirement.marker, "; ", condition);
    }
    requirements.push_back(std::move(requirement));
  }
  return requirements;
}

// Where a distribution is installed: the directory holding its .dist-info/.egg-info.
absl::string_view SiteDirectory(absl::string_view path) {
  const absl::string_view parent = internal::Dirname(path);
  return absl::EndsWith(parent, ".dist-info") || absl::EndsWith(parent, ".egg-info")
             ? internal::Dirname(parent)
             : parent;
}

// Adds `requirement` to `relations` as "<site directory>/<name>" (requirements resolve among the
// distributions installed next to the one that requires them), with its marker as condition.
void AddRequirement(absl::string_view site, Requirement requirement, PackageRelations& relations) {
  if (requirement.name.empty()) return;
  relations.requirements.push_back({absl::StrCat(site, "/", requirement.name)});
  relations.conditions.push_back(std::move(requirement.marker));
}

// The interpreter version a package of the image installs: "python3" (the default one) or
// "python3.11" (deb, apk, rpm), its upstream version without epoch and revision ("3.11.2").
struct InterpreterPackage {
  absl::string_view minor;  // "" for the default interpreter.
  std::string version;
};

std::optional<InterpreterPackage> AsInterpreter(const v1::Package& package) {
  static const LazyRE2 kName = {R"(python3?|python(\d+\.\d+))"};
  static const LazyRE2 kUpstream = {R"((?:\d+:)?(\d+\.\d+[0-9A-Za-z.~]*).*)"};
  if (package.type() != "deb" && package.type() != "apk" && package.type() != "rpm") {
    return std::nullopt;
  }
  re2::StringPiece minor;
  std::string upstream;
  if (!RE2::FullMatch(package.name(), *kName, &minor) ||
      !RE2::FullMatch(package.version(), *kUpstream, &upstream)) {
    return std::nullopt;
  }
  upstream.erase(std::remove(upstream.begin(), upstream.end(), '~'), upstream.end());
  return InterpreterPackage{absl::string_view(minor.data(), minor.size()), std::move(upstream)};
}

// "3.11" of "3.11.2".
std::string MinorOf(absl::string_view version) {
  std::vector<absl::string_view> parts = absl::StrSplit(version, '.');
  return parts.size() < 2 ? std::string(version) : absl::StrCat(parts[0], ".", parts[1]);
}

// uname -m (platform.machine()) of Linux on an OCI architecture and variant.
std::optional<std::string> MachineOf(absl::string_view architecture, absl::string_view variant) {
  static constexpr std::pair<absl::string_view, absl::string_view> kMachines[] = {
      {"amd64", "x86_64"},    {"arm64", "aarch64"},   {"386", "i686"},
      {"ppc64le", "ppc64le"}, {"ppc64", "ppc64"},     {"s390x", "s390x"},
      {"riscv64", "riscv64"}, {"mips64le", "mips64"}, {"loong64", "loongarch64"}};
  for (const auto& [oci, machine] : kMachines) {
    if (architecture == oci) return std::string(machine);
  }
  if (architecture == "arm") {
    if (variant == "v6") return std::string("armv6l");
    if (variant == "v5") return std::string("armv5tel");
    return std::string("armv7l");
  }
  return std::nullopt;
}

// Evaluates PEP 508 markers against CPython on Linux as the image installs it: python_version
// from the site directory ("lib/python3.11/site-packages") or, for Debian's version-less
// "python3/dist-packages", from the default interpreter's package; the full version from the
// package of that interpreter; platform_machine from the image's architecture. The kernel
// (platform_release, platform_version) is unknown, and so is whatever the image does not say;
// a requirement whose marker is unknown or malformed counts.
class PythonRequirementFilter : public RequirementFilter {
 public:
  explicit PythonRequirementFilter(const ImageEnvironment& environment)
      : machine_(MachineOf(environment.architecture, environment.variant)) {
    for (const v1::Package* package : environment.packages) {
      std::optional<InterpreterPackage> interpreter = AsInterpreter(*package);
      if (!interpreter.has_value()) continue;
      if (interpreter->minor.empty()) {
        default_version_ = interpreter->version;
      } else {
        full_versions_.try_emplace(std::string(interpreter->minor), interpreter->version);
      }
    }
    if (default_version_.empty() && full_versions_.size() == 1) {
      default_version_ = full_versions_.begin()->second;
    }
  }

  bool Applies(absl::string_view declaring_path, absl::string_view condition) const override {
    absl::StatusOr<std::optional<bool>> holds =
        internal::EvaluatePythonMarker(condition, EnvironmentFor(declaring_path));
    return !holds.ok() || !holds->has_value() || **holds;
  }

 private:
  internal::PythonEnvironment EnvironmentFor(absl::string_view declaring_path) const {
    static const LazyRE2 kVersionedDirectory = {R"(/python(\d+\.\d+)/)"};
    internal::PythonEnvironment environment = {
        .os_name = "posix",
        .sys_platform = "linux",
        .platform_system = "Linux",
        .platform_machine = machine_,
        .platform_python_implementation = "CPython",
        .implementation_name = "cpython",
    };
    std::string minor;
    if (!RE2::PartialMatch(re2::StringPiece(declaring_path.data(), declaring_path.size()),
                           *kVersionedDirectory, &minor) &&
        !default_version_.empty()) {
      minor = MinorOf(default_version_);
    }
    if (minor.empty()) return environment;
    environment.python_version = minor;
    if (auto it = full_versions_.find(minor); it != full_versions_.end()) {
      environment.python_full_version = it->second;
    } else if (!default_version_.empty() && MinorOf(default_version_) == minor) {
      environment.python_full_version = default_version_;
    }
    environment.implementation_version = environment.python_full_version;
    return environment;
  }

  std::optional<std::string> machine_;
  std::string default_version_;                                  // "" when unknown.
  absl::flat_hash_map<std::string, std::string> full_versions_;  // "3.11" -> "3.11.2".
};

class PythonCataloger : public Cataloger {
 public:
  absl::string_view name() const override { return "python"; }

  bool Wants(absl::string_view path) const override {
    return absl::EndsWith(path, ".dist-info/METADATA") ||
           absl::EndsWith(path, ".egg-info/PKG-INFO") || absl::EndsWith(path, ".egg-info") ||
           absl::EndsWith(path, ".egg-info/requires.txt");
  }

  std::unique_ptr<const RequirementFilter> NewRequirementFilter(
      const ImageEnvironment& environment) const override {
    return std::make_unique<PythonRequirementFilter>(environment);
  }

  // Each distribution is a file of its own; requirements name "<site directory>/<name>", so
  // that they resolve among the distributions installed next to it.
  DependencyScope dependency_scope() const override { return DependencyScope::kImage; }

  absl::StatusOr<ParsedFile> Parse(absl::string_view path,
                                   absl::string_view content) const override {
    const absl::string_view site = SiteDirectory(path);
    if (absl::EndsWith(path, ".egg-info/requires.txt")) {
      // Requirements of the distribution whose PKG-INFO is next to it (when it lists none).
      PackageFacts facts;
      facts.declared_by = absl::StrCat(internal::Dirname(path), "/PKG-INFO");
      for (Requirement& requirement : ParseRequiresTxt(content)) {
        AddRequirement(site, std::move(requirement), facts.relations);
      }
      ParsedFile parsed;
      parsed.facts.push_back(std::move(facts));
      return parsed;
    }
    // Only the header block matters; the description follows the first blank line.
    bool first = true;
    v1::Package package;
    PackageRelations relations;
    ParsedFile parsed;
    internal::ForEachStanza(content, [&](const internal::Stanza& headers) {
      if (!first) return;
      first = false;
      package.set_name(std::string(headers.Get("Name")));
      package.set_version(std::string(headers.Get("Version")));
      if (absl::string_view expression = headers.Get("License-Expression"); !expression.empty()) {
        package.add_licenses(core::SanitizeUtf8(expression));
      } else if (absl::string_view license = headers.Get("License");
                 !license.empty() && license.size() <= 128 && !absl::StrContains(license, '\n') &&
                 license != "UNKNOWN") {
        package.add_licenses(core::SanitizeUtf8(license));
      } else {
        for (const auto& [key, value] : headers.fields) {
          if (absl::EqualsIgnoreCase(key, "Classifier") &&
              absl::StartsWith(value, kClassifierLicense)) {
            package.add_licenses(core::SanitizeUtf8(absl::StripPrefix(value, kClassifierLicense)));
          }
        }
      }
      for (const auto& [key, value] : headers.fields) {
        if (!absl::EqualsIgnoreCase(key, "Requires-Dist")) continue;
        AddRequirement(site, ParseRequirement(value), relations);
      }
      const absl::string_view author = headers.Get("Author");
      if (!author.empty() && author.size() <= 256) {
        package.set_maintainer(core::SanitizeUtf8(author));
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
