// Java: jar, war, ear (and their plugin kinds), with the archives nested in them, read by
// image/sbom/java. Each META-INF/maven/**/pom.properties is a package (a shaded jar has
// several); an archive without one is a package named after its manifest and file name.
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/core/utf8.h"
#include "bulwark/image/sbom/catalogers.h"
#include "bulwark/image/sbom/internal/text.h"
#include "bulwark/image/sbom/java/java_archive.h"

namespace bulwark::sbom {
namespace {

// "lib/commons-io-2.11.0.jar!/x/guava-31.1-jre.jar" -> {"guava", "31.1-jre"}: the name is
// everything before the first "-" that starts a version (a digit follows it).
std::pair<std::string, std::string> NameAndVersionFromFileName(absl::string_view path) {
  absl::string_view base = internal::Basename(path);
  base = base.substr(0, base.rfind('.'));
  for (size_t i = 0; i + 1 < base.size(); ++i) {
    if (base[i] == '-' && absl::ascii_isdigit(base[i + 1])) {
      return {std::string(base.substr(0, i)), std::string(base.substr(i + 1))};
    }
  }
  return {std::string(base), ""};
}

// The package of an archive that has no pom.properties, from its manifest and file name, or
// nullopt when neither gives a version.
std::optional<v1::Package> PackageFromManifest(const JavaArchive& archive) {
  auto [name, version] = NameAndVersionFromFileName(archive.path);
  if (archive.manifest.has_value()) {
    for (absl::string_view key : {"Implementation-Version", "Bundle-Version"}) {
      const std::string value = archive.manifest->Get(key);
      if (internal::IsPlainToken(value)) {
        version = value;
        break;
      }
    }
  }
  if (!internal::IsPlainToken(name) || !internal::IsPlainToken(version)) return std::nullopt;
  v1::Package package;
  package.set_name(name);
  package.set_version(version);
  AddProperty(package, "java:inferred", "manifest and file name");
  return package;
}

class JavaArchiveCataloger : public Cataloger {
 public:
  explicit JavaArchiveCataloger(const core::Limits& limits) : limits_(limits) {}

  absl::string_view name() const override { return "java-archive"; }

  bool Wants(absl::string_view path) const override { return IsJavaArchiveName(path); }

  uint64_t max_file_bytes() const override { return limits_.max_file_bytes; }
  bool packages_move_between_files() const override { return false; }

  absl::StatusOr<ParsedFile> Parse(absl::string_view path,
                                   absl::string_view content) const override {
    JavaArchiveOptions options;
    options.limits = limits_;
    BULWARK_ASSIGN_OR_RETURN(JavaArchiveContents contents, ReadJavaArchive(content, path, options));
    ParsedFile parsed;
    parsed.warnings = std::move(contents.warnings);
    absl::flat_hash_set<std::string> seen;  // A pom.properties repeated in one file counts once.
    for (const JavaArchive& archive : contents.archives) {
      const std::string license =
          archive.manifest.has_value() ? archive.manifest->Get("Bundle-License") : "";
      std::vector<v1::Package> found;
      for (const PomProperties& pom : archive.pom_properties) {
        const std::string name = absl::StrCat(pom.group_id, ":", pom.artifact_id);
        if (!internal::IsPlainToken(pom.group_id) || !internal::IsPlainToken(pom.artifact_id) ||
            !internal::IsPlainToken(pom.version)) {
          parsed.warnings.push_back(absl::StrCat(core::SanitizeUtf8(archive.path), "!/",
                                                 core::SanitizeUtf8(pom.path),
                                                 ": no valid groupId, artifactId and version"));
          continue;
        }
        v1::Package& package = found.emplace_back();
        package.set_name(name);
        package.set_version(pom.version);
      }
      if (archive.pom_properties.empty()) {
        if (std::optional<v1::Package> package = PackageFromManifest(archive)) {
          found.push_back(*std::move(package));
        }
      }
      for (v1::Package& package : found) {
        if (!seen.insert(absl::StrCat(package.name(), "@", package.version(), " ", archive.path))
                 .second) {
          continue;
        }
        package.set_type("maven");
        // A manifest's license is the archive's own: clear only when one package describes it.
        if (!license.empty() && found.size() == 1) {
          package.add_licenses(core::SanitizeUtf8(license));
        }
        AddProperty(package, "java:archive", absl::StrCat("/", core::SanitizeUtf8(archive.path)));
        parsed.packages.push_back(std::move(package));
      }
    }
    return parsed;
  }

 private:
  const core::Limits limits_;
};

}  // namespace

std::unique_ptr<const Cataloger> NewJavaArchiveCataloger(const core::Limits& limits) {
  return std::make_unique<JavaArchiveCataloger>(limits);
}

}  // namespace bulwark::sbom
