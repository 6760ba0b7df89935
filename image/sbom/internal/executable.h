// Which files the executable catalogers (Go build info, cargo-auditable) sniff.
// Thread safety: plain functions.
#ifndef BULWARK_IMAGE_SBOM_INTERNAL_EXECUTABLE_H_
#define BULWARK_IMAGE_SBOM_INTERNAL_EXECUTABLE_H_

#include <cstdint>

#include "absl/strings/string_view.h"
#include "bulwark/core/limits.h"

namespace bulwark::sbom::internal {

// The first bytes of every ELF file.
inline constexpr absl::string_view kElfMagic =
    "\x7f"
    "ELF";

// True for a regular file worth reading as an executable: some execute bit set (`mode` holds the
// permission bits), larger than an ELF header and at most limits.max_file_bytes.
inline bool IsExecutableCandidate(uint32_t mode, uint64_t size, const core::Limits& limits) {
  constexpr uint64_t kElfHeaderBytes = 64;
  return (mode & 0111) != 0 && size >= kElfHeaderBytes && size <= limits.max_file_bytes;
}

}  // namespace bulwark::sbom::internal

#endif  // BULWARK_IMAGE_SBOM_INTERNAL_EXECUTABLE_H_
