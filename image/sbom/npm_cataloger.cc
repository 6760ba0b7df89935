// JavaScript: installed packages (node_modules/**/package.json) and the lock files of npm, yarn
// and pnpm.
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "bulwark/core/document.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/core/utf8.h"
#include "bulwark/core/value.h"
#include "bulwark/image/sbom/catalogers.h"
#include "bulwark/image/sbom/internal/json_fields.h"
#include "bulwark/image/sbom/internal/text.h"

namespace bulwark::sbom {
namespace {

using internal::Basename;
using internal::Dirname;
using internal::StringField;

v1::Package NpmPackage(std::string name, std::string version) {
  v1::Package package;
  package.set_type("npm");
  package.set_name(std::move(name));
  package.set_version(std::move(version));
  return package;
}

bool InsideNodeModules(absl::string_view path) {
  return absl::StartsWith(path, "node_modules/") || absl::StrContains(path, "/node_modules/");
}

// ---- node_modules/<name>/package.json --------------------------------------------------------

// Where Node.js looks for `name` required from the directory `dir` of an installed package
// ("app/node_modules/a"): `<ancestor>/node_modules/<name>` for `dir` and each ancestor (the
// root last), skipping ancestors that are themselves node_modules folders (Node's
// NODE_MODULES_PATHS).
std::vector<std::string> InstalledResolutionPaths(absl::string_view dir, absl::string_view name) {
  std::vector<std::string> candidates;
  while (true) {
    if (Basename(dir) != "node_modules") {
      candidates.push_back(absl::StrCat(dir, dir.empty() ? "" : "/", "node_modules/", name));
    }
    if (dir.empty()) return candidates;
    dir = Dirname(dir);
  }
}

// An installed package provides its directory and requires, from there, the names of its
// dependencies, optionalDependencies and peerDependencies (what npm installs; devDependencies
// of an installed package are not).
PackageRelations InstalledRelations(const core::Value& json, absl::string_view dir) {
  PackageRelations relations;
  relations.provides.push_back(std::string(dir));
  for (absl::string_view field : {"dependencies", "optionalDependencies", "peerDependencies"}) {
    const core::Value* names = json.Find(field);
    if (names == nullptr || !names->is_map()) continue;
    for (const core::MapEntry& required : names->map_value()) {
      if (!internal::IsPlainToken(required.key)) continue;
      relations.requirements.push_back(InstalledResolutionPaths(dir, required.key));
    }
  }
  return relations;
}

class NpmInstalledCataloger : public Cataloger {
 public:
  absl::string_view name() const override { return "npm-installed"; }

  bool Wants(absl::string_view path) const override {
    if (Basename(path) != "package.json") return false;
    const absl::string_view package_dir = Dirname(path);
    const absl::string_view parent = Dirname(package_dir);
    if (Basename(parent) == "node_modules") return true;
    return absl::StartsWith(Basename(parent), "@") && Basename(Dirname(parent)) == "node_modules";
  }

  uint64_t max_file_bytes() const override { return uint64_t{4} << 20; }

  // Every installed package is a file of its own; requirements name install directories.
  DependencyScope dependency_scope() const override { return DependencyScope::kImage; }

  absl::StatusOr<ParsedFile> Parse(absl::string_view path,
                                   absl::string_view content) const override {
    BULWARK_ASSIGN_OR_RETURN(core::Value json,
                             core::ParseJson(content, internal::DocumentLimits(), "package.json"));
    ParsedFile parsed;
    std::string name = StringField(json, "name");
    std::string version = StringField(json, "version");
    // Test fixtures and private helpers often lack a name or version: not packages.
    if (!internal::IsPlainToken(name) || !internal::IsPlainToken(version)) return parsed;
    v1::Package& package = parsed.packages.emplace_back(NpmPackage(name, version));
    for (std::string& license : internal::LicenseField(json, "license")) {
      package.add_licenses(std::move(license));
    }
    if (package.licenses().empty()) {
      for (std::string& license : internal::LicenseField(json, "licenses")) {
        package.add_licenses(std::move(license));
      }
    }
    parsed.relations.push_back(InstalledRelations(json, Dirname(path)));
    return parsed;
  }
};

// ---- package-lock.json, npm-shrinkwrap.json ----------------------------------------------------

void AddLockFlags(const core::Value& entry, v1::Package& package) {
  for (absl::string_view flag : {"dev", "optional"}) {
    const core::Value* value = entry.Find(flag);
    if (value != nullptr && value->is_bool() && value->bool_value()) {
      AddProperty(package, absl::StrCat("npm:", flag), "true");
    }
  }
}

// Where Node.js finds `name` required by the package installed at `path` ("node_modules/a/
// node_modules/b", "" for the project): its own node_modules, then each enclosing one.
std::vector<std::string> NodeResolutionPaths(absl::string_view path, absl::string_view name) {
  std::vector<std::string> candidates;
  std::string base(path);
  while (true) {
    candidates.push_back(absl::StrCat(base, base.empty() ? "" : "/", "node_modules/", name));
    if (base.empty()) return candidates;
    const size_t at = base.rfind("node_modules/");
    base.resize(at == std::string::npos || at == 0 ? 0 : at - 1);
  }
}

// The relations of the package installed at `path`: provided as its install path, requiring
// the names (keys) of the maps `fields` of `entry`, resolved the way Node.js does.
PackageRelations NodeRelations(const core::Value& entry, const std::string& path,
                               std::initializer_list<absl::string_view> fields) {
  PackageRelations relations;
  relations.provides.push_back(path);
  for (absl::string_view field : fields) {
    const core::Value* names = entry.Find(field);
    if (names == nullptr || !names->is_map()) continue;
    for (const core::MapEntry& required : names->map_value()) {
      if (!internal::IsPlainToken(required.key)) continue;
      relations.requirements.push_back(NodeResolutionPaths(path, required.key));
    }
  }
  return relations;
}

// lockfileVersion 1: "dependencies" nested by "dependencies"; "requires" names what each needs.
// `parent` is the install path of the enclosing package ("" at the top).
void AddV1Dependencies(const core::Value& dependencies, const std::string& parent,
                       ParsedFile& parsed) {
  if (!dependencies.is_map()) return;
  for (const core::MapEntry& dependency : dependencies.map_value()) {
    const std::string version = StringField(dependency.value, "version");
    const std::string path =
        absl::StrCat(parent, parent.empty() ? "" : "/", "node_modules/", dependency.key);
    if (internal::IsPlainToken(dependency.key) && internal::IsPlainToken(version) &&
        !absl::StartsWith(version, "file:")) {
      v1::Package& package =
          parsed.packages.emplace_back(NpmPackage(core::SanitizeUtf8(dependency.key), version));
      AddLockFlags(dependency.value, package);
      parsed.relations.push_back(NodeRelations(dependency.value, path, {"requires"}));
    }
    if (const core::Value* nested = dependency.value.Find("dependencies")) {
      AddV1Dependencies(*nested, path, parsed);
    }
  }
}

ParsedFile ParsePackageLock(const core::Value& json) {
  ParsedFile parsed;
  const core::Value* packages = json.Find("packages");
  if (packages == nullptr || !packages->is_map()) {
    if (const core::Value* dependencies = json.Find("dependencies")) {
      AddV1Dependencies(*dependencies, "", parsed);
    }
    return parsed;
  }
  // lockfileVersion 2 and 3: "packages" keyed by install path; "" is the project itself.
  for (const core::MapEntry& entry : packages->map_value()) {
    const size_t at = entry.key.rfind("node_modules/");
    if (entry.key.empty() || at == std::string::npos) continue;
    const core::Value* link = entry.value.Find("link");
    if (link != nullptr && link->is_bool() && link->bool_value()) continue;
    std::string name = StringField(entry.value, "name");
    if (name.empty()) name = entry.key.substr(at + std::string("node_modules/").size());
    const std::string version = StringField(entry.value, "version");
    if (!internal::IsPlainToken(name) || !internal::IsPlainToken(version)) continue;
    v1::Package& package = parsed.packages.emplace_back(NpmPackage(name, version));
    for (std::string& license : internal::LicenseField(entry.value, "license")) {
      package.add_licenses(std::move(license));
    }
    AddLockFlags(entry.value, package);
    parsed.relations.push_back(NodeRelations(
        entry.value, entry.key, {"dependencies", "optionalDependencies", "peerDependencies"}));
  }
  return parsed;
}

// ---- yarn.lock (classic and berry) -------------------------------------------------------------

// "@babel/core@^7.0.0" -> "@babel/core"; "lodash@npm:^4" -> "lodash".
std::string YarnSpecName(absl::string_view spec) {
  spec = absl::StripAsciiWhitespace(spec);
  spec = absl::StripPrefix(absl::StripSuffix(spec, "\""), "\"");
  const size_t at = spec.find('@', 1);
  return std::string(spec.substr(0, at));
}

std::string Unquote(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  return std::string(absl::StripPrefix(absl::StripSuffix(text, "\""), "\""));
}

ParsedFile ParseYarnLock(absl::string_view text) {
  ParsedFile parsed;
  // The entry being read: its name, version and relations (provided as each spec of its header,
  // "lodash@^4.17.0"; requiring "name@range" from its dependencies blocks).
  std::string name, version;
  PackageRelations relations;
  bool workspace = false;
  bool in_dependencies = false;
  auto flush = [&] {
    if (!name.empty() && !workspace && internal::IsPlainToken(name) &&
        internal::IsPlainToken(version)) {
      parsed.packages.push_back(NpmPackage(core::SanitizeUtf8(name), version));
      parsed.relations.push_back(std::move(relations));
    }
    name.clear();
    version.clear();
    relations = PackageRelations();
  };
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripSuffix(line, "\r");
    if (line.empty() || line.front() == '#') continue;
    if (line.front() != ' ') {
      flush();
      // A header: one or more specs of the same package, ending in ':'.
      const absl::string_view header = absl::StripSuffix(line, ":");
      const absl::string_view first = header.substr(0, header.find(','));
      name = header == "__metadata" ? "" : YarnSpecName(first);
      workspace = absl::StrContains(first, "@workspace:") || absl::StrContains(first, "@link:") ||
                  absl::StrContains(first, "@file:");
      for (absl::string_view spec : absl::StrSplit(header, ',', absl::SkipWhitespace())) {
        relations.provides.push_back(core::SanitizeUtf8(Unquote(spec)));
      }
      in_dependencies = false;
      continue;
    }
    absl::string_view field = absl::StripLeadingAsciiWhitespace(line);
    const size_t indent = line.size() - field.size();
    if (indent == 2) {
      in_dependencies = field == "dependencies:" || field == "optionalDependencies:";
      if (absl::ConsumePrefix(&field, "version")) {
        absl::ConsumePrefix(&field, ":");
        version = Unquote(field);
      }
      continue;
    }
    if (indent != 4 || !in_dependencies || field.empty()) continue;
    // Classic: `name "range"`; berry: `name: range` (its headers say "name@npm:range").
    const size_t split = field.find_first_of(": ", field.front() == '"' ? field.find('"', 1) : 0);
    if (split == absl::string_view::npos) continue;
    const std::string dependency = Unquote(field.substr(0, split));
    const std::string range = Unquote(absl::StripPrefix(field.substr(split), ":"));
    relations.requirements.push_back(
        {core::SanitizeUtf8(absl::StrCat(dependency, "@", range)),
         core::SanitizeUtf8(absl::StrCat(dependency, "@npm:", range))});
  }
  flush();
  return parsed;
}

// ---- pnpm-lock.yaml ----------------------------------------------------------------------------

// A "packages" key of lockfile v5 ("/name/1.0.0", "/name/1.0.0_peer@1"), v6
// ("/name@1.0.0(peer@1)") or v9 ("name@1.0.0(peer@1)") as (name, version). A v5 key ends in
// "/<version>[_<peers>]": the version starts with a digit and has no "@", and the peer suffix
// has no "/".
std::pair<std::string, std::string> PnpmKey(absl::string_view key) {
  key = absl::StripPrefix(key, "/");
  key = key.substr(0, key.find('('));
  const size_t slash = key.rfind('/');
  if (slash != absl::string_view::npos) {
    absl::string_view version = key.substr(slash + 1);
    version = version.substr(0, version.find('_'));
    if (!version.empty() && absl::ascii_isdigit(static_cast<unsigned char>(version.front())) &&
        !absl::StrContains(version, '@')) {
      return {std::string(key.substr(0, slash)), std::string(version)};
    }
  }
  const size_t at = key.rfind('@');
  if (at == absl::string_view::npos || at == 0) return {"", ""};
  return {std::string(key.substr(0, at)), std::string(key.substr(at + 1))};
}

// "name@version" of the package a pnpm dependency reference points to: `name` with `reference`
// "1.0.0", "1.0.0_peer@2" (v5), "1.0.0(peer@2)" (v6, v9), or an alias "npm:other@1.0.0" (v6),
// "/other/1.0.0" (v5), "other@1.0.0" (v9). "" for links and files.
std::string PnpmTarget(absl::string_view name, absl::string_view reference) {
  if (absl::StartsWith(reference, "link:") || absl::StartsWith(reference, "file:")) return "";
  absl::ConsumePrefix(&reference, "npm:");
  if (reference.empty()) return "";
  // Versions start with a digit; anything else names another package.
  if (!absl::ascii_isdigit(static_cast<unsigned char>(reference.front()))) {
    auto [target, version] = PnpmKey(reference);
    return target.empty() ? "" : absl::StrCat(target, "@", version);
  }
  reference = reference.substr(0, reference.find('('));
  return absl::StrCat(name, "@", reference.substr(0, reference.find('_')));
}

// Requirements of a "packages" (v5, v6) or "snapshots" (v9) entry: its dependencies and
// optionalDependencies, each the "name@version" of the entry it resolves to.
PackageRelations PnpmRequirements(const core::Value& entry) {
  PackageRelations relations;
  for (absl::string_view field : {"dependencies", "optionalDependencies"}) {
    const core::Value* dependencies = entry.Find(field);
    if (dependencies == nullptr || !dependencies->is_map()) continue;
    for (const core::MapEntry& dependency : dependencies->map_value()) {
      if (!dependency.value.is_string()) continue;
      std::string target = PnpmTarget(dependency.key, dependency.value.string_value());
      if (!target.empty()) relations.requirements.push_back({core::SanitizeUtf8(target)});
    }
  }
  return relations;
}

absl::StatusOr<ParsedFile> ParsePnpmLock(absl::string_view text) {
  BULWARK_ASSIGN_OR_RETURN(std::vector<core::Value> documents,
                           core::ParseYaml(text, internal::DocumentLimits(), "pnpm-lock.yaml"));
  ParsedFile parsed;
  if (documents.empty()) return parsed;
  const core::Value* packages = documents[0].Find("packages");
  if (packages == nullptr || !packages->is_map()) return parsed;
  // Lockfile v9 keeps dependencies apart, in "snapshots" keyed like "packages" plus a peer
  // suffix; one package may have several snapshots (one per peer set).
  const core::Value* snapshots = documents[0].Find("snapshots");
  absl::flat_hash_map<std::string, std::vector<const core::Value*>> snapshots_of;
  if (snapshots != nullptr && snapshots->is_map()) {
    for (const core::MapEntry& snapshot : snapshots->map_value()) {
      auto [name, version] = PnpmKey(snapshot.key);
      snapshots_of[absl::StrCat(name, "@", version)].push_back(&snapshot.value);
    }
  }
  for (const core::MapEntry& entry : packages->map_value()) {
    auto [name, version] = PnpmKey(entry.key);
    const std::string key = absl::StrCat(name, "@", version);
    if (const std::string explicit_name = StringField(entry.value, "name");
        !explicit_name.empty()) {
      name = explicit_name;
      if (std::string v = StringField(entry.value, "version"); !v.empty()) version = v;
    }
    if (!internal::IsPlainToken(name) || !internal::IsPlainToken(version)) continue;
    v1::Package& package =
        parsed.packages.emplace_back(NpmPackage(core::SanitizeUtf8(name), version));
    AddLockFlags(entry.value, package);
    PackageRelations relations = PnpmRequirements(entry.value);
    if (auto it = snapshots_of.find(key); it != snapshots_of.end()) {
      for (const core::Value* snapshot : it->second) {
        for (auto& requirement : PnpmRequirements(*snapshot).requirements) {
          relations.requirements.push_back(std::move(requirement));
        }
      }
    }
    relations.provides.push_back(core::SanitizeUtf8(key));
    parsed.relations.push_back(std::move(relations));
  }
  return parsed;
}

class JavaScriptLockCataloger : public Cataloger {
 public:
  absl::string_view name() const override { return "javascript-lock"; }

  bool Wants(absl::string_view path) const override {
    const absl::string_view base = Basename(path);
    if (base != "package-lock.json" && base != "npm-shrinkwrap.json" && base != "yarn.lock" &&
        base != "pnpm-lock.yaml") {
      return false;
    }
    return !InsideNodeModules(path);
  }

  absl::StatusOr<ParsedFile> Parse(absl::string_view path,
                                   absl::string_view content) const override {
    const absl::string_view base = Basename(path);
    if (base == "yarn.lock") return ParseYarnLock(content);
    if (base == "pnpm-lock.yaml") return ParsePnpmLock(content);
    BULWARK_ASSIGN_OR_RETURN(core::Value json,
                             core::ParseJson(content, internal::DocumentLimits(), base));
    return ParsePackageLock(json);
  }
};

}  // namespace

std::unique_ptr<const Cataloger> NewNpmInstalledCataloger() {
  return std::make_unique<NpmInstalledCataloger>();
}

std::unique_ptr<const Cataloger> NewJavaScriptLockCataloger() {
  return std::make_unique<JavaScriptLockCataloger>();
}

}  // namespace bulwark::sbom
