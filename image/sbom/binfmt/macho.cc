#include "bulwark/image/sbom/binfmt/macho.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace bulwark::sbom::binfmt {
namespace {

constexpr uint32_t kMagic64 = 0xfeedfacf;
constexpr uint64_t kHeaderBytes = 32;   // mach_header_64.
constexpr uint32_t kSegment64 = 0x19;   // LC_SEGMENT_64.
constexpr uint64_t kSegmentBytes = 72;  // segment_command_64 without its sections.
constexpr uint64_t kSectionBytes = 80;  // section_64.

// A fixed-size, NUL-padded name field.
std::string Name(absl::string_view field) { return std::string(field.substr(0, field.find('\0'))); }

}  // namespace

bool MachOFile::HasMagic(absl::string_view bytes) {
  uint32_t magic = 0;
  return ReadU32(bytes, 0, ByteOrder::kLittle, &magic) &&
         (magic == kMagic64 || magic == __builtin_bswap32(kMagic64));
}

absl::StatusOr<MachOFile> MachOFile::Parse(absl::string_view bytes, absl::string_view source) {
  auto invalid = [&](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": invalid Mach-O file: ", what));
  };
  if (!HasMagic(bytes)) return invalid("not a 64-bit Mach-O file");
  uint32_t magic = 0;
  ReadU32(bytes, 0, ByteOrder::kLittle, &magic);
  const ByteOrder order = magic == kMagic64 ? ByteOrder::kLittle : ByteOrder::kBig;
  uint32_t command_count = 0, commands_size = 0;
  if (!ReadU32(bytes, 16, order, &command_count) || !ReadU32(bytes, 20, order, &commands_size)) {
    return invalid("truncated header");
  }
  absl::string_view commands;
  if (!ReadBytes(bytes, kHeaderBytes, commands_size, &commands)) {
    return invalid("load commands outside the file");
  }
  MachOFile file;
  file.bytes_ = bytes;
  file.source_ = std::string(source);
  uint64_t at = 0;
  for (uint32_t i = 0; i < command_count; ++i) {
    uint32_t command = 0, command_size = 0;
    if (!ReadU32(commands, at, order, &command) ||
        !ReadU32(commands, at + 4, order, &command_size)) {
      return invalid(absl::StrCat("load command ", i, " truncated"));
    }
    if (command_size < 8 || !InBounds(commands, at, command_size)) {
      return invalid(absl::StrCat("load command ", i, " has size ", command_size));
    }
    absl::string_view body = commands.substr(at, command_size);
    at += command_size;
    if (command != kSegment64) continue;
    MachOSegment segment;
    uint32_t section_count = 0;
    if (body.size() < kSegmentBytes) return invalid(absl::StrCat("segment ", i, " truncated"));
    segment.name = Name(body.substr(8, 16));
    ReadU64(body, 24, order, &segment.address);
    ReadU64(body, 32, order, &segment.memory_size);
    ReadU64(body, 40, order, &segment.file_offset);
    ReadU64(body, 48, order, &segment.file_size);
    ReadU32(body, 56, order, &segment.max_protection);
    ReadU32(body, 60, order, &segment.initial_protection);
    ReadU32(body, 64, order, &section_count);
    if (!InBounds(body, kSegmentBytes, kSectionBytes * section_count)) {
      return invalid(absl::StrCat("segment ", segment.name, ": ", section_count,
                                  " sections do not fit its load command"));
    }
    for (uint64_t j = 0; j < section_count; ++j) {
      const uint64_t entry = kSegmentBytes + j * kSectionBytes;
      MachOSection section;
      section.name = Name(body.substr(entry, 16));
      section.segment = Name(body.substr(entry + 16, 16));
      ReadU64(body, entry + 32, order, &section.address);
      ReadU64(body, entry + 40, order, &section.size);
      ReadU32(body, entry + 48, order, &section.offset);
      file.sections_.push_back(std::move(section));
    }
    file.segments_.push_back(std::move(segment));
  }
  return file;
}

const MachOSection* MachOFile::FindSection(absl::string_view name) const {
  for (const MachOSection& section : sections_) {
    if (section.name == name) return &section;
  }
  return nullptr;
}

absl::StatusOr<absl::string_view> MachOFile::ReadAtAddress(uint64_t address, uint64_t size) const {
  for (const MachOSegment& segment : segments_) {
    if (segment.name == "__PAGEZERO" || address < segment.address) continue;
    const uint64_t delta = address - segment.address;
    if (delta >= segment.file_size) continue;
    absl::string_view data;
    if (!ReadBytes(bytes_, segment.file_offset, segment.file_size, &data)) {
      return absl::OutOfRangeError(
          absl::StrCat(source_, ": Mach-O segment ", segment.name, " lies outside the file"));
    }
    return data.substr(delta, size);
  }
  return absl::NotFoundError(
      absl::StrCat(source_, ": no Mach-O segment maps address 0x", absl::Hex(address)));
}

}  // namespace bulwark::sbom::binfmt
