// Rust: the dependency tree cargo-auditable embeds in executables (ELF section .dep-v0), read
// from files found by content (executable ELF files up to 16 MiB).
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/utf8.h"
#include "bulwark/image/sbom/cargo/cargo_auditable.h"
#include "bulwark/image/sbom/catalogers.h"
#include "bulwark/image/sbom/internal/executable.h"
#include "bulwark/image/sbom/internal/text.h"

namespace bulwark::sbom {
namespace {

// How a package is named in relations: a crate can be in the tree in two versions.
std::string NameAndVersion(const CargoPackage& package) {
  return absl::StrCat(package.name, " ", package.version);
}

constexpr uint64_t kMaxSniffedBytes = uint64_t{16} << 20;

class CargoAuditableCataloger : public Cataloger {
 public:
  explicit CargoAuditableCataloger(const core::Limits& limits) : limits_(limits) {}

  absl::string_view name() const override { return "cargo-auditable"; }

  bool Wants(absl::string_view /*path*/) const override { return false; }

  // Nothing in an ELF file's first bytes tells a Rust executable apart, and the .dep-v0 section
  // is found through the section headers at its end: executables are read whole, so only up to
  // kMaxSniffedBytes (Rust command-line tools are a few MiB; this bounds memory and time).
  bool WantsToSniff(absl::string_view /*path*/, uint32_t mode, uint64_t size) const override {
    return size <= kMaxSniffedBytes && internal::IsExecutableCandidate(mode, size, limits_);
  }
  size_t sniff_bytes() const override { return internal::kElfMagic.size(); }
  bool WantsAfterSniff(absl::string_view head, uint64_t /*size*/) const override {
    return head == internal::kElfMagic;
  }
  uint64_t max_file_bytes() const override { return kMaxSniffedBytes; }
  bool packages_move_between_files() const override { return false; }

  absl::StatusOr<ParsedFile> Parse(absl::string_view path,
                                   absl::string_view content) const override {
    absl::StatusOr<CargoAuditInfo> info = ReadCargoAuditable(content, path, limits_);
    if (absl::IsNotFound(info.status())) return ParsedFile();  // No audit data.
    if (!info.ok()) return info.status();
    ParsedFile parsed;
    for (const CargoPackage& crate : info->packages) {
      if (!internal::IsPlainToken(crate.name) || !internal::IsPlainToken(crate.version)) {
        parsed.warnings.push_back(absl::StrCat("package without a valid name and version: \"",
                                               core::SanitizeUtf8(crate.name), "\"; skipped"));
        continue;
      }
      v1::Package& package = parsed.packages.emplace_back();
      package.set_type("cargo");
      package.set_name(crate.name);
      package.set_version(crate.version);
      if (!crate.source.empty()) {
        AddProperty(package, "cargo:source", core::SanitizeUtf8(crate.source));
      }
      if (crate.build_only) AddProperty(package, "cargo:kind", "build");
      if (crate.root) AddProperty(package, "cargo:root", "true");
      PackageRelations& relations = parsed.relations.emplace_back();
      relations.provides.push_back(NameAndVersion(crate));
      for (size_t dependency : crate.dependencies) {
        relations.requirements.push_back({NameAndVersion(info->packages[dependency])});
      }
    }
    return parsed;
  }

 private:
  const core::Limits limits_;
};

}  // namespace

std::unique_ptr<const Cataloger> NewCargoAuditableCataloger(const core::Limits& limits) {
  return std::make_unique<CargoAuditableCataloger>(limits);
}

}  // namespace bulwark::sbom
