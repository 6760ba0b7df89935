// Ruby: installed gems' specifications/<name>-<version>.gemspec (the Ruby code RubyGems writes,
// read for its literal assignments; nothing is evaluated) and Gemfile.lock (the GEM specs), with
// their runtime dependencies.
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "bulwark/core/utf8.h"
#include "bulwark/image/sbom/catalogers.h"
#include "bulwark/image/sbom/internal/text.h"
#include "re2/re2.h"

namespace bulwark::sbom {
namespace {

using internal::Basename;
using internal::Dirname;

v1::Package Gem(absl::string_view name, absl::string_view version) {
  v1::Package package;
  package.set_type("gem");
  package.set_name(std::string(name));
  package.set_version(std::string(version));
  return package;
}

// The names of the runtime dependencies a gemspec declares. RubyGems writes them as
// `s.add_runtime_dependency(%q<name>.freeze, [...])`, and for old RubyGems repeats every
// dependency, development ones included, as `s.add_dependency` in an `else` branch; so
// add_dependency counts only in a file that never mentions add_runtime_dependency.
std::vector<std::string> GemspecDependencies(absl::string_view text) {
  static const LazyRE2 kDependency = {
      R"((?m)^\s*\w+\.add_(runtime_)?dependency[\s(]+(?:%q<([^>\s]+)>|["']([^"'\s]+)["']))"};
  const bool runtime_only = absl::StrContains(text, "add_runtime_dependency");
  std::vector<std::string> names;
  re2::StringPiece input(text.data(), text.size());
  std::string runtime, angle, quoted;
  while (RE2::FindAndConsume(&input, *kDependency, &runtime, &angle, &quoted)) {
    if (runtime_only && runtime.empty()) continue;
    std::string& name = angle.empty() ? quoted : angle;
    if (internal::IsPlainToken(name)) names.push_back(std::move(name));
  }
  return names;
}

absl::StatusOr<ParsedFile> ParseGemspec(absl::string_view path, absl::string_view text) {
  static const LazyRE2 kName = {R"((?m)^\s*\w+\.name\s*=\s*["']([^"']+)["'])"};
  static const LazyRE2 kVersion = {R"((?m)^\s*\w+\.version\s*=\s*["']([^"']+)["'])"};
  static const LazyRE2 kLicenses = {R"((?m)^\s*\w+\.licenses?\s*=\s*\[?([^\]\n]*))"};
  static const LazyRE2 kQuoted = {R"(["']([^"']+)["'])"};
  const re2::StringPiece input(text.data(), text.size());
  std::string name, version, licenses;
  if (!RE2::PartialMatch(input, *kName, &name) || !RE2::PartialMatch(input, *kVersion, &version) ||
      !internal::IsPlainToken(name) || !internal::IsPlainToken(version)) {
    return absl::InvalidArgumentError("no literal name and version assignments");
  }
  ParsedFile parsed;
  v1::Package& package = parsed.packages.emplace_back(Gem(name, version));
  // Gems resolve among those installed in the same gem home (the parent of specifications/).
  const absl::string_view gem_home = Dirname(Dirname(path));
  PackageRelations& relations = parsed.relations.emplace_back();
  relations.provides.push_back(absl::StrCat(gem_home, "/", name));
  for (const std::string& dependency : GemspecDependencies(text)) {
    relations.requirements.push_back({absl::StrCat(gem_home, "/", dependency)});
  }
  if (RE2::PartialMatch(input, *kLicenses, &licenses)) {
    re2::StringPiece rest(licenses);
    std::string license;
    while (RE2::FindAndConsume(&rest, *kQuoted, &license)) {
      package.add_licenses(core::SanitizeUtf8(license));
    }
  }
  return parsed;
}

// The "GEM" section's "  specs:" block: "    name (version)" lines, each followed by its
// dependencies as "      name" or "      name (requirement)" lines. Names resolve within the
// file (`path`).
ParsedFile ParseGemfileLock(absl::string_view path, absl::string_view text) {
  static const LazyRE2 kSpec = {R"(^    ([^ (]+) \(([^)]+)\)$)"};
  static const LazyRE2 kDependency = {R"(^      ([^ (]+)(?: \([^)]*\))?$)"};
  ParsedFile parsed;
  bool in_gem = false, in_specs = false;
  // Whether the dependency lines being read belong to a spec that was kept.
  bool in_kept_spec = false;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripSuffix(line, "\r");
    if (!line.empty() && line.front() != ' ') {
      in_gem = line == "GEM";
      in_specs = false;
      continue;
    }
    if (!in_gem) continue;
    if (line == "  specs:") {
      in_specs = true;
      continue;
    }
    if (!in_specs) continue;
    const re2::StringPiece input(line.data(), line.size());
    std::string name, version;
    if (RE2::FullMatch(input, *kSpec, &name, &version)) {
      in_kept_spec = internal::IsPlainToken(name) && internal::IsPlainToken(version);
      if (!in_kept_spec) continue;
      parsed.packages.push_back(Gem(name, version));
      parsed.relations.emplace_back().provides.push_back(absl::StrCat(path, "/", name));
    } else if (in_kept_spec && RE2::FullMatch(input, *kDependency, &name) &&
               internal::IsPlainToken(name)) {
      parsed.relations.back().requirements.push_back({absl::StrCat(path, "/", name)});
    }
  }
  return parsed;
}

class RubyCataloger : public Cataloger {
 public:
  absl::string_view name() const override { return "ruby"; }

  bool Wants(absl::string_view path) const override {
    if (Basename(path) == "Gemfile.lock") return true;
    return absl::EndsWith(path, ".gemspec") && Basename(Dirname(path)) == "specifications";
  }

  // Gemspecs are files of their own; requirements name "<gem home or lock file>/<name>".
  DependencyScope dependency_scope() const override { return DependencyScope::kImage; }

  absl::StatusOr<ParsedFile> Parse(absl::string_view path,
                                   absl::string_view content) const override {
    if (Basename(path) == "Gemfile.lock") return ParseGemfileLock(path, content);
    return ParseGemspec(path, content);
  }
};

}  // namespace

std::unique_ptr<const Cataloger> NewRubyCataloger() { return std::make_unique<RubyCataloger>(); }

}  // namespace bulwark::sbom
