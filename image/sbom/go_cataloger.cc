// Go: the build info the Go toolchain embeds in executables (what `go version -m` prints), read
// from ELF, PE and Mach-O files found by content: executable regular files (and *.exe) whose
// first 32 KiB hold the Go build ID, so other executables are not read beyond that.
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/utf8.h"
#include "bulwark/image/sbom/catalogers.h"
#include "bulwark/image/sbom/gobinary/go_buildinfo.h"
#include "bulwark/image/sbom/internal/executable.h"
#include "bulwark/image/sbom/internal/text.h"

namespace bulwark::sbom {
namespace {

// "go1.21.5 X:boringcrypto" -> "1.21.5", the version OSV's Go `stdlib` entries use.
std::string StdlibVersion(absl::string_view go_version) {
  absl::string_view version = go_version.substr(0, go_version.find(' '));
  absl::ConsumePrefix(&version, "go");
  return std::string(version);
}

v1::Package ModulePackage(const GoModuleVersion& module) {
  v1::Package package;
  package.set_type("golang");
  package.set_name(module.path);
  // A main module built from a checkout has no version ("(devel)"): the purl gets none.
  if (module.version != "(devel)") package.set_version(module.version);
  if (!module.sum.empty()) AddProperty(package, "go:sum", module.sum);
  return package;
}

class GoBinaryCataloger : public Cataloger {
 public:
  explicit GoBinaryCataloger(const core::Limits& limits) : limits_(limits) {}

  absl::string_view name() const override { return "go-binary"; }

  bool Wants(absl::string_view /*path*/) const override { return false; }

  // Windows executables in an image's layers often have no execute bit: ".exe" counts too.
  bool WantsToSniff(absl::string_view path, uint32_t mode, uint64_t size) const override {
    constexpr uint32_t kAnyExecuteBit = 0111;
    const bool exe =
        path.size() > 4 && absl::EqualsIgnoreCase(path.substr(path.size() - 4), ".exe");
    return internal::IsExecutableCandidate(exe ? mode | kAnyExecuteBit : mode, size, limits_);
  }
  // Go's own `go tool buildid` finds the note within the first 32 KiB.
  size_t sniff_bytes() const override { return 32 << 10; }
  bool WantsAfterSniff(absl::string_view head, uint64_t /*size*/) const override {
    return HasGoBuildId(head);
  }
  uint64_t max_file_bytes() const override { return limits_.max_file_bytes; }
  bool packages_move_between_files() const override { return false; }

  absl::StatusOr<ParsedFile> Parse(absl::string_view path,
                                   absl::string_view content) const override {
    absl::StatusOr<GoBuildInfo> info = ReadGoBuildInfo(content, path);
    if (absl::IsNotFound(info.status())) return ParsedFile();  // Not a Go executable.
    if (!info.ok()) return info.status();
    ParsedFile parsed;
    PackageRelations main_relations;
    if (info->main.has_value() && !info->main->path.empty()) {
      v1::Package& main = parsed.packages.emplace_back(ModulePackage(*info->main));
      AddProperty(main, "go:main", "true");
      AddProperty(main, "go:path", core::SanitizeUtf8(info->path));
      for (const auto& [key, value] : info->settings) {
        AddProperty(main, absl::StrCat("go:build:", key), core::SanitizeUtf8(value));
      }
    }
    for (const GoModule& dep : info->deps) {
      // A module replaced by another module version is that version; one replaced by a local
      // directory keeps its own name and version (the closest known) and records the directory.
      const bool versioned_replacement = dep.replace.has_value() && !dep.replace->version.empty();
      v1::Package& package =
          parsed.packages.emplace_back(ModulePackage(versioned_replacement ? *dep.replace : dep));
      if (dep.replace.has_value()) {
        AddProperty(package, "go:replaces", absl::StrCat(dep.path, " ", dep.version));
        AddProperty(package, "go:replacement",
                    absl::StrCat(dep.replace->path, " ", dep.replace->version));
      }
      main_relations.requirements.push_back({package.name()});
    }
    if (!info->go_version.empty()) {
      v1::Package& stdlib = parsed.packages.emplace_back();
      stdlib.set_type("golang");
      stdlib.set_name("stdlib");
      stdlib.set_version(StdlibVersion(info->go_version));
      AddProperty(stdlib, "go:toolchain", core::SanitizeUtf8(info->go_version));
      // The executable's main package: for GOPATH builds (no main module) the only other fact.
      if (!info->path.empty()) AddProperty(stdlib, "go:path", core::SanitizeUtf8(info->path));
      main_relations.requirements.push_back({"stdlib"});
    }
    for (v1::Package& package : parsed.packages) {
      package.set_name(core::SanitizeUtf8(package.name()));
      package.set_version(core::SanitizeUtf8(package.version()));
    }
    // Every module listed is linked into the executable: the main module needs them all.
    if (!parsed.packages.empty() && FindProperty(parsed.packages[0], "go:main") == "true") {
      parsed.relations.resize(parsed.packages.size());
      parsed.relations[0] = std::move(main_relations);
    }
    return parsed;
  }

 private:
  const core::Limits limits_;
};

}  // namespace

std::unique_ptr<const Cataloger> NewGoBinaryCataloger(const core::Limits& limits) {
  return std::make_unique<GoBinaryCataloger>(limits);
}

}  // namespace bulwark::sbom
