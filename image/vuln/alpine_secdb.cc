#include "bulwark/image/vuln/alpine_secdb.h"

#include <map>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace bulwark::vuln {
namespace {

absl::Status Error(absl::string_view source, const core::Value& at, absl::string_view path,
                   absl::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat(source, ":", at.position().ToString(), ": ", path, ": ", problem));
}

}  // namespace

bool IsAlpineSecdb(const core::Value& document) {
  return document.is_map() && document.Find("distroversion") != nullptr &&
         document.Find("packages") != nullptr;
}

absl::StatusOr<std::vector<v1::Record>> ConvertAlpineSecdb(const core::Value& document,
                                                           absl::string_view source) {
  const core::Value* release = document.Find("distroversion");
  if (release == nullptr || !release->is_string()) {
    return Error(source, document, "distroversion", "is missing or not a string");
  }
  const core::Value* packages = document.Find("packages");
  if (packages == nullptr || !(packages->is_list() || packages->is_null())) {
    return Error(source, document, "packages", "is not a list");
  }
  std::string ecosystem = absl::StrCat("Alpine:", release->string_value());
  std::vector<v1::Record> records;
  if (packages->is_null()) return records;
  for (size_t i = 0; i < packages->list_value().size(); ++i) {
    const core::Value& entry = packages->list_value()[i];
    std::string path = absl::StrCat("packages[", i, "].pkg");
    const core::Value* pkg = entry.is_map() ? entry.Find("pkg") : nullptr;
    if (pkg == nullptr || !pkg->is_map()) return Error(source, entry, path, "is missing");
    const core::Value* name = pkg->Find("name");
    if (name == nullptr || !name->is_string() || name->string_value().empty()) {
      return Error(source, *pkg, path + ".name", "is missing or not a string");
    }
    const core::Value* secfixes = pkg->Find("secfixes");
    if (secfixes == nullptr || secfixes->is_null()) continue;
    if (!secfixes->is_map()) return Error(source, *secfixes, path + ".secfixes", "is not a map");
    for (const core::MapEntry& fix : secfixes->map_value()) {
      if (fix.key == "0") continue;  // Listed CVEs never affected this package.
      if (fix.value.is_null()) continue;
      if (!fix.value.is_list()) {
        return Error(source, fix.value, absl::StrCat(path, ".secfixes.", fix.key), "is not a list");
      }
      for (const core::Value& cve : fix.value.list_value()) {
        if (!cve.is_string()) {
          return Error(source, cve, absl::StrCat(path, ".secfixes.", fix.key),
                       "holds something other than a string");
        }
        // Entries look like "CVE-2017-3167" or "CVE-2017-3167 CVE-2017-3169"-style notes;
        // the first word is the identifier.
        std::string id(cve.string_value().substr(0, cve.string_value().find(' ')));
        v1::Record record;
        record.set_id(
            absl::StrCat("ALPINE-", id, "-", name->string_value(), "-", release->string_value()));
        record.add_aliases(id);
        record.set_source(std::string(source));
        v1::Affected* affected = record.add_affected();
        affected->set_ecosystem(ecosystem);
        affected->set_name(name->string_value());
        v1::Range* range = affected->add_ranges();
        range->set_type(v1::Range::ECOSYSTEM);
        range->add_events()->set_introduced("0");
        range->add_events()->set_fixed(fix.key);
        records.push_back(std::move(record));
      }
    }
  }
  return records;
}

}  // namespace bulwark::vuln
