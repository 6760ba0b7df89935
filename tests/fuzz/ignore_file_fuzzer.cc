// Fuzzes the two ignore-file forms (.trivyignore text and YAML) and the known-bad SHA-256 list
// parser, then applies an accepted ignore list to a small report. Must not crash or hang.
#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "bulwark/image/malware/hash_list.h"
#include "bulwark/image/risk/ignore_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  bulwark::core::Limits limits;
  limits.max_file_bytes = 1 << 20;
  limits.max_entries = 100'000;
  (void)bulwark::malware::ParseHashList(text, "fuzz.sha256", limits);
  bulwark::core::v1::Report report;
  auto* finding = report.add_findings();
  finding->set_rule_id("CVE-2023-1234");
  finding->mutable_location()->set_path("/usr/lib/x.so");
  for (auto list : {bulwark::image::ParseIgnoreText(text, ".trivyignore"),
                    bulwark::image::ParseIgnoreYaml(text, "ignore.yaml", limits)}) {
    if (list.ok()) {
      bulwark::core::v1::Report copy = report;
      list->Apply(copy, absl::FromUnixSeconds(1'800'000'000));
    }
  }
  return 0;
}
