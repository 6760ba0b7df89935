// Fuzzes cargo-auditable reading (bulwark/image/sbom/cargo/cargo_auditable.h): with first byte 0
// the rest is audit JSON, otherwise an ELF file whose .dep-v0 section is inflated and parsed.
// Every dependency index must point inside the package list.
#include <cstdint>
#include <cstdlib>

#include "absl/strings/string_view.h"
#include "bulwark/image/sbom/cargo/cargo_auditable.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  absl::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  bulwark::core::Limits limits;
  limits.max_file_bytes = 1 << 20;
  auto info = data[0] == 0 ? bulwark::sbom::ParseCargoAuditJson(input, "fuzz", limits)
                           : bulwark::sbom::ReadCargoAuditable(input, "fuzz", limits);
  if (!info.ok()) return 0;
  for (const auto& package : info->packages) {
    for (size_t index : package.dependencies) {
      if (index >= info->packages.size()) std::abort();
    }
  }
  return 0;
}
