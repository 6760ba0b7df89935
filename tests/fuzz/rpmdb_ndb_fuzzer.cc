// Fuzzes the NDB slot and blob walker behind ReadRpmdb (bulwark/image/sbom/rpm/rpmdb.h). The
// "RpmP" magic and version 0 are written into the input; slot pages are clamped to what the
// input holds, so mutations explore slots and blobs.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "bulwark/image/sbom/rpm/rpmdb.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  if (bytes.size() < 32) bytes.resize(32, '\0');
  bytes.replace(0, 8, std::string("RpmP\0\0\0\0", 8));
  bulwark::sbom::RpmdbOptions options;
  options.limits.max_file_bytes = 1 << 20;
  options.limits.max_entries = 1000;
  auto db = bulwark::sbom::ReadRpmdb(bytes, "fuzz", options);
  if (db.ok() && db->format != bulwark::sbom::RpmdbFormat::kNdb) std::abort();
  return 0;
}
