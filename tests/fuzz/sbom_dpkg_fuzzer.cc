// The dpkg cataloger on arbitrary status files (and status.d, info/*.list and copyright files):
// no crash, and everything it returns is well-formed (sbom_checks.h).
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "bulwark/image/sbom/catalogers.h"
#include "bulwark/tests/fuzz/sbom_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto* const kCataloger = bulwark::sbom::NewDpkgCataloger().release();
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  for (absl::string_view path :
       {"var/lib/dpkg/status", "var/lib/dpkg/status.d/base", "var/lib/dpkg/info/libc6:amd64.list",
        "usr/share/doc/bash/copyright", "var/lib/dpkg/diversions"}) {
    bulwark::sbom::fuzzing::ParseAndCheck(*kCataloger, path, text);
  }
  return 0;
}
