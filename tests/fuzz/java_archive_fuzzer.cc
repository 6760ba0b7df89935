// Fuzzes Java archive reading (bulwark/image/sbom/java/java_archive.h) on arbitrary zip bytes,
// and the manifest and properties grammars on the same bytes as text, under small limits.
// Results must be valid UTF-8; nesting must stay within max_nesting.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "bulwark/core/utf8.h"
#include "bulwark/image/sbom/java/java_archive.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using bulwark::core::IsValidUtf8;
  absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  bulwark::sbom::JavaArchiveOptions options;
  options.limits.max_total_bytes = 16 << 20;
  options.limits.max_file_bytes = 4 << 20;
  options.limits.max_entries = 10000;
  options.max_nesting = 3;
  auto contents = bulwark::sbom::ReadJavaArchive(bytes, "fuzz.jar", options);
  if (contents.ok()) {
    for (const auto& archive : contents->archives) {
      if (!IsValidUtf8(archive.path)) std::abort();
      size_t levels = 0;
      for (size_t at = archive.path.find("!/"); at != std::string::npos;
           at = archive.path.find("!/", at + 2)) {
        ++levels;
      }
      if (levels > options.max_nesting) std::abort();
      for (const auto& pom : archive.pom_properties) {
        if (!IsValidUtf8(pom.group_id) || !IsValidUtf8(pom.artifact_id)) std::abort();
      }
    }
  }
  std::vector<std::string> warnings;
  auto manifest = bulwark::sbom::ParseJavaManifest(bytes, "fuzz", &warnings);
  for (const auto& [name, value] : manifest.attributes) {
    if (!IsValidUtf8(name) || !IsValidUtf8(value)) std::abort();
  }
  for (const auto& [key, value] : bulwark::sbom::ParseJavaProperties(bytes)) {
    if (!IsValidUtf8(key) || !IsValidUtf8(value)) std::abort();
  }
  return 0;
}
