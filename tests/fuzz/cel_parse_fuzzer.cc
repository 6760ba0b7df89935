// Fuzzes the CEL parser (lexer, grammar, macro expansion): it must never crash, hang or recurse
// without bound, and every rejection must be a positioned InvalidArgument error or a
// ResourceExhausted limit.
#include <cstdint>
#include <cstdlib>

#include "bulwark/policy/cel/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view source(reinterpret_cast<const char*>(data), size);
  bulwark::cel::ParseOptions options;
  options.max_source_bytes = 10'000;
  auto parsed = bulwark::cel::Parse(source, options);
  if (parsed.ok()) {
    if (parsed->root == nullptr) std::abort();
    return 0;
  }
  const absl::Status& status = parsed.status();
  if (status.code() == absl::StatusCode::kInvalidArgument) {
    if (status.message().find("ERROR: <input>:") != 0) std::abort();
  } else if (status.code() != absl::StatusCode::kResourceExhausted) {
    std::abort();
  }
  return 0;
}
