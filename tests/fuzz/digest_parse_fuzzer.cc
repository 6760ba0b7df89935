// Fuzzes Digest::Parse: it must never crash, and an accepted digest must print back as exactly
// the text it was parsed from (the grammar admits one spelling per digest).
#include <cstdint>
#include <cstdlib>

#include "bulwark/core/digest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto digest = bulwark::core::Digest::Parse(text);
  if (!digest.ok()) return 0;
  if (digest->ToString() != text) std::abort();
  auto again = bulwark::core::Digest::Parse(digest->ToString());
  if (!again.ok() || *again != *digest) std::abort();
  return 0;
}
