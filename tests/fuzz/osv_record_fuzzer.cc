// Fuzzes the OSV record path: JSON (or YAML when the input starts with "#") into ParseOsvRecord
// or ConvertAlpineSecdb, a Database built from the records, and Affected() queries for every
// affected package at the versions its ranges name. Nothing may crash, hang or leak.
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "bulwark/core/document.h"
#include "bulwark/image/vuln/alpine_secdb.h"
#include "bulwark/image/vuln/database.h"
#include "bulwark/image/vuln/osv_record.h"

namespace vuln = bulwark::vuln;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  bulwark::core::Limits limits;
  limits.max_depth = 64;
  limits.max_entries = 100'000;
  std::vector<bulwark::core::Value> documents;
  if (!text.empty() && text[0] == '#') {
    auto parsed = bulwark::core::ParseYaml(text, limits, "fuzz.yaml");
    if (!parsed.ok()) return 0;
    documents = *std::move(parsed);
  } else {
    auto parsed = bulwark::core::ParseJson(text, limits, "fuzz.json");
    if (!parsed.ok()) return 0;
    documents.push_back(*std::move(parsed));
  }
  std::vector<vuln::v1::Record> records;
  for (const bulwark::core::Value& document : documents) {
    if (vuln::IsAlpineSecdb(document)) {
      auto converted = vuln::ConvertAlpineSecdb(document, "fuzz.yaml");
      if (converted.ok()) records.insert(records.end(), converted->begin(), converted->end());
      continue;
    }
    uint64_t git = 0;
    auto record = vuln::ParseOsvRecord(document, "fuzz.json", &git);
    if (record.ok()) records.push_back(*std::move(record));
  }
  std::unique_ptr<const vuln::Database> db =
      vuln::Database::FromRecords(std::move(records), vuln::v1::LoadStats(), 10);
  for (size_t i = 0; i < db->record_count(); ++i) {
    auto record_or = db->record(i);
    if (!record_or.ok()) continue;
    const vuln::v1::Record& record = **record_or;
    for (const vuln::v1::Affected& affected : record.affected()) {
      std::vector<std::string> versions = {"0", "1.0.0"};
      for (const vuln::v1::Range& range : affected.ranges()) {
        for (const vuln::v1::Event& event : range.events()) {
          versions.push_back(event.introduced() + event.fixed() + event.last_affected() +
                             event.limit());
        }
      }
      for (const std::string& version : versions) {
        (void)db->Affected(affected.ecosystem(), affected.name(), version);
      }
    }
  }
  return 0;
}
