// Fuzzes the Berkeley DB hash page walker behind ReadRpmdb (bulwark/image/sbom/rpm/rpmdb.h).
// The input's first byte picks the byte order and page size; the magic, meta page type and page
// size are then written into the input so that mutations explore the pages, not the magic check.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "bulwark/image/sbom/rpm/rpmdb.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const bool big_endian = (data[0] & 1) != 0;
  const uint32_t page_size = 512u << ((data[0] >> 1) % 3);  // 512, 1024 or 2048.
  std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (bytes.size() < 64) bytes.resize(64, '\0');
  auto put = [&](size_t offset, uint32_t value) {
    for (int i = 0; i < 4; ++i) {
      int shift = big_endian ? 8 * (3 - i) : 8 * i;
      bytes[offset + i] = static_cast<char>((value >> shift) & 0xff);
    }
  };
  put(12, 0x061561);
  put(20, page_size);
  bytes[24] = 0;  // Not encrypted.
  bytes[25] = 8;  // Hash meta page.
  bulwark::sbom::RpmdbOptions options;
  options.limits.max_file_bytes = 1 << 20;
  options.limits.max_entries = 1000;
  auto db = bulwark::sbom::ReadRpmdb(bytes, "fuzz", options);
  if (db.ok() && db->format != bulwark::sbom::RpmdbFormat::kBerkeleyDb) std::abort();
  return 0;
}
