// Fuzzes opening archives found inside images (zip, tar, gzip/bzip2/xz/zstd) with the nested
// walk's caps: no crash, no hang, and never more members or bytes than the limits allow.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "bulwark/image/risk/nested_archives.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view content(reinterpret_cast<const char*>(data), size);
  bulwark::image::NestedArchiveLimits limits;
  limits.max_total_bytes = 4 << 20;
  limits.max_member_bytes = 1 << 20;
  limits.max_members = 1000;
  uint64_t members = 0;
  uint64_t bytes = 0;
  (void)bulwark::image::ForEachArchiveMember(
      content, "fuzz.jar", limits, [&](const std::string&, absl::string_view member) {
        ++members;
        bytes += member.size();
        if (members > limits.max_members || bytes > limits.max_total_bytes ||
            member.size() > limits.max_member_bytes) {
          std::abort();
        }
        return absl::OkStatus();
      });
  return 0;
}
