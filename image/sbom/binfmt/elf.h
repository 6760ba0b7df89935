// A read-only view of an ELF file's section and program header tables (ELF32 and ELF64, either
// byte order), enough to find a named section or the bytes at a virtual address without loading
// or executing anything. Every offset and size is checked against the file.
//   BULWARK_ASSIGN_OR_RETURN(ElfFile elf, ElfFile::Parse(bytes, "usr/bin/app"));
//   if (const ElfSection* s = elf.FindSection(".go.buildinfo")) { ... elf.SectionData(*s) ... }
// Ownership: an ElfFile borrows `bytes`, which must outlive it. Thread safety: immutable.
#ifndef BULWARK_IMAGE_SBOM_BINFMT_ELF_H_
#define BULWARK_IMAGE_SBOM_BINFMT_ELF_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/image/sbom/binfmt/bytes.h"

namespace bulwark::sbom::binfmt {

inline constexpr uint32_t kElfSectionNoBits = 8;   // SHT_NOBITS: occupies no file bytes.
inline constexpr uint32_t kElfSegmentLoad = 1;     // PT_LOAD.
inline constexpr uint32_t kElfSegmentExecute = 1;  // PF_X.
inline constexpr uint32_t kElfSegmentWrite = 2;    // PF_W.

struct ElfSection {
  std::string name;  // From the section name string table ("" when it has none).
  uint32_t type = 0;
  uint64_t address = 0;
  uint64_t offset = 0;
  uint64_t size = 0;
};

struct ElfSegment {
  uint32_t type = 0;
  uint32_t flags = 0;
  uint64_t offset = 0;
  uint64_t virtual_address = 0;
  uint64_t file_size = 0;
};

class ElfFile {
 public:
  // True when `bytes` starts with the ELF magic "\x7fELF".
  static bool HasMagic(absl::string_view bytes);

  // Reads the ELF header and both header tables. Errors: InvalidArgument naming `source` for a
  // file that is not ELF, has an unknown class or byte order, or header tables outside the file.
  // Sections whose name lies outside the string table keep an empty name.
  static absl::StatusOr<ElfFile> Parse(absl::string_view bytes ABSL_ATTRIBUTE_LIFETIME_BOUND,
                                       absl::string_view source);

  bool is_64bit() const { return is_64bit_; }
  ByteOrder byte_order() const { return byte_order_; }
  const std::vector<ElfSection>& sections() const { return sections_; }
  const std::vector<ElfSegment>& segments() const { return segments_; }

  // The first section called `name`, or nullptr.
  const ElfSection* FindSection(absl::string_view name) const;

  // The file bytes of `section` (empty for SHT_NOBITS). Errors: OutOfRange when they are not
  // all inside the file.
  absl::StatusOr<absl::string_view> SectionData(const ElfSection& section) const;

  // Up to `size` bytes starting at virtual address `address`, from the file-backed part of the
  // loadable segment that contains it (fewer when the segment ends first). Errors: NotFound when
  // no segment maps the address, OutOfRange when the segment lies outside the file.
  absl::StatusOr<absl::string_view> ReadAtAddress(uint64_t address, uint64_t size) const;

 private:
  ElfFile() = default;

  absl::string_view bytes_;
  std::string source_;
  bool is_64bit_ = true;
  ByteOrder byte_order_ = ByteOrder::kLittle;
  std::vector<ElfSection> sections_;
  std::vector<ElfSegment> segments_;
};

}  // namespace bulwark::sbom::binfmt

#endif  // BULWARK_IMAGE_SBOM_BINFMT_ELF_H_
