// Fuzzes ParseDockerfile and the build rules over what it accepts: no crash, hang or unbounded
// memory on any text, and every risk points at an instruction or the final config.
#include <cstdint>
#include <cstdlib>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "bulwark/image/risk/dockerfile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto file = bulwark::image::ParseDockerfile(text, "Dockerfile");
  if (!file.ok()) return 0;
  for (const auto& risk : bulwark::image::CheckDockerfile(*file)) {
    if (risk.rule == nullptr || !absl::StartsWith(risk.source, "Dockerfile")) std::abort();
  }
  return 0;
}
