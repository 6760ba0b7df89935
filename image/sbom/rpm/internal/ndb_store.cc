// rpm's NDB package store (rpm 4.16+, lib/backend/ndb/rpmpkg.c), all little endian:
//   header (32 bytes): "RpmP", version 0, generation, slot page count, next package index
//   slots (16 bytes each, from byte 32 to the end of the slot pages): "Slot", package index
//     (0 = free), first 16-byte block, block count
//   blob (at block * 16): "BlbS", package index, generation, length, <length bytes>, padding,
//     then in the blob's last 12 bytes: Adler-32 of everything before it, length, "BlbE".
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "bulwark/image/sbom/binfmt/bytes.h"
#include "bulwark/image/sbom/rpm/internal/rpmdb_stores.h"
#include "zlib.h"

namespace bulwark::sbom::internal {
namespace {

using binfmt::ByteOrder;
using binfmt::ReadU32;

constexpr uint32_t kHeaderMagic = 0x506d7052;   // "RpmP"
constexpr uint32_t kSlotMagic = 0x746f6c53;     // "Slot"
constexpr uint32_t kBlobMagic = 0x53626c42;     // "BlbS"
constexpr uint32_t kBlobEndMagic = 0x45626c42;  // "BlbE"
constexpr uint64_t kPageBytes = 4096;
constexpr uint64_t kSlotBytes = 16;
constexpr uint64_t kFirstSlot = 32;
constexpr uint64_t kBlockBytes = 16;
constexpr uint64_t kBlobHeadBytes = 16;
constexpr uint64_t kBlobTailBytes = 12;

uint32_t Adler32(absl::string_view bytes) {
  uLong sum = adler32(0L, Z_NULL, 0);
  // zlib takes uInt lengths; feed large inputs in pieces.
  while (!bytes.empty()) {
    uInt piece = static_cast<uInt>(std::min<size_t>(bytes.size(), 1u << 30));
    sum = adler32(sum, reinterpret_cast<const Bytef*>(bytes.data()), piece);
    bytes.remove_prefix(piece);
  }
  return static_cast<uint32_t>(sum);
}

}  // namespace

absl::Status ForEachNdbBlob(absl::string_view file, absl::string_view source,
                            const StoreLimits& limits, BlobVisitor visit,
                            std::vector<std::string>* warnings) {
  auto invalid = [&](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": invalid NDB file: ", what));
  };
  auto warn = [&](absl::string_view what) {
    if (warnings != nullptr) warnings->push_back(absl::StrCat(source, ": ", what));
  };
  uint32_t magic = 0, version = 0, slot_pages = 0;
  if (!ReadU32(file, 0, ByteOrder::kLittle, &magic) ||
      !ReadU32(file, 4, ByteOrder::kLittle, &version) ||
      !ReadU32(file, 12, ByteOrder::kLittle, &slot_pages)) {
    return invalid("shorter than its header");
  }
  if (magic != kHeaderMagic) return invalid("no \"RpmP\" magic");
  if (version != 0) {
    return absl::UnimplementedError(absl::StrCat(source, ": NDB version ", version));
  }
  const uint64_t slot_end = uint64_t{slot_pages} * kPageBytes;
  if (slot_pages == 0 || slot_end > file.size()) {
    return invalid(absl::StrCat(slot_pages, " slot pages do not fit in ", file.size(), " bytes"));
  }
  absl::flat_hash_set<uint32_t> seen;
  uint64_t records = 0;
  for (uint64_t at = kFirstSlot; at + kSlotBytes <= slot_end; at += kSlotBytes) {
    uint32_t slot_magic = 0, index = 0, block = 0, block_count = 0;
    ReadU32(file, at, ByteOrder::kLittle, &slot_magic);
    ReadU32(file, at + 4, ByteOrder::kLittle, &index);
    ReadU32(file, at + 8, ByteOrder::kLittle, &block);
    ReadU32(file, at + 12, ByteOrder::kLittle, &block_count);
    const uint64_t slot = (at - kFirstSlot) / kSlotBytes;
    if (slot_magic != kSlotMagic) {
      warn(absl::StrCat("slot ", slot, " has no \"Slot\" magic; skipped"));
      continue;
    }
    if (index == 0) continue;  // A free slot.
    auto skip = [&](absl::string_view what) {
      warn(absl::StrCat("package ", index, " (slot ", slot, "): ", what, "; skipped"));
    };
    const uint64_t start = uint64_t{block} * kBlockBytes;
    const uint64_t size = uint64_t{block_count} * kBlockBytes;
    if (start < slot_end || !binfmt::InBounds(file, start, size)) {
      skip(absl::StrCat("blocks ", block, "+", block_count, " lie outside the blob area"));
      continue;
    }
    if (size < kBlobHeadBytes + kBlobTailBytes) {
      skip("blob shorter than its framing");
      continue;
    }
    absl::string_view blob_area = file.substr(start, size);
    uint32_t blob_magic = 0, blob_index = 0, length = 0;
    ReadU32(blob_area, 0, ByteOrder::kLittle, &blob_magic);
    ReadU32(blob_area, 4, ByteOrder::kLittle, &blob_index);
    ReadU32(blob_area, 12, ByteOrder::kLittle, &length);
    if (blob_magic != kBlobMagic || blob_index != index) {
      skip("blob has no \"BlbS\" magic or another package index");
      continue;
    }
    if (uint64_t{length} > size - kBlobHeadBytes - kBlobTailBytes) {
      skip(absl::StrCat("blob length ", length, " overruns its ", block_count, " blocks"));
      continue;
    }
    if (length > limits.max_blob_bytes) {
      skip(absl::StrCat("blob of ", length, " bytes is above the ", limits.max_blob_bytes,
                        "-byte cap"));
      continue;
    }
    const uint64_t tail = size - kBlobTailBytes;
    uint32_t checksum = 0, tail_length = 0, end_magic = 0;
    ReadU32(blob_area, tail, ByteOrder::kLittle, &checksum);
    ReadU32(blob_area, tail + 4, ByteOrder::kLittle, &tail_length);
    ReadU32(blob_area, tail + 8, ByteOrder::kLittle, &end_magic);
    if (end_magic != kBlobEndMagic || tail_length != length) {
      skip("blob trailer has no \"BlbE\" magic or another length");
      continue;
    }
    if (Adler32(blob_area.substr(0, tail)) != checksum) {
      skip("blob checksum mismatch");
      continue;
    }
    if (!seen.insert(index).second) {
      skip("package index listed twice");
      continue;
    }
    if (++records > limits.max_records) {
      return absl::ResourceExhaustedError(absl::StrCat(
          source, ": limit max_entries (", limits.max_records, ") exceeded at slot ", slot));
    }
    visit(index, blob_area.substr(kBlobHeadBytes, length));
  }
  return absl::OkStatus();
}

}  // namespace bulwark::sbom::internal
