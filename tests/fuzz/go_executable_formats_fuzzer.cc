// Fuzzes the PE and Mach-O readers (bulwark/image/sbom/binfmt/pe.h, macho.h) and Go build info
// reading through them (go_buildinfo.h): headers, section tables and load commands with lying
// counts, offsets and sizes; addresses taken from the input. Results must be valid UTF-8.
#include <cstdint>
#include <cstdlib>

#include "absl/strings/string_view.h"
#include "bulwark/core/utf8.h"
#include "bulwark/image/sbom/binfmt/bytes.h"
#include "bulwark/image/sbom/binfmt/macho.h"
#include "bulwark/image/sbom/binfmt/pe.h"
#include "bulwark/image/sbom/gobinary/go_buildinfo.h"

namespace {

using bulwark::sbom::binfmt::ByteOrder;

// Reads at an address the input chooses (its last 8 bytes), and at each section's start.
template <typename File>
void ReadAddresses(const File& file, absl::string_view input) {
  uint64_t address = 0;
  if (input.size() >= 8) {
    bulwark::sbom::binfmt::ReadU64(input, input.size() - 8, ByteOrder::kLittle, &address);
  }
  auto data = file.ReadAtAddress(address, 64);
  if (data.ok() && data->size() > 64) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using bulwark::core::IsValidUtf8;
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto pe = bulwark::sbom::binfmt::PeFile::Parse(input, "fuzz"); pe.ok()) {
    ReadAddresses(*pe, input);
    for (const auto& section : pe->sections()) {
      (void)pe->ReadAtAddress(pe->image_base() + section.virtual_address, section.virtual_size);
    }
  }
  if (auto macho = bulwark::sbom::binfmt::MachOFile::Parse(input, "fuzz"); macho.ok()) {
    ReadAddresses(*macho, input);
    for (const auto& section : macho->sections()) {
      (void)macho->ReadAtAddress(section.address, section.size);
    }
  }
  (void)bulwark::sbom::HasGoBuildId(input.substr(0, 32 << 10));
  auto info = bulwark::sbom::ReadGoBuildInfo(input, "fuzz");
  if (!info.ok()) return 0;
  if (!IsValidUtf8(info->go_version) || !IsValidUtf8(info->path)) std::abort();
  for (const auto& dep : info->deps) {
    if (!IsValidUtf8(dep.path) || !IsValidUtf8(dep.version) || !IsValidUtf8(dep.sum)) std::abort();
  }
  return 0;
}
