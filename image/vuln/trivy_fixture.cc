#include "bulwark/image/vuln/trivy_fixture.h"

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

// The OSV ecosystem of a distribution bucket name, or "" for any other bucket.
std::string EcosystemOf(absl::string_view bucket) {
  struct Prefix {
    absl::string_view trivy, osv, release_prefix;
  };
  constexpr Prefix kPrefixes[] = {{"debian ", "Debian", ""},
                                  {"ubuntu ", "Ubuntu", ""},
                                  {"alpine ", "Alpine", "v"},
                                  {"alma ", "AlmaLinux", ""},
                                  {"rocky ", "Rocky Linux", ""}};
  for (const Prefix& prefix : kPrefixes) {
    absl::string_view release = bucket;
    if (absl::ConsumePrefix(&release, prefix.trivy) && !release.empty()) {
      // Alpine's edge has no "v".
      return absl::StrCat(prefix.osv, ":", release == "edge" ? "" : prefix.release_prefix, release);
    }
  }
  return "";
}

// The "pairs" list of a bucket entry.
absl::StatusOr<const core::ValueList*> Pairs(const core::Value& entry, absl::string_view source,
                                             absl::string_view path) {
  const core::Value* pairs = entry.is_map() ? entry.Find("pairs") : nullptr;
  if (pairs == nullptr || !pairs->is_list()) return Error(source, entry, path, "has no pairs list");
  return &pairs->list_value();
}

std::string StringOf(const core::Value& map, absl::string_view key) {
  const core::Value* value = map.is_map() ? map.Find(key) : nullptr;
  return value != nullptr && value->is_string() ? value->string_value() : "";
}

}  // namespace

bool IsTrivyFixture(const core::Value& document) {
  if (!document.is_list() || document.list_value().empty()) return false;
  for (const core::Value& entry : document.list_value()) {
    if (!entry.is_map() || entry.Find("bucket") == nullptr || entry.Find("pairs") == nullptr) {
      return false;
    }
  }
  return true;
}

absl::StatusOr<std::vector<v1::Record>> ConvertTrivyFixture(const core::Value& document,
                                                            absl::string_view source,
                                                            uint64_t* skipped_buckets) {
  std::vector<v1::Record> records;
  for (size_t b = 0; b < document.list_value().size(); ++b) {
    const core::Value& bucket = document.list_value()[b];
    std::string ecosystem = EcosystemOf(StringOf(bucket, "bucket"));
    if (ecosystem.empty()) {
      if (skipped_buckets != nullptr) ++*skipped_buckets;
      continue;
    }
    std::string path = absl::StrCat("[", b, "]");
    absl::StatusOr<const core::ValueList*> packages = Pairs(bucket, source, path);
    if (!packages.ok()) return packages.status();
    for (size_t p = 0; p < (*packages)->size(); ++p) {
      const core::Value& package = (**packages)[p];
      std::string package_path = absl::StrCat(path, ".pairs[", p, "]");
      std::string name = StringOf(package, "bucket");
      if (name.empty()) return Error(source, package, package_path, "has no package bucket name");
      absl::StatusOr<const core::ValueList*> advisories = Pairs(package, source, package_path);
      if (!advisories.ok()) return advisories.status();
      for (size_t a = 0; a < (*advisories)->size(); ++a) {
        const core::Value& advisory = (**advisories)[a];
        std::string advisory_path = absl::StrCat(package_path, ".pairs[", a, "]");
        std::string id = StringOf(advisory, "key");
        const core::Value* value = advisory.is_map() ? advisory.Find("value") : nullptr;
        if (id.empty() || value == nullptr || !value->is_map()) {
          return Error(source, advisory, advisory_path, "needs a key and a value map");
        }
        const core::Value* status = value->Find("Status");
        const bool not_affected =
            status != nullptr && ((status->is_int() && status->int_value() == 1) ||
                                  (status->is_uint() && status->uint_value() == 1));
        if (not_affected) continue;
        v1::Record record;
        record.set_id(id);
        record.set_source(absl::StrCat(source, ":", advisory.position().ToString()));
        if (const core::Value* vendor = value->Find("VendorIDs"); vendor && vendor->is_list()) {
          for (const core::Value& related : vendor->list_value()) {
            if (related.is_string()) record.add_related(related.string_value());
          }
        }
        v1::Affected* affected = record.add_affected();
        affected->set_ecosystem(ecosystem);
        affected->set_name(name);
        v1::Range* range = affected->add_ranges();
        range->set_type(v1::Range::ECOSYSTEM);
        range->add_events()->set_introduced("0");
        std::string fixed = StringOf(*value, "FixedVersion");
        if (!fixed.empty()) range->add_events()->set_fixed(fixed);
        records.push_back(std::move(record));
      }
    }
  }
  return records;
}

}  // namespace bulwark::vuln
