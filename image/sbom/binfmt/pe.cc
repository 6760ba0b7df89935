#include "bulwark/image/sbom/binfmt/pe.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/image/sbom/binfmt/bytes.h"

namespace bulwark::sbom::binfmt {
namespace {

constexpr uint64_t kDosPointer = 0x3c;  // e_lfanew: where the PE signature is.
constexpr uint64_t kCoffBytes = 20;     // The COFF file header after the signature.
constexpr uint64_t kSectionBytes = 40;  // One section table entry.
constexpr uint16_t kPe32Magic = 0x10b;
constexpr uint16_t kPe32PlusMagic = 0x20b;

}  // namespace

bool PeFile::HasMagic(absl::string_view bytes) { return absl::StartsWith(bytes, "MZ"); }

absl::StatusOr<PeFile> PeFile::Parse(absl::string_view bytes, absl::string_view source) {
  auto invalid = [&](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": invalid PE file: ", what));
  };
  if (!HasMagic(bytes)) return invalid("no MZ header");
  constexpr ByteOrder kLittle = ByteOrder::kLittle;
  uint32_t signature_at = 0;
  if (!ReadU32(bytes, kDosPointer, kLittle, &signature_at)) return invalid("truncated DOS header");
  absl::string_view signature;
  if (!ReadBytes(bytes, signature_at, 4, &signature) ||
      signature != absl::string_view("PE\0\0", 4)) {
    return invalid("no PE signature");
  }
  const uint64_t coff = uint64_t{signature_at} + 4;
  uint16_t section_count = 0, optional_size = 0, magic = 0;
  if (!ReadU16(bytes, coff + 2, kLittle, &section_count) ||
      !ReadU16(bytes, coff + 16, kLittle, &optional_size)) {
    return invalid("truncated COFF header");
  }
  const uint64_t optional = coff + kCoffBytes;
  if (!ReadU16(bytes, optional, kLittle, &magic)) return invalid("truncated optional header");
  PeFile pe;
  pe.bytes_ = bytes;
  pe.source_ = std::string(source);
  if (magic == kPe32PlusMagic) {
    pe.pe32_plus_ = true;
    if (optional_size < 32 || !ReadU64(bytes, optional + 24, kLittle, &pe.image_base_)) {
      return invalid("truncated PE32+ optional header");
    }
  } else if (magic == kPe32Magic) {
    uint32_t base = 0;
    if (optional_size < 32 || !ReadU32(bytes, optional + 28, kLittle, &base)) {
      return invalid("truncated PE32 optional header");
    }
    pe.image_base_ = base;
  } else {
    return invalid(absl::StrCat("optional header magic 0x", absl::Hex(magic)));
  }
  const uint64_t table = optional + optional_size;
  if (!InBounds(bytes, table, kSectionBytes * section_count)) {
    return invalid("section table outside the file");
  }
  pe.sections_.reserve(section_count);
  for (uint64_t i = 0; i < section_count; ++i) {
    const uint64_t at = table + i * kSectionBytes;
    PeSection section;
    absl::string_view name = bytes.substr(at, 8);
    section.name = std::string(name.substr(0, name.find('\0')));
    ReadU32(bytes, at + 8, kLittle, &section.virtual_size);
    ReadU32(bytes, at + 12, kLittle, &section.virtual_address);
    ReadU32(bytes, at + 16, kLittle, &section.raw_size);
    ReadU32(bytes, at + 20, kLittle, &section.raw_offset);
    ReadU32(bytes, at + 36, kLittle, &section.characteristics);
    pe.sections_.push_back(std::move(section));
  }
  return pe;
}

absl::StatusOr<absl::string_view> PeFile::ReadAtAddress(uint64_t address, uint64_t size) const {
  if (address >= image_base_) {
    const uint64_t relative = address - image_base_;
    for (const PeSection& section : sections_) {
      if (relative < section.virtual_address) continue;
      const uint64_t delta = relative - section.virtual_address;
      if (delta >= section.raw_size) continue;
      absl::string_view data;
      if (!ReadBytes(bytes_, section.raw_offset, section.raw_size, &data)) {
        return absl::OutOfRangeError(
            absl::StrCat(source_, ": PE section ", section.name, " lies outside the file"));
      }
      return data.substr(delta, size);
    }
  }
  return absl::NotFoundError(
      absl::StrCat(source_, ": no PE section maps address 0x", absl::Hex(address)));
}

}  // namespace bulwark::sbom::binfmt
