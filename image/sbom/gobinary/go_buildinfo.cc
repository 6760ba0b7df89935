// Locating and decoding the build info blob (Go's src/debug/buildinfo/buildinfo.go describes the
// layout): a 32-byte header "\xff Go buildinf:" + pointer size + flags, then either two
// varint-prefixed strings (flags & 2, Go >= 1.18) or two pointers to Go string headers.
#include "bulwark/image/sbom/gobinary/go_buildinfo.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/sbom/binfmt/bytes.h"
#include "bulwark/image/sbom/binfmt/elf.h"
#include "bulwark/image/sbom/binfmt/utf8.h"

namespace bulwark::sbom {
namespace {

using binfmt::ByteOrder;
using binfmt::ElfFile;

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

class PointerReader {
 public:
  PointerReader(const ElfFile& elf, uint8_t size, ByteOrder order)
      : elf_(elf), size_(size), order_(order) {}

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
    absl::StatusOr<absl::string_view> header = elf_.ReadAtAddress(address, 2 * size_);
    uint64_t data_address = 0, length = 0;
    if (!header.ok() || !Read(*header, 0, &data_address) || !Read(*header, size_, &length)) {
      return "";
    }
    if (length > kMaxStringBytes) return "";
    absl::StatusOr<absl::string_view> data = elf_.ReadAtAddress(data_address, length);
    if (!data.ok() || data->size() < length) return "";
    return std::string(*data);
  }

 private:
  const ElfFile& elf_;
  uint8_t size_;
  ByteOrder order_;
};

// The bytes to search: the .go.buildinfo section, or the start of the data segment.
absl::StatusOr<absl::string_view> SearchArea(const ElfFile& elf, absl::string_view source) {
  if (const binfmt::ElfSection* section = elf.FindSection(".go.buildinfo")) {
    BULWARK_ASSIGN_OR_RETURN(absl::string_view data, elf.SectionData(*section));
    return data.substr(0, kSearchBytes);
  }
  for (const binfmt::ElfSegment& segment : elf.segments()) {
    if (segment.type == binfmt::kElfSegmentLoad &&
        (segment.flags & (binfmt::kElfSegmentExecute | binfmt::kElfSegmentWrite)) ==
            binfmt::kElfSegmentWrite) {
      return elf.ReadAtAddress(segment.virtual_address, kSearchBytes);
    }
  }
  return absl::NotFoundError(absl::StrCat(source, ": no Go build info (no data segment)"));
}

}  // namespace

absl::StatusOr<GoBuildInfo> ReadGoBuildInfo(absl::string_view elf_bytes, absl::string_view source) {
  if (!ElfFile::HasMagic(elf_bytes)) {
    return absl::NotFoundError(absl::StrCat(source, ": not an ELF file"));
  }
  BULWARK_ASSIGN_OR_RETURN(ElfFile elf, ElfFile::Parse(elf_bytes, source));
  absl::StatusOr<absl::string_view> area = SearchArea(elf, source);
  if (!area.ok()) {
    return absl::NotFoundError(
        absl::StrCat(source, ": no Go build info (", area.status().message(), ")"));
  }
  absl::string_view data = *area;
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
    PointerReader pointers(elf, pointer_size, order);
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
  info.go_version = binfmt::SanitizeUtf8(version);
  return info;
}

}  // namespace bulwark::sbom
