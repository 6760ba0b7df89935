// Fuzzes Database::ParseCompiled. Inputs that start with the "BULWARKOSV" magic are parsed as
// they are (header checks); other inputs are wrapped in a valid header with the right SHA-256,
// so the protobuf payload, the index and Affected() see arbitrary bytes too.
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
    uint64_t length = input.size();
    for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<char>((version >> (8 * i)) & 0xFF));
    for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<char>((length >> (8 * i)) & 0xFF));
    bytes += bulwark::core::DigestBytes(bulwark::core::DigestAlgorithm::kSha256, input).bytes();
    bytes.append(input.data(), input.size());
  }
  auto db = vuln::Database::ParseCompiled(bytes);
  if (!db.ok()) return 0;
  int queries = 0;
  for (const vuln::v1::Record& record : (*db)->records()) {
    for (const vuln::v1::Affected& affected : record.affected()) {
      if (++queries > 100) return 0;
      (void)(*db)->Affected(affected.ecosystem(), affected.name(), "1.0.0");
    }
  }
  return 0;
}
