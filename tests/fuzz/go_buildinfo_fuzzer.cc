// Fuzzes Go build info reading (bulwark/image/sbom/gobinary/go_buildinfo.h): with first byte 0
// the rest is module-info text, otherwise an ELF file (also sniffed for the Go build ID note).
// Results must be valid UTF-8.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/string_view.h"
#include "bulwark/core/utf8.h"
#include "bulwark/image/sbom/gobinary/go_buildinfo.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  using bulwark::core::IsValidUtf8;
  absl::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] != 0) bulwark::sbom::HasGoBuildIdNote(input);
  auto info = data[0] == 0 ? bulwark::sbom::ParseGoModInfo(input, "fuzz")
                           : bulwark::sbom::ReadGoBuildInfo(input, "fuzz");
  if (!info.ok()) return 0;
  if (!IsValidUtf8(info->go_version) || !IsValidUtf8(info->path)) std::abort();
  for (const auto& dep : info->deps) {
    if (!IsValidUtf8(dep.path) || !IsValidUtf8(dep.version) || !IsValidUtf8(dep.sum)) std::abort();
  }
  for (const auto& [key, value] : info->settings) {
    if (!IsValidUtf8(key) || !IsValidUtf8(value)) std::abort();
  }
  return 0;
}
