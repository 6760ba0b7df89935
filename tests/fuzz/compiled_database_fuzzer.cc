// Fuzzes Database::ParseCompiled. Inputs that start with the "BULWARKOSV" magic are parsed as
// they are (header checks); other inputs are wrapped in a valid header with the right SHA-256,
// so the index sees arbitrary bytes too (its spans then point into the same bytes, which
// Affected() and record() read).
#include <cstdint>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/digest.h"
#include "bulwark/image/vuln/database.h"

namespace vuln = bulwark::vuln;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view input(reinterpret_cast<const char*>(data), size);
  std::string bytes(input);
  if (!absl::StartsWith(input, "BULWARKOSV")) {
    bytes = "BULWARKOSV";
    uint32_t version = vuln::kCompiledFormatVersion;
    // The first half is the index; the rest is the block area its spans point into.
    uint64_t length = input.size() / 2;
    for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<char>((version >> (8 * i)) & 0xFF));
    for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<char>((length >> (8 * i)) & 0xFF));
    bytes +=
        bulwark::core::DigestBytes(bulwark::core::DigestAlgorithm::kSha256, input.substr(0, length))
            .bytes();
    bytes.append(input.data(), input.size());
  }
  auto db = vuln::Database::ParseCompiled(bytes);
  if (!db.ok()) return 0;
  int queries = 0;
  for (size_t i = 0; i < (*db)->record_count(); ++i) {
    auto record_or = (*db)->record(i);
    if (!record_or.ok()) continue;
    const vuln::v1::Record& record = **record_or;
    for (const vuln::v1::Affected& affected : record.affected()) {
      if (++queries > 100) return 0;
      (void)(*db)->Affected(affected.ecosystem(), affected.name(), "1.0.0");
    }
  }
  return 0;
}
