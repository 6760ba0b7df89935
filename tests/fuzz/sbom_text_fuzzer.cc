// The other text catalogers and OS detection on arbitrary input. The first byte picks the file:
// os-release, Python METADATA, egg-info requires.txt (markers evaluated), package.json,
// package-lock.json, yarn.lock, pnpm-lock.yaml, Cargo.lock, a gemspec, Gemfile.lock or
// composer.lock; the rest is its content.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/strings/string_view.h"
#include "bulwark/image/sbom/catalogers.h"
#include "bulwark/image/sbom/os_release.h"
#include "bulwark/tests/fuzz/sbom_checks.h"

namespace {

constexpr absl::string_view kPaths[] = {
    "usr/lib/python3/dist-packages/x-1.dist-info/METADATA",
    "usr/lib/python3.11/site-packages/x-1.egg-info/requires.txt",
    "app/node_modules/x/package.json",
    "app/package-lock.json",
    "app/yarn.lock",
    "app/pnpm-lock.yaml",
    "app/Cargo.lock",
    "usr/lib/ruby/gems/3.1.0/specifications/x-1.gemspec",
    "app/Gemfile.lock",
    "app/composer.lock",
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto* const kCatalogers =
      new std::vector<std::unique_ptr<const bulwark::sbom::Cataloger>>(
          bulwark::sbom::DefaultCatalogers());
  if (size == 0) return 0;
  const absl::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const size_t choice = data[0] % (std::size(kPaths) + 1);
  if (choice == std::size(kPaths)) {
    const bulwark::sbom::v1::OperatingSystem os = bulwark::sbom::DetectOperatingSystem(
        {{"etc/os-release", std::string(text)}, {"etc/redhat-release", std::string(text)}});
    for (const std::string& field : {os.id(), os.version_id(), os.version_codename(), os.name(),
                                     os.pretty_name(), os.cpe_name(), os.osv_ecosystem()}) {
      bulwark::sbom::fuzzing::CheckUtf8(field);
    }
    for (const std::string& like : os.id_like()) bulwark::sbom::fuzzing::CheckUtf8(like);
    return 0;
  }
  const absl::string_view path = kPaths[choice];
  for (const auto& cataloger : *kCatalogers) {
    if (cataloger->Wants(path)) bulwark::sbom::fuzzing::ParseAndCheck(*cataloger, path, text);
  }
  return 0;
}
