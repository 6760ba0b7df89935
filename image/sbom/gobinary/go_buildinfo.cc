// Locating and decoding the build info blob in ELF, PE and Mach-O executables (Go's
// src/debug/buildinfo/buildinfo.go describes where and the layout): a 32-byte header "\xff Go
// buildinf:" + pointer size + flags, then either two varint-prefixed strings (flags & 2, Go
// >= 1.18) or two pointers to Go string headers.
#include "bulwark/image/sbom/gobinary/go_buildinfo.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/core/utf8.h"
#include "bulwark/image/sbom/binfmt/bytes.h"
#include "bulwark/image/sbom/binfmt/elf.h"
#include "bulwark/image/sbom/binfmt/macho.h"
#include "bulwark/image/sbom/binfmt/pe.h"

namespace bulwark::sbom {
namespace {

using binfmt::ByteOrder;
using binfmt::ElfFile;
using binfmt::MachOFile;
using binfmt::PeFile;

constexpr absl::string_view kMagic("\xff Go buildinf:", 14);
constexpr size_t kHeaderBytes = 32;
constexpr size_t kAlign = 16;
constexpr uint64_t kSearchBytes = 64 * 1024;
constexpr uint8_t kFlagBigEndian = 1;
constexpr uint8_t kFlagInline = 2;
// Go's reader gives up on strings above 1 MiB (debug/buildinfo readString).
constexpr uint64_t kMaxStringBytes = 1 << 20;

// The modinfo string is framed by two 16-byte sentinels, the first ending with a newline check
// at len-17 (cmd/go/internal/modload.ModInfoData).
absl::string_view StripSentinels(absl::string_view modinfo) {
  if (modinfo.size() >= 33 && modinfo[modinfo.size() - 17] == '\n') {
    return modinfo.substr(16, modinfo.size() - 32);
  }
  return absl::string_view();
}

// Reads a uvarint-prefixed string from the front of `data`.
bool DecodeString(absl::string_view* data, absl::string_view* out) {
  uint64_t length = 0;
  int shift = 0;
  size_t i = 0;
  for (;; ++i) {
    if (i >= data->size() || shift > 63) return false;
    const unsigned char byte = static_cast<unsigned char>((*data)[i]);
    length |= static_cast<uint64_t>(byte & 0x7f) << shift;
    shift += 7;
    if ((byte & 0x80) == 0) break;
  }
  data->remove_prefix(i + 1);
  if (length > data->size()) return false;
  *out = data->substr(0, length);
  data->remove_prefix(length);
  return true;
}

// Bytes at a virtual address of the executable, as its format maps them.
using AddressReader = std::function<absl::StatusOr<absl::string_view>(uint64_t, uint64_t)>;

// An executable opened for the search: the bytes where the build info header is (the start of
// its data), and how to follow its pointers (the pre-1.18 format).
struct Executable {
  absl::string_view search_area;
  AddressReader read_at_address;
};

class PointerReader {
 public:
  PointerReader(const AddressReader& read_at_address, uint8_t size, ByteOrder order)
      : read_at_address_(read_at_address), size_(size), order_(order) {}

  bool Read(absl::string_view data, uint64_t offset, uint64_t* out) const {
    if (size_ == 8) return binfmt::ReadU64(data, offset, order_, out);
    uint32_t value = 0;
    if (!binfmt::ReadU32(data, offset, order_, &value)) return false;
    *out = value;
    return true;
  }

  // A Go string whose header {data pointer, length} is at virtual address `address`; "" when
  // anything is unmapped or too long (as Go's reader does).
  std::string ReadString(uint64_t address) const {
    absl::StatusOr<absl::string_view> header = read_at_address_(address, 2 * size_);
    uint64_t data_address = 0, length = 0;
    if (!header.ok() || !Read(*header, 0, &data_address) || !Read(*header, size_, &length)) {
      return "";
    }
    if (length > kMaxStringBytes) return "";
    absl::StatusOr<absl::string_view> data = read_at_address_(data_address, length);
    if (!data.ok() || data->size() < length) return "";
    return std::string(*data);
  }

 private:
  const AddressReader& read_at_address_;
  uint8_t size_;
  ByteOrder order_;
};

// ELF: the .go.buildinfo section, or else the first writable, non-executable PT_LOAD segment.
absl::StatusOr<Executable> OpenElf(absl::string_view bytes, absl::string_view source) {
  BULWARK_ASSIGN_OR_RETURN(ElfFile elf, ElfFile::Parse(bytes, source));
  Executable executable;
  if (const binfmt::ElfSection* section = elf.FindSection(".go.buildinfo")) {
    BULWARK_ASSIGN_OR_RETURN(absl::string_view data, elf.SectionData(*section));
    executable.search_area = data.substr(0, kSearchBytes);
  } else {
    bool found = false;
    for (const binfmt::ElfSegment& segment : elf.segments()) {
      if (segment.type == binfmt::kElfSegmentLoad &&
          (segment.flags & (binfmt::kElfSegmentExecute | binfmt::kElfSegmentWrite)) ==
              binfmt::kElfSegmentWrite) {
        BULWARK_ASSIGN_OR_RETURN(executable.search_area,
                                 elf.ReadAtAddress(segment.virtual_address, kSearchBytes));
        found = true;
        break;
      }
    }
    if (!found) return absl::NotFoundError("no data segment");
  }
  executable.read_at_address = [elf = std::move(elf)](uint64_t address, uint64_t size) {
    return elf.ReadAtAddress(address, size);
  };
  return executable;
}

// PE: the first section of initialised, readable and writable data (.data), as Go's
// debug/buildinfo chooses it.
absl::StatusOr<Executable> OpenPe(absl::string_view bytes, absl::string_view source) {
  BULWARK_ASSIGN_OR_RETURN(PeFile pe, PeFile::Parse(bytes, source));
  constexpr uint32_t kData =
      binfmt::kPeSectionInitializedData | binfmt::kPeSectionRead | binfmt::kPeSectionWrite;
  for (const binfmt::PeSection& section : pe.sections()) {
    if (section.virtual_address == 0 || section.raw_size == 0 ||
        (section.characteristics & ~binfmt::kPeSectionAlign32) != kData) {
      continue;
    }
    Executable executable;
    BULWARK_ASSIGN_OR_RETURN(
        executable.search_area,
        pe.ReadAtAddress(pe.image_base() + section.virtual_address,
                         std::min<uint64_t>(section.virtual_size, kSearchBytes)));
    executable.read_at_address = [pe = std::move(pe)](uint64_t address, uint64_t size) {
      return pe.ReadAtAddress(address, size);
    };
    return executable;
  }
  return absl::NotFoundError("no writable data section");
}

// Mach-O: the __go_buildinfo section, or else the first non-empty read-write segment.
absl::StatusOr<Executable> OpenMachO(absl::string_view bytes, absl::string_view source) {
  BULWARK_ASSIGN_OR_RETURN(MachOFile macho, MachOFile::Parse(bytes, source));
  uint64_t address = 0, size = 0;
  if (const binfmt::MachOSection* section = macho.FindSection("__go_buildinfo")) {
    address = section->address;
    size = section->size;
  } else {
    for (const binfmt::MachOSegment& segment : macho.segments()) {
      if (segment.address != 0 && segment.file_size != 0 &&
          segment.initial_protection == binfmt::kMachOReadWrite &&
          segment.max_protection == binfmt::kMachOReadWrite) {
        address = segment.address;
        size = segment.memory_size;
        break;
      }
    }
    if (size == 0) return absl::NotFoundError("no __go_buildinfo section or data segment");
  }
  Executable executable;
  BULWARK_ASSIGN_OR_RETURN(executable.search_area,
                           macho.ReadAtAddress(address, std::min(size, kSearchBytes)));
  executable.read_at_address = [macho = std::move(macho)](uint64_t at, uint64_t length) {
    return macho.ReadAtAddress(at, length);
  };
  return executable;
}

absl::StatusOr<Executable> OpenExecutable(absl::string_view bytes, absl::string_view source) {
  if (ElfFile::HasMagic(bytes)) return OpenElf(bytes, source);
  if (PeFile::HasMagic(bytes)) return OpenPe(bytes, source);
  if (MachOFile::HasMagic(bytes)) return OpenMachO(bytes, source);
  return absl::NotFoundError("not an ELF, PE or 64-bit Mach-O file");
}

}  // namespace

absl::StatusOr<GoBuildInfo> ReadGoBuildInfo(absl::string_view bytes, absl::string_view source) {
  absl::StatusOr<Executable> executable = OpenExecutable(bytes, source);
  if (absl::IsNotFound(executable.status())) {
    return absl::NotFoundError(
        absl::StrCat(source, ": no Go build info (", executable.status().message(), ")"));
  }
  BULWARK_RETURN_IF_ERROR(executable.status());
  absl::string_view data = executable->search_area;
  // The header is 16-byte aligned; a magic found elsewhere is data that happens to match.
  while (true) {
    size_t at = data.find(kMagic);
    if (at == absl::string_view::npos || data.size() - at < kHeaderBytes) {
      return absl::NotFoundError(absl::StrCat(source, ": no Go build info"));
    }
    if (at % kAlign == 0) {
      data.remove_prefix(at);
      break;
    }
    data.remove_prefix((at + kAlign - 1) & ~(kAlign - 1));
  }
  auto invalid = [&](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": invalid Go build info: ", what));
  };
  const uint8_t pointer_size = static_cast<uint8_t>(data[14]);
  const uint8_t flags = static_cast<uint8_t>(data[15]);
  std::string version;
  std::string modinfo;
  if ((flags & kFlagInline) != 0) {
    absl::string_view rest = data.substr(kHeaderBytes);
    absl::string_view version_view, modinfo_view;
    if (!DecodeString(&rest, &version_view) || !DecodeString(&rest, &modinfo_view)) {
      return invalid("truncated inline strings");
    }
    version = std::string(version_view);
    modinfo = std::string(modinfo_view);
  } else {
    if (pointer_size != 4 && pointer_size != 8) {
      return invalid(absl::StrCat("pointer size ", static_cast<int>(pointer_size)));
    }
    const ByteOrder order = (flags & kFlagBigEndian) != 0 ? ByteOrder::kBig : ByteOrder::kLittle;
    PointerReader pointers(executable->read_at_address, pointer_size, order);
    uint64_t version_address = 0, modinfo_address = 0;
    pointers.Read(data, 16, &version_address);
    pointers.Read(data, 16 + pointer_size, &modinfo_address);
    version = pointers.ReadString(version_address);
    modinfo = pointers.ReadString(modinfo_address);
  }
  if (version.empty()) {
    return absl::NotFoundError(absl::StrCat(source, ": Go build info without a Go version"));
  }
  BULWARK_ASSIGN_OR_RETURN(GoBuildInfo info, ParseGoModInfo(StripSentinels(modinfo), source));
  info.go_version = core::SanitizeUtf8(version);
  return info;
}

}  // namespace bulwark::sbom
