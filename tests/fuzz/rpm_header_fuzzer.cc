// Fuzzes rpm header blob decoding (bulwark/image/sbom/rpm/rpm_package.h): any bytes must give an
// error or a package whose text is valid UTF-8, never a crash or an out-of-bounds read.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "bulwark/core/utf8.h"
#include "bulwark/image/sbom/rpm/rpm_header.h"
#include "bulwark/image/sbom/rpm/rpm_package.h"

namespace bulwark::sbom {
namespace {

void CheckUtf8(absl::string_view text) {
  if (!core::IsValidUtf8(text)) std::abort();
}

}  // namespace
}  // namespace bulwark::sbom

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bulwark::sbom;
  absl::string_view blob(reinterpret_cast<const char*>(data), size);
  // Every getter on every tag the header has, whatever its type.
  auto header = RpmHeader::Parse(blob, "fuzz");
  if (header.ok()) {
    for (int32_t tag :
         {rpm_tag::kName, rpm_tag::kSummary, rpm_tag::kBaseNames, rpm_tag::kDirIndexes,
          rpm_tag::kSigMd5, rpm_tag::kFileModes, rpm_tag::kLongSize}) {
      (void)header->GetString(tag);
      (void)header->GetStrings(tag);
      (void)header->GetIntegers(tag);
      (void)header->GetBinary(tag);
    }
  }
  std::vector<std::string> warnings;
  RpmPackageOptions options;
  options.max_path_length = 256;
  auto package = ParseRpmPackage(blob, "fuzz", options, &warnings);
  if (package.ok()) {
    CheckUtf8(package->name);
    CheckUtf8(package->version);
    CheckUtf8(package->license);
    for (const RpmFile& file : package->files) {
      CheckUtf8(file.path);
      if (file.path.size() > 256) std::abort();
    }
  }
  for (const std::string& warning : warnings) CheckUtf8(warning);
  return 0;
}
