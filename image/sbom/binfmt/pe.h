// A read-only view of a PE (Windows) executable's section table, PE32 and PE32+: enough to find
// the first writable data section and the bytes at a virtual address, without loading or
// executing anything. Every offset and size is checked against the file.
//   BULWARK_ASSIGN_OR_RETURN(PeFile pe, PeFile::Parse(bytes, "app.exe"));
//   for (const PeSection& s : pe.sections()) if (s.name == ".data") ...
// Ownership: a PeFile borrows `bytes`, which must outlive it. Thread safety: immutable.
#ifndef BULWARK_IMAGE_SBOM_BINFMT_PE_H_
#define BULWARK_IMAGE_SBOM_BINFMT_PE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bulwark::sbom::binfmt {

inline constexpr uint32_t kPeSectionInitializedData = 0x40;  // IMAGE_SCN_CNT_INITIALIZED_DATA.
inline constexpr uint32_t kPeSectionRead = 0x40000000;       // IMAGE_SCN_MEM_READ.
inline constexpr uint32_t kPeSectionWrite = 0x80000000;      // IMAGE_SCN_MEM_WRITE.
inline constexpr uint32_t kPeSectionAlign32 = 0x600000;      // IMAGE_SCN_ALIGN_32BYTES.

struct PeSection {
  std::string name;              // The 8-byte short name without its NUL padding.
  uint32_t virtual_size = 0;     // Size in memory.
  uint32_t virtual_address = 0;  // Relative to the image base.
  uint32_t raw_size = 0;         // SizeOfRawData: bytes in the file.
  uint32_t raw_offset = 0;       // PointerToRawData.
  uint32_t characteristics = 0;
};

class PeFile {
 public:
  // True when `bytes` starts with the DOS header magic "MZ".
  static bool HasMagic(absl::string_view bytes);

  // Reads the DOS stub's pointer, the "PE\0\0" signature, the COFF header, the optional
  // header's magic and image base, and the section table. Errors: InvalidArgument naming
  // `source` for anything missing, truncated or outside the file.
  static absl::StatusOr<PeFile> Parse(absl::string_view bytes ABSL_ATTRIBUTE_LIFETIME_BOUND,
                                      absl::string_view source);

  bool is_pe32_plus() const { return pe32_plus_; }
  uint64_t image_base() const { return image_base_; }
  const std::vector<PeSection>& sections() const { return sections_; }

  // Up to `size` bytes at virtual address `address` (image base included), from the file bytes
  // of the section that holds it (fewer when the section's raw data ends first), as Go's
  // debug/buildinfo reads them. Errors: NotFound when no section maps the address, OutOfRange
  // when the section's raw data lies outside the file.
  absl::StatusOr<absl::string_view> ReadAtAddress(uint64_t address, uint64_t size) const;

 private:
  PeFile() = default;

  absl::string_view bytes_;
  std::string source_;
  bool pe32_plus_ = false;
  uint64_t image_base_ = 0;
  std::vector<PeSection> sections_;
};

}  // namespace bulwark::sbom::binfmt

#endif  // BULWARK_IMAGE_SBOM_BINFMT_PE_H_
