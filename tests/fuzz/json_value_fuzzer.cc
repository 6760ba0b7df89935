// Fuzzes ParseJson: it must never crash, must agree with simdjson's DOM parser on what is valid
// JSON, and whatever it accepts must survive Value::ToJson -> ParseJson unchanged.
#include <cstdint>
#include <cstdlib>

#include "bulwark/core/document.h"
#include "simdjson.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  bulwark::core::Limits limits;
  limits.max_depth = 64;
  limits.max_entries = 100'000;
  auto value = bulwark::core::ParseJson(text, limits);

  simdjson::dom::parser dom;
  simdjson::padded_string padded(text.data(), text.size());
  auto dom_error = dom.parse(padded).error();
  bool dom_accepts = dom_error == simdjson::SUCCESS;
  // Integers beyond uint64 are a documented extension (they become doubles); limits and
  // duplicate keys are our own stricter rules.
  bool ours_stricter =
      !value.ok() && (value.status().code() == absl::StatusCode::kResourceExhausted ||
                      value.status().message().find("duplicate key") != absl::string_view::npos);
  if (value.ok() && !dom_accepts && dom_error != simdjson::NUMBER_ERROR &&
      dom_error != simdjson::DEPTH_ERROR) {
    std::abort();  // We accepted what simdjson's validating parser rejects.
  }
  if (!value.ok() && dom_accepts && !ours_stricter) std::abort();

  if (value.ok()) {
    auto again = bulwark::core::ParseJson(value->ToJson(), limits);
    if (!again.ok() || !(*again == *value)) std::abort();
  }
  return 0;
}
