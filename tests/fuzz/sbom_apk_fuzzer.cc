// The apk cataloger on arbitrary lib/apk/db/installed files: no crash, well-formed output.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "bulwark/image/sbom/catalogers.h"
#include "bulwark/tests/fuzz/sbom_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto* const kCataloger = bulwark::sbom::NewApkCataloger().release();
  bulwark::sbom::fuzzing::ParseAndCheck(
      *kCataloger, "lib/apk/db/installed",
      absl::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
