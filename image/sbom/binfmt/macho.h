// A read-only view of a 64-bit Mach-O (macOS) executable's segments and sections, from its load
// commands (LC_SEGMENT_64): enough to find a named section and the bytes at a virtual address,
// without loading or executing anything. Every offset and size is checked against the file.
// 32-bit and universal ("fat") files are not read.
//   BULWARK_ASSIGN_OR_RETURN(MachOFile macho, MachOFile::Parse(bytes, "app"));
//   if (const MachOSection* s = macho.FindSection("__go_buildinfo")) ...
// Ownership: a MachOFile borrows `bytes`, which must outlive it. Thread safety: immutable.
#ifndef BULWARK_IMAGE_SBOM_BINFMT_MACHO_H_
#define BULWARK_IMAGE_SBOM_BINFMT_MACHO_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/image/sbom/binfmt/bytes.h"

namespace bulwark::sbom::binfmt {

inline constexpr uint32_t kMachOReadWrite = 3;  // VM_PROT_READ | VM_PROT_WRITE.

struct MachOSegment {
  std::string name;  // "__TEXT", "__DATA", ...
  uint64_t address = 0;
  uint64_t memory_size = 0;
  uint64_t file_offset = 0;
  uint64_t file_size = 0;
  uint32_t max_protection = 0;
  uint32_t initial_protection = 0;
};

struct MachOSection {
  std::string segment;  // "__DATA"
  std::string name;     // "__go_buildinfo"
  uint64_t address = 0;
  uint64_t size = 0;
  uint32_t offset = 0;  // In the file.
};

class MachOFile {
 public:
  // True when `bytes` starts with the 64-bit Mach-O magic, either byte order.
  static bool HasMagic(absl::string_view bytes);

  // Reads the header and every LC_SEGMENT_64 command with its sections. Errors: InvalidArgument
  // naming `source` for a file that is not 64-bit Mach-O or whose load commands are truncated
  // or lie outside the file.
  static absl::StatusOr<MachOFile> Parse(absl::string_view bytes ABSL_ATTRIBUTE_LIFETIME_BOUND,
                                         absl::string_view source);

  const std::vector<MachOSegment>& segments() const { return segments_; }
  const std::vector<MachOSection>& sections() const { return sections_; }

  // The first section called `name` (in any segment), or nullptr.
  const MachOSection* FindSection(absl::string_view name) const;

  // Up to `size` bytes at virtual address `address` from the file-backed part of the segment
  // that holds it (not __PAGEZERO), fewer when the segment ends first. Errors: NotFound when no
  // segment maps the address, OutOfRange when the segment lies outside the file.
  absl::StatusOr<absl::string_view> ReadAtAddress(uint64_t address, uint64_t size) const;

 private:
  MachOFile() = default;

  absl::string_view bytes_;
  std::string source_;
  std::vector<MachOSegment> segments_;
  std::vector<MachOSection> sections_;
};

}  // namespace bulwark::sbom::binfmt

#endif  // BULWARK_IMAGE_SBOM_BINFMT_MACHO_H_
