// Fuzzes the gitleaks TOML rule loader and the compilation of what it accepts: neither may
// crash, hang or blow up memory. Accepted rule sets scan a fixed text; every match they report
// must be masked (no match shows its secret in clear when the secret is 8 bytes or longer).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "bulwark/image/secrets/gitleaks_toml.h"
#include "bulwark/image/secrets/secret_scanner.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  bulwark::core::Limits limits;
  limits.max_file_bytes = 1 << 20;
  auto rules = bulwark::secrets::ParseGitleaksToml(text, "fuzz.toml", limits);
  if (!rules.ok()) return 0;
  auto scanner = bulwark::secrets::SecretScanner::Create(*std::move(rules));
  if (!scanner.ok()) return 0;
  static const std::string kSample =
      "password = s3cr3t-Value-42\nAKIAQX7ZB4NDR2WLKP3M\ntoken: ghp_abcdefghijklmnopqrstuvwxyz0123456789\n";
  for (const auto& match : (*scanner)->Scan(kSample, "app/.env")) {
    if (match.length >= 8 && match.masked_match.find(kSample.substr(match.offset, match.length)) !=
                                 std::string::npos) {
      std::abort();
    }
  }
  return 0;
}
