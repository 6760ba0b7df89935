// HasGoBuildIdNote / HasGoBuildId: tell Go executables apart from their first bytes: the
// ".note.go.buildid" note that cmd/link writes into a PT_NOTE segment near an ELF file's start,
// or the raw build ID at the start of the text of PE and Mach-O files.
#include <cstdint>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "bulwark/image/sbom/binfmt/bytes.h"
#include "bulwark/image/sbom/binfmt/elf.h"
#include "bulwark/image/sbom/binfmt/macho.h"
#include "bulwark/image/sbom/binfmt/pe.h"
#include "bulwark/image/sbom/gobinary/go_buildinfo.h"

namespace bulwark::sbom {
namespace {

using binfmt::ByteOrder;

constexpr uint32_t kSegmentNote = 4;   // PT_NOTE.
constexpr uint32_t kGoBuildIdTag = 4;  // ELF_NOTE_GOBUILDID_TAG in cmd/link.
constexpr absl::string_view kGoOwner("Go\0\0", 4);

uint64_t Align4(uint64_t n) { return (n + 3) & ~uint64_t{3}; }

// True when the notes in `notes` (one PT_NOTE segment's bytes) include the Go build ID.
bool NotesHaveGoBuildId(absl::string_view notes, ByteOrder order) {
  uint64_t at = 0;
  uint32_t name_size = 0, desc_size = 0, type = 0;
  while (binfmt::ReadU32(notes, at, order, &name_size) &&
         binfmt::ReadU32(notes, at + 4, order, &desc_size) &&
         binfmt::ReadU32(notes, at + 8, order, &type)) {
    absl::string_view name;
    if (!binfmt::ReadBytes(notes, at + 12, name_size, &name)) return false;
    if (type == kGoBuildIdTag && name == kGoOwner) return true;
    at += 12 + Align4(name_size) + Align4(desc_size);
  }
  return false;
}

}  // namespace

bool HasGoBuildIdNote(absl::string_view head) {
  if (!binfmt::ElfFile::HasMagic(head) || head.size() < 6) return false;
  const bool is_64bit = head[4] == 2;
  if (!is_64bit && head[4] != 1) return false;
  if (head[5] != 1 && head[5] != 2) return false;
  const ByteOrder order = head[5] == 1 ? ByteOrder::kLittle : ByteOrder::kBig;
  uint64_t table = 0;
  uint16_t entry_size = 0, entries = 0;
  if (is_64bit) {
    if (!binfmt::ReadU64(head, 0x20, order, &table) ||
        !binfmt::ReadU16(head, 0x36, order, &entry_size) ||
        !binfmt::ReadU16(head, 0x38, order, &entries)) {
      return false;
    }
  } else {
    uint32_t table32 = 0;
    if (!binfmt::ReadU32(head, 0x1c, order, &table32) ||
        !binfmt::ReadU16(head, 0x2a, order, &entry_size) ||
        !binfmt::ReadU16(head, 0x2c, order, &entries)) {
      return false;
    }
    table = table32;
  }
  for (uint64_t i = 0; i < entries; ++i) {
    const uint64_t entry = table + i * entry_size;
    uint32_t type = 0;
    uint64_t offset = 0, size = 0;
    if (!binfmt::ReadU32(head, entry, order, &type)) return false;
    if (type != kSegmentNote) continue;
    if (is_64bit) {
      if (!binfmt::ReadU64(head, entry + 8, order, &offset) ||
          !binfmt::ReadU64(head, entry + 32, order, &size)) {
        return false;
      }
    } else {
      uint32_t offset32 = 0, size32 = 0;
      if (!binfmt::ReadU32(head, entry + 4, order, &offset32) ||
          !binfmt::ReadU32(head, entry + 16, order, &size32)) {
        return false;
      }
      offset = offset32;
      size = size32;
    }
    absl::string_view notes;
    if (binfmt::ReadBytes(head, offset, size, &notes) && NotesHaveGoBuildId(notes, order)) {
      return true;
    }
  }
  return false;
}

bool HasGoBuildId(absl::string_view head) {
  if (HasGoBuildIdNote(head)) return true;
  if (!binfmt::PeFile::HasMagic(head) && !binfmt::MachOFile::HasMagic(head)) return false;
  return absl::StrContains(head, "\xff Go build ID: \"");
}

}  // namespace bulwark::sbom
