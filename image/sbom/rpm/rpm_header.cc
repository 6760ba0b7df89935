#include "bulwark/image/sbom/rpm/rpm_header.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "bulwark/image/sbom/binfmt/bytes.h"

namespace bulwark::sbom {
namespace {

using binfmt::ByteOrder;
using binfmt::ReadU32;

constexpr uint64_t kIntroBytes = 8;
constexpr uint64_t kEntryBytes = 16;

// Size and alignment of one element of fixed-size types (rpm's typeSizes/typeAlign); 0 for the
// variable-size string types.
uint32_t ElementSize(RpmTagType type) {
  switch (type) {
    case RpmTagType::kNull:
      return 0;
    case RpmTagType::kChar:
    case RpmTagType::kInt8:
    case RpmTagType::kBinary:
      return 1;
    case RpmTagType::kInt16:
      return 2;
    case RpmTagType::kInt32:
      return 4;
    case RpmTagType::kInt64:
      return 8;
    case RpmTagType::kString:
    case RpmTagType::kStringArray:
    case RpmTagType::kI18nString:
      return 0;
  }
  return 0;
}

bool IsStringType(RpmTagType type) {
  return type == RpmTagType::kString || type == RpmTagType::kStringArray ||
         type == RpmTagType::kI18nString;
}

}  // namespace

absl::StatusOr<RpmHeader> RpmHeader::Parse(absl::string_view blob, absl::string_view source) {
  auto invalid = [&](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": invalid rpm header: ", what));
  };
  uint32_t index_count = 0;
  uint32_t data_bytes = 0;
  if (!ReadU32(blob, 0, ByteOrder::kBig, &index_count) ||
      !ReadU32(blob, 4, ByteOrder::kBig, &data_bytes)) {
    return invalid(
        absl::StrCat("blob of ", blob.size(), " bytes is shorter than its 8-byte intro"));
  }
  if (index_count == 0 || index_count > kMaxIndexEntries) {
    return invalid(
        absl::StrCat("index entry count ", index_count, " outside 1..", kMaxIndexEntries));
  }
  if (data_bytes > kMaxDataBytes) {
    return invalid(absl::StrCat("data size ", data_bytes, " above ", kMaxDataBytes));
  }
  const uint64_t index_bytes = uint64_t{index_count} * kEntryBytes;
  const uint64_t needed = kIntroBytes + index_bytes + data_bytes;
  if (blob.size() < needed) {
    return invalid(absl::StrCat(index_count, " entries and ", data_bytes, " data bytes need ",
                                needed, " bytes but the blob has ", blob.size()));
  }
  RpmHeader header;
  header.source_ = std::string(source);
  header.data_ = blob.substr(kIntroBytes + index_bytes, data_bytes);
  header.entries_.reserve(index_count);
  for (uint32_t i = 0; i < index_count; ++i) {
    const uint64_t at = kIntroBytes + uint64_t{i} * kEntryBytes;
    uint32_t tag = 0, type = 0, offset = 0, count = 0;
    ReadU32(blob, at, ByteOrder::kBig, &tag);
    ReadU32(blob, at + 4, ByteOrder::kBig, &type);
    ReadU32(blob, at + 8, ByteOrder::kBig, &offset);
    ReadU32(blob, at + 12, ByteOrder::kBig, &count);
    auto bad_entry = [&](absl::string_view what) {
      return invalid(absl::StrCat("entry ", i, " (tag ", static_cast<int32_t>(tag), "): ", what));
    };
    if (type > static_cast<uint32_t>(RpmTagType::kI18nString)) {
      return bad_entry(absl::StrCat("unknown type ", type));
    }
    RpmHeaderEntry entry{static_cast<int32_t>(tag), static_cast<RpmTagType>(type), offset, count};
    // Region tags carry a negative offset in their trailer copy; they are bookkeeping only.
    if (entry.tag >= rpm_tag::kHeaderImage && entry.tag <= rpm_tag::kHeaderImmutable) continue;
    if (entry.type == RpmTagType::kNull) continue;
    if (count == 0) return bad_entry("count 0");
    if (offset >= data_bytes) {
      return bad_entry(absl::StrCat("offset ", offset, " outside the ", data_bytes, "-byte data"));
    }
    if (IsStringType(entry.type)) {
      if (entry.type == RpmTagType::kString && count != 1) {
        return bad_entry(absl::StrCat("STRING with count ", count));
      }
      // Every string takes at least its NUL byte.
      if (count > data_bytes - offset) {
        return bad_entry(
            absl::StrCat(count, " strings cannot fit in ", data_bytes - offset, " bytes"));
      }
    } else {
      const uint32_t size = ElementSize(entry.type);
      if (offset % size != 0) return bad_entry(absl::StrCat("offset ", offset, " misaligned"));
      if (uint64_t{count} * size > data_bytes - offset) {
        return bad_entry(absl::StrCat(count, " elements of ", size, " bytes at offset ", offset,
                                      " overrun the ", data_bytes, "-byte data"));
      }
    }
    header.by_tag_[entry.tag] = header.entries_.size();
    header.entries_.push_back(entry);
  }
  return header;
}

const RpmHeaderEntry* RpmHeader::Find(int32_t tag) const {
  auto it = by_tag_.find(tag);
  return it == by_tag_.end() ? nullptr : &entries_[it->second];
}

absl::StatusOr<const RpmHeaderEntry*> RpmHeader::FindOrError(int32_t tag) const {
  const RpmHeaderEntry* entry = Find(tag);
  if (entry == nullptr) {
    return absl::NotFoundError(absl::StrCat(source_, ": rpm header has no tag ", tag));
  }
  return entry;
}

absl::StatusOr<std::vector<absl::string_view>> RpmHeader::GetStrings(int32_t tag) const {
  absl::StatusOr<const RpmHeaderEntry*> entry = FindOrError(tag);
  if (!entry.ok()) return entry.status();
  if (!IsStringType((*entry)->type)) {
    return absl::InvalidArgumentError(absl::StrCat(source_, ": rpm tag ", tag, " has type ",
                                                   static_cast<uint32_t>((*entry)->type),
                                                   ", not a string type"));
  }
  std::vector<absl::string_view> strings;
  strings.reserve((*entry)->count);
  absl::string_view rest = data_.substr((*entry)->offset);
  for (uint32_t i = 0; i < (*entry)->count; ++i) {
    size_t end = rest.find('\0');
    if (end == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(source_, ": rpm tag ", tag, ": string ", i,
                                                     " of ", (*entry)->count,
                                                     " has no NUL before the end of the data"));
    }
    strings.push_back(rest.substr(0, end));
    rest.remove_prefix(end + 1);
  }
  return strings;
}

absl::StatusOr<absl::string_view> RpmHeader::GetString(int32_t tag) const {
  absl::StatusOr<const RpmHeaderEntry*> entry = FindOrError(tag);
  if (!entry.ok()) return entry.status();
  if ((*entry)->type == RpmTagType::kStringArray && (*entry)->count != 1) {
    return absl::InvalidArgumentError(absl::StrCat(source_, ": rpm tag ", tag, " holds ",
                                                   (*entry)->count, " strings, expected one"));
  }
  absl::StatusOr<std::vector<absl::string_view>> strings = GetStrings(tag);
  if (!strings.ok()) return strings.status();
  return strings->front();
}

absl::StatusOr<std::vector<uint64_t>> RpmHeader::GetIntegers(int32_t tag) const {
  absl::StatusOr<const RpmHeaderEntry*> entry = FindOrError(tag);
  if (!entry.ok()) return entry.status();
  const RpmTagType type = (*entry)->type;
  if (type < RpmTagType::kChar || type > RpmTagType::kInt64) {
    return absl::InvalidArgumentError(absl::StrCat(source_, ": rpm tag ", tag, " has type ",
                                                   static_cast<uint32_t>(type),
                                                   ", not an integer type"));
  }
  const uint32_t size = ElementSize(type);
  std::vector<uint64_t> values;
  values.reserve((*entry)->count);
  for (uint32_t i = 0; i < (*entry)->count; ++i) {
    // Parse() checked that count elements of this size fit after the offset.
    const uint64_t at = (*entry)->offset + uint64_t{i} * size;
    uint64_t value = 0;
    for (uint32_t k = 0; k < size; ++k) {
      value = (value << 8) | static_cast<unsigned char>(data_[at + k]);
    }
    values.push_back(value);
  }
  return values;
}

absl::StatusOr<absl::string_view> RpmHeader::GetBinary(int32_t tag) const {
  absl::StatusOr<const RpmHeaderEntry*> entry = FindOrError(tag);
  if (!entry.ok()) return entry.status();
  if ((*entry)->type != RpmTagType::kBinary) {
    return absl::InvalidArgumentError(absl::StrCat(source_, ": rpm tag ", tag, " has type ",
                                                   static_cast<uint32_t>((*entry)->type),
                                                   ", not BIN"));
  }
  return data_.substr((*entry)->offset, (*entry)->count);
}

}  // namespace bulwark::sbom
