// Fuzzes ParseYaml: it must never crash, hang or blow up memory (aliases, depth), and every
// document it accepts must serialise to JSON that ParseJson reads back.
#include <cstdint>
#include <cstdlib>

#include "bulwark/core/document.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  bulwark::core::Limits limits;
  limits.max_depth = 64;
  limits.max_entries = 100'000;
  auto documents = bulwark::core::ParseYaml(text, limits);
  if (!documents.ok()) return 0;
  for (const bulwark::core::Value& document : *documents) {
    if (!bulwark::core::ParseJson(document.ToJson()).ok()) std::abort();
  }
  return 0;
}
