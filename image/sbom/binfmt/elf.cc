#include "bulwark/image/sbom/binfmt/elf.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace bulwark::sbom::binfmt {
namespace {

// Field offsets that differ between ELF32 and ELF64 (System V gABI, chapter 4).
struct Layout {
  uint64_t ph_offset, sh_offset, ph_entry_size, ph_count, sh_entry_size, sh_count, sh_string_index;
  uint64_t min_ph_entry, min_sh_entry, header_size;
};
constexpr Layout kElf32 = {28, 32, 42, 44, 46, 48, 50, 32, 40, 52};
constexpr Layout kElf64 = {32, 40, 54, 56, 58, 60, 62, 56, 64, 64};

// Reads a word that is 4 bytes in ELF32 and 8 in ELF64.
bool ReadWord(absl::string_view data, uint64_t offset, bool is_64bit, ByteOrder order,
              uint64_t* out) {
  if (is_64bit) return ReadU64(data, offset, order, out);
  uint32_t value;
  if (!ReadU32(data, offset, order, &value)) return false;
  *out = value;
  return true;
}

}  // namespace

bool ElfFile::HasMagic(absl::string_view bytes) {
  return bytes.substr(0, 4) ==
         "\x7f"
         "ELF";
}

absl::StatusOr<ElfFile> ElfFile::Parse(absl::string_view bytes, absl::string_view source) {
  auto invalid = [&](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": invalid ELF file: ", what));
  };
  if (!HasMagic(bytes)) return invalid("no ELF magic");
  if (bytes.size() < 64) return invalid("truncated ELF header");
  ElfFile elf;
  elf.bytes_ = bytes;
  elf.source_ = std::string(source);
  switch (bytes[4]) {
    case 1:
      elf.is_64bit_ = false;
      break;
    case 2:
      elf.is_64bit_ = true;
      break;
    default:
      return invalid(absl::StrCat("unknown class ", static_cast<int>(bytes[4])));
  }
  switch (bytes[5]) {
    case 1:
      elf.byte_order_ = ByteOrder::kLittle;
      break;
    case 2:
      elf.byte_order_ = ByteOrder::kBig;
      break;
    default:
      return invalid(absl::StrCat("unknown data encoding ", static_cast<int>(bytes[5])));
  }
  const Layout& layout = elf.is_64bit_ ? kElf64 : kElf32;
  const ByteOrder order = elf.byte_order_;
  uint64_t ph_offset = 0, sh_offset = 0;
  uint16_t ph_entry = 0, ph_count = 0, sh_entry = 0, sh_count = 0, sh_strings = 0;
  if (!ReadWord(bytes, layout.ph_offset, elf.is_64bit_, order, &ph_offset) ||
      !ReadWord(bytes, layout.sh_offset, elf.is_64bit_, order, &sh_offset) ||
      !ReadU16(bytes, layout.ph_entry_size, order, &ph_entry) ||
      !ReadU16(bytes, layout.ph_count, order, &ph_count) ||
      !ReadU16(bytes, layout.sh_entry_size, order, &sh_entry) ||
      !ReadU16(bytes, layout.sh_count, order, &sh_count) ||
      !ReadU16(bytes, layout.sh_string_index, order, &sh_strings)) {
    return invalid("truncated ELF header");
  }

  if (ph_count > 0) {
    if (ph_entry < layout.min_ph_entry) return invalid("program header entries too small");
    if (!InBounds(bytes, ph_offset, uint64_t{ph_entry} * ph_count)) {
      return invalid("program header table outside the file");
    }
    for (uint64_t i = 0; i < ph_count; ++i) {
      uint64_t at = ph_offset + i * ph_entry;
      ElfSegment segment;
      bool ok = ReadU32(bytes, at, order, &segment.type);
      if (elf.is_64bit_) {
        ok = ok && ReadU32(bytes, at + 4, order, &segment.flags) &&
             ReadU64(bytes, at + 8, order, &segment.offset) &&
             ReadU64(bytes, at + 16, order, &segment.virtual_address) &&
             ReadU64(bytes, at + 32, order, &segment.file_size);
      } else {
        uint32_t offset = 0, address = 0, file_size = 0;
        ok = ok && ReadU32(bytes, at + 4, order, &offset) &&
             ReadU32(bytes, at + 8, order, &address) &&
             ReadU32(bytes, at + 16, order, &file_size) &&
             ReadU32(bytes, at + 24, order, &segment.flags);
        segment.offset = offset;
        segment.virtual_address = address;
        segment.file_size = file_size;
      }
      if (!ok) return invalid("truncated program header");
      elf.segments_.push_back(segment);
    }
  }

  if (sh_count > 0) {
    if (sh_entry < layout.min_sh_entry) return invalid("section header entries too small");
    if (!InBounds(bytes, sh_offset, uint64_t{sh_entry} * sh_count)) {
      return invalid("section header table outside the file");
    }
    std::vector<uint32_t> name_offsets;
    for (uint64_t i = 0; i < sh_count; ++i) {
      uint64_t at = sh_offset + i * sh_entry;
      ElfSection section;
      uint32_t name_offset = 0;
      bool ok =
          ReadU32(bytes, at, order, &name_offset) && ReadU32(bytes, at + 4, order, &section.type);
      if (elf.is_64bit_) {
        ok = ok && ReadU64(bytes, at + 16, order, &section.address) &&
             ReadU64(bytes, at + 24, order, &section.offset) &&
             ReadU64(bytes, at + 32, order, &section.size);
      } else {
        uint32_t address = 0, offset = 0, size = 0;
        ok = ok && ReadU32(bytes, at + 12, order, &address) &&
             ReadU32(bytes, at + 16, order, &offset) && ReadU32(bytes, at + 20, order, &size);
        section.address = address;
        section.offset = offset;
        section.size = size;
      }
      if (!ok) return invalid("truncated section header");
      name_offsets.push_back(name_offset);
      elf.sections_.push_back(std::move(section));
    }
    // Names come from the section name string table; a bad table leaves names empty.
    if (sh_strings < elf.sections_.size()) {
      const ElfSection& table = elf.sections_[sh_strings];
      absl::string_view names;
      if (table.type != kElfSectionNoBits && ReadBytes(bytes, table.offset, table.size, &names)) {
        for (size_t i = 0; i < elf.sections_.size(); ++i) {
          if (name_offsets[i] >= names.size()) continue;
          absl::string_view rest = names.substr(name_offsets[i]);
          size_t end = rest.find('\0');
          if (end != absl::string_view::npos)
            elf.sections_[i].name = std::string(rest.substr(0, end));
        }
      }
    }
  }
  return elf;
}

const ElfSection* ElfFile::FindSection(absl::string_view name) const {
  for (const ElfSection& section : sections_) {
    if (section.name == name) return &section;
  }
  return nullptr;
}

absl::StatusOr<absl::string_view> ElfFile::SectionData(const ElfSection& section) const {
  if (section.type == kElfSectionNoBits) return absl::string_view();
  absl::string_view data;
  if (!ReadBytes(bytes_, section.offset, section.size, &data)) {
    return absl::OutOfRangeError(
        absl::StrCat(source_, ": ELF section ", section.name, " lies outside the file"));
  }
  return data;
}

absl::StatusOr<absl::string_view> ElfFile::ReadAtAddress(uint64_t address, uint64_t size) const {
  for (const ElfSegment& segment : segments_) {
    if (segment.type != kElfSegmentLoad || address < segment.virtual_address) continue;
    uint64_t delta = address - segment.virtual_address;
    if (delta >= segment.file_size) continue;
    absl::string_view data;
    if (!ReadBytes(bytes_, segment.offset, segment.file_size, &data)) {
      return absl::OutOfRangeError(absl::StrCat(source_, ": ELF segment at 0x",
                                                absl::Hex(segment.virtual_address),
                                                " lies outside the file"));
    }
    return data.substr(delta, size);
  }
  return absl::NotFoundError(
      absl::StrCat(source_, ": no ELF segment maps address 0x", absl::Hex(address)));
}

}  // namespace bulwark::sbom::binfmt
