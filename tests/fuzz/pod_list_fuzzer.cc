// Fuzzes the kubectl pod-list reader of PodListProvider: any input gives containers or an error.
#include <cstdint>
#include <cstdlib>

#include "bulwark/runtime/metadata_providers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  bulwark::core::Limits limits;
  limits.max_entries = 10'000;
  auto pods = bulwark::runtime::PodListProvider::FromJson(text, "fuzz.json", limits);
  if (pods.ok()) {
    std::optional<bulwark::runtime::v1::Container> c = (*pods)->Lookup("0123456789ab");
    if (c.has_value() && c->id() != "0123456789ab") std::abort();
  }
  return 0;
}
