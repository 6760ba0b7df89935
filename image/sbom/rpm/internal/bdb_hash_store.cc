// Berkeley DB hash file layout (db-5.3 dbinc/db_page.h, hash/hash.h): page 0 is the hash meta
// page; every page starts with a 26-byte header; hash pages hold an array of 16-bit item offsets
// after the header, items alternating key, data; big items live on chains of overflow pages.
#include <algorithm>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "bulwark/image/sbom/binfmt/bytes.h"
#include "bulwark/image/sbom/rpm/internal/rpmdb_stores.h"

namespace bulwark::sbom::internal {
namespace {

using binfmt::ByteOrder;
using binfmt::ReadU16;
using binfmt::ReadU32;
using binfmt::ReadU8;

constexpr uint32_t kHashMagic = 0x061561;
constexpr uint32_t kBtreeMagic = 0x053162;
constexpr uint64_t kPageHeaderBytes = 26;

// Page types (db_page.h).
constexpr uint8_t kPageHashUnsorted = 2;
constexpr uint8_t kPageOverflow = 7;
constexpr uint8_t kPageHashMeta = 8;
constexpr uint8_t kPageHash = 13;

// Hash item types (db_page.h).
constexpr uint8_t kItemKeyData = 1;
constexpr uint8_t kItemOffPage = 3;

struct PageHeader {
  uint32_t next = 0;
  uint16_t entries = 0;
  uint16_t high_free_offset = 0;  // On overflow pages: the bytes of data on this page.
  uint8_t type = 0;
};

class BdbFile {
 public:
  BdbFile(absl::string_view file, absl::string_view source, ByteOrder order, uint32_t page_size,
          uint64_t page_count, std::vector<std::string>* warnings)
      : file_(file),
        source_(source),
        order_(order),
        page_size_(page_size),
        page_count_(page_count),
        warnings_(warnings) {}

  absl::string_view Page(uint64_t number) const {
    return file_.substr(number * page_size_, page_size_);
  }

  PageHeader Header(absl::string_view page) const {
    PageHeader header;
    ReadU32(page, 16, order_, &header.next);
    ReadU16(page, 20, order_, &header.entries);
    ReadU16(page, 22, order_, &header.high_free_offset);
    ReadU8(page, 25, &header.type);
    return header;
  }

  void Warn(absl::string_view message) {
    if (warnings_ != nullptr) warnings_->push_back(absl::StrCat(source_, ": ", message));
  }

  // Collects an overflow chain of `total` bytes starting at `first`. False (with a warning) for
  // a chain leaving the file, looping, meeting another page type or not holding `total` bytes.
  bool ReadOverflow(uint32_t first, uint32_t total, uint64_t where_page, std::string* out) {
    out->clear();
    out->reserve(total);
    uint32_t number = first;
    visited_.clear();
    while (out->size() < total) {
      auto fail = [&](absl::string_view what) {
        Warn(absl::StrCat("page ", where_page, ": overflow chain at page ", number, " ", what,
                          "; record skipped"));
        return false;
      };
      if (number == 0 || number >= page_count_) {
        return fail(absl::StrCat("points outside the file's ", page_count_, " pages"));
      }
      if (!visited_.insert(number).second) return fail("loops");
      absl::string_view page = Page(number);
      PageHeader header = Header(page);
      if (header.type != kPageOverflow) {
        return fail(absl::StrCat("has page type ", static_cast<int>(header.type)));
      }
      uint64_t length = header.high_free_offset;
      if (length > page_size_ - kPageHeaderBytes) return fail("claims more bytes than a page");
      length = std::min<uint64_t>(length, total - out->size());
      out->append(page.data() + kPageHeaderBytes, length);
      if (out->size() < total && header.next == 0) {
        return fail(absl::StrCat("ends after ", out->size(), " of ", total, " bytes"));
      }
      number = header.next;
    }
    return true;
  }

  absl::Status WalkHashPage(uint64_t number, const StoreLimits& limits, uint64_t* records,
                            BlobVisitor visit) {
    absl::string_view page = Page(number);
    PageHeader header = Header(page);
    const uint64_t index_end = kPageHeaderBytes + uint64_t{header.entries} * 2;
    if (index_end > page_size_) {
      Warn(absl::StrCat("page ", number, ": ", header.entries,
                        " items cannot fit in the page; page skipped"));
      return absl::OkStatus();
    }
    if (header.entries % 2 != 0) {
      Warn(absl::StrCat("page ", number, ": odd item count ", header.entries,
                        "; last item ignored"));
    }
    // Offsets of items, and their lengths: items are packed downwards from the page end in
    // index order, so an item ends where the previous one starts (LEN_HITEM).
    auto item = [&](uint32_t index, absl::string_view* out) {
      uint16_t offset = 0, previous = static_cast<uint16_t>(0);
      ReadU16(page, kPageHeaderBytes + uint64_t{index} * 2, order_, &offset);
      uint64_t end = page_size_;
      if (index > 0) {
        ReadU16(page, kPageHeaderBytes + uint64_t{index - 1} * 2, order_, &previous);
        end = previous;
      }
      if (offset < index_end || offset >= end || end > page_size_) return false;
      *out = page.substr(offset, end - offset);
      return true;
    };
    std::string overflow;
    for (uint32_t i = 0; i + 1 < header.entries; i += 2) {
      absl::string_view key_item, data_item;
      if (!item(i, &key_item) || !item(i + 1, &data_item)) {
        Warn(absl::StrCat("page ", number, ": item ", i, " lies outside its page; skipped"));
        continue;
      }
      uint32_t key = 0;
      if (static_cast<uint8_t>(key_item[0]) != kItemKeyData || key_item.size() < 5) {
        Warn(absl::StrCat("page ", number, ": item ", i, " is not an inline 4-byte key; skipped"));
        continue;
      }
      ReadU32(key_item, 1, order_, &key);
      if (key == 0) continue;  // rpm's next-instance counter, not a package.
      absl::string_view blob;
      const uint8_t data_type = static_cast<uint8_t>(data_item[0]);
      if (data_type == kItemKeyData) {
        blob = data_item.substr(1);
      } else if (data_type == kItemOffPage) {
        uint32_t first = 0, total = 0;
        if (!ReadU32(data_item, 4, order_, &first) || !ReadU32(data_item, 8, order_, &total)) {
          Warn(absl::StrCat("page ", number, ": truncated overflow reference for key ", key));
          continue;
        }
        if (total > limits.max_blob_bytes) {
          Warn(absl::StrCat("page ", number, ": record ", key, " of ", total,
                            " bytes is above the ", limits.max_blob_bytes, "-byte cap; skipped"));
          continue;
        }
        if (!ReadOverflow(first, total, number, &overflow)) continue;
        blob = overflow;
      } else {
        Warn(absl::StrCat("page ", number, ": record ", key, " has item type ",
                          static_cast<int>(data_type),
                          " (duplicates are not used by rpm); skipped"));
        continue;
      }
      if (++*records > limits.max_records) {
        return absl::ResourceExhaustedError(absl::StrCat(
            source_, ": limit max_entries (", limits.max_records, ") exceeded at page ", number));
      }
      visit(key, blob);
    }
    return absl::OkStatus();
  }

 private:
  absl::string_view file_;
  absl::string_view source_;
  ByteOrder order_;
  uint32_t page_size_;
  uint64_t page_count_;
  std::vector<std::string>* warnings_;
  absl::flat_hash_set<uint32_t> visited_;  // Pages of the overflow chain being read.
};

}  // namespace

absl::Status ForEachBdbHashBlob(absl::string_view file, absl::string_view source,
                                const StoreLimits& limits, BlobVisitor visit,
                                std::vector<std::string>* warnings) {
  auto invalid = [&](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": invalid Berkeley DB file: ", what));
  };
  uint32_t magic = 0;
  if (!ReadU32(file, 12, ByteOrder::kLittle, &magic)) return invalid("shorter than a meta page");
  ByteOrder order = ByteOrder::kLittle;
  if (magic != kHashMagic && magic != kBtreeMagic) {
    order = ByteOrder::kBig;
    ReadU32(file, 12, order, &magic);
  }
  if (magic == kBtreeMagic) {
    return absl::UnimplementedError(
        absl::StrCat(source, ": Berkeley DB btree file; rpm's Packages database is a hash file"));
  }
  if (magic != kHashMagic) return invalid("no hash magic at offset 12");
  uint32_t page_size = 0, last_page = 0;
  uint8_t encryption = 0, meta_type = 0;
  ReadU32(file, 20, order, &page_size);
  ReadU8(file, 24, &encryption);
  ReadU8(file, 25, &meta_type);
  ReadU32(file, 32, order, &last_page);
  if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0) {
    return invalid(absl::StrCat("page size ", page_size, " is not a power of two in 512..65536"));
  }
  if (encryption != 0) {
    return absl::UnimplementedError(absl::StrCat(source, ": encrypted Berkeley DB file"));
  }
  if (meta_type != kPageHashMeta) {
    return invalid(absl::StrCat("meta page has type ", static_cast<int>(meta_type)));
  }
  if (file.size() < page_size) return invalid("shorter than its meta page");
  uint64_t page_count = file.size() / page_size;
  if (file.size() % page_size != 0 && warnings != nullptr) {
    warnings->push_back(absl::StrCat(source, ": file size ", file.size(),
                                     " is not a multiple of the page size ", page_size,
                                     "; partial last page ignored"));
  }
  if (uint64_t{last_page} + 1 < page_count) page_count = uint64_t{last_page} + 1;
  BdbFile bdb(file, source, order, page_size, page_count, warnings);
  uint64_t records = 0;
  for (uint64_t number = 1; number < page_count; ++number) {
    uint8_t type = bdb.Header(bdb.Page(number)).type;
    if (type != kPageHash && type != kPageHashUnsorted) continue;
    absl::Status status = bdb.WalkHashPage(number, limits, &records, visit);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace bulwark::sbom::internal
