// Fuzzes the built-in secret rules over arbitrary content: no crash or hang, every reported
// position inside the content, and no secret of 8 bytes or more shown in clear. The first byte
// picks a path, so path rules and path allowlists are exercised too.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/string_view.h"
#include "bulwark/image/secrets/secret_scanner.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto scanner = *bulwark::secrets::SecretScanner::Builtin();
  static const char* const kPaths[] = {"app/.env", "", "usr/lib/python3/x.py", "root/.npmrc"};
  if (size == 0) return 0;
  const absl::string_view path = kPaths[data[0] % 4];
  const absl::string_view content(reinterpret_cast<const char*>(data) + 1, size - 1);
  for (const auto& match : scanner->Scan(content, path)) {
    if (match.offset + match.length > content.size()) std::abort();
    if (match.line == 0 && match.length > 0) std::abort();
    const absl::string_view secret = content.substr(match.offset, match.length);
    if (secret.size() >= 8 && absl::string_view(match.masked_match).find(secret) !=
                                  absl::string_view::npos) {
      std::abort();
    }
  }
  return 0;
}
