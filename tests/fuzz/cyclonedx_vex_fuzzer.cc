// Fuzzes the CycloneDX VEX (vulnerabilities[].analysis) reader (vuln::ParseCycloneDxVex) and
// EvaluateVex over what it reads. Nothing may crash, hang or leak, and a decision names its
// statement exactly when it has an effect.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "bulwark/image/vuln/vex.h"
#include "tests/fuzz/vex_fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  bulwark::core::Limits limits;
  limits.max_depth = 64;
  limits.max_entries = 100'000;
  auto statements = bulwark::vuln::ParseCycloneDxVex(text, "fuzz.json", limits);
  if (statements.ok()) bulwark::fuzz::EvaluateEveryStatement(*statements);
  return 0;
}
