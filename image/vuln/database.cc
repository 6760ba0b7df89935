#include "bulwark/image/vuln/database.h"

#include <algorithm>
#include <cstring>
#include <fstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/vuln/package_name.h"
#include "bulwark/image/vuln/version.h"

namespace bulwark::vuln {
namespace {

constexpr absl::string_view kMagic = "BULWARKOSV";
// Magic, uint32 format version, uint64 payload size, 32-byte SHA-256 of the payload.
constexpr size_t kHeaderSize = 10 + 4 + 8 + 32;

std::string IndexKey(absl::string_view ecosystem, absl::string_view name) {
  return absl::StrCat(ecosystem, absl::string_view("\0", 1), NormalizePackageName(ecosystem, name));
}

const std::string& EventVersion(const v1::Event& e) {
  switch (e.kind_case()) {
    case v1::Event::kIntroduced:
      return e.introduced();
    case v1::Event::kFixed:
      return e.fixed();
    case v1::Event::kLastAffected:
      return e.last_affected();
    default:
      return e.limit();
  }
}

absl::string_view EventName(const v1::Event& e) {
  switch (e.kind_case()) {
    case v1::Event::kIntroduced:
      return "introduced";
    case v1::Event::kFixed:
      return "fixed";
    case v1::Event::kLastAffected:
      return "last_affected";
    default:
      return "limit";
  }
}

VersionScheme RangeScheme(const v1::Range& range, VersionScheme ecosystem_scheme) {
  // OSV SEMVER ranges are semver 2.0.0 whatever the ecosystem; Go's dialect also takes "v".
  return range.type() == v1::Range::SEMVER ? VersionScheme::kGo : ecosystem_scheme;
}

bool IsZero(const v1::Event& e) { return e.has_introduced() && e.introduced() == "0"; }

void Warn(v1::LoadStats& stats, size_t max_warnings, std::string warning) {
  if (static_cast<size_t>(stats.warnings_size()) < max_warnings) {
    stats.add_warnings(std::move(warning));
  } else {
    stats.set_warnings_dropped(stats.warnings_dropped() + 1);
  }
}

// Checks every range version of `record` in its scheme, dropping (with a warning) ranges whose
// versions the scheme rejects, and sorts each range's events by version ("0" first), as OSV's
// evaluation algorithm wants. Affected entries of ecosystems Bulwark does not order are dropped
// with a warning.
void PrepareRecord(v1::Record& record, v1::LoadStats& stats, size_t max_warnings) {
  google::protobuf::RepeatedPtrField<v1::Affected> kept;
  for (int a = 0; a < record.affected_size(); ++a) {
    v1::Affected& affected = *record.mutable_affected(a);
    absl::StatusOr<VersionScheme> scheme = SchemeForEcosystem(affected.ecosystem());
    if (!scheme.ok()) {
      Warn(stats, max_warnings,
           absl::StrCat(record.source(), ": affected[", a, "].package.ecosystem: \"",
                        affected.ecosystem(), "\" is not an ecosystem Bulwark orders; ",
                        record.id(), " entry skipped"));
      continue;
    }
    google::protobuf::RepeatedPtrField<v1::Range> ranges;
    for (int r = 0; r < affected.ranges_size(); ++r) {
      v1::Range& range = *affected.mutable_ranges(r);
      VersionScheme range_scheme = RangeScheme(range, *scheme);
      absl::Status valid = absl::OkStatus();
      for (int e = 0; e < range.events_size() && valid.ok(); ++e) {
        const v1::Event& event = range.events(e);
        if (IsZero(event)) continue;
        // Messages name the ecosystem for ECOSYSTEM ranges ("PyPI version ...").
        absl::StatusOr<int> order =
            range.type() == v1::Range::SEMVER
                ? CompareVersions(range_scheme, EventVersion(event), EventVersion(event))
                : CompareVersions(affected.ecosystem(), EventVersion(event), EventVersion(event));
        if (!order.ok()) {
          valid = absl::InvalidArgumentError(
              absl::StrCat(record.source(), ": affected[", a, "].ranges[", r, "].events[", e, "].",
                           EventName(event), ": ", order.status().message(), "; range of ",
                           record.id(), " skipped"));
        }
      }
      if (!valid.ok()) {
        stats.set_invalid_ranges_skipped(stats.invalid_ranges_skipped() + 1);
        Warn(stats, max_warnings, std::string(valid.message()));
        continue;
      }
      std::stable_sort(range.mutable_events()->begin(), range.mutable_events()->end(),
                       [range_scheme](const v1::Event& x, const v1::Event& y) {
                         if (IsZero(x) || IsZero(y)) return IsZero(x) && !IsZero(y);
                         absl::StatusOr<int> order =
                             CompareVersions(range_scheme, EventVersion(x), EventVersion(y));
                         return order.ok() && *order < 0;
                       });
      *ranges.Add() = std::move(range);
    }
    affected.mutable_ranges()->Swap(&ranges);
    *kept.Add() = std::move(affected);
  }
  record.mutable_affected()->Swap(&kept);
}

// OSV's evaluation of one range (events sorted) for `version`.
absl::StatusOr<bool> InRange(const v1::Range& range, VersionScheme scheme,
                             absl::string_view version) {
  bool affected = false;
  bool has_limit = false, under_limit = false;
  for (const v1::Event& event : range.events()) {
    if (IsZero(event)) {
      affected = true;
      continue;
    }
    BULWARK_ASSIGN_OR_RETURN(int order, CompareVersions(scheme, version, EventVersion(event)));
    switch (event.kind_case()) {
      case v1::Event::kIntroduced:
        if (order >= 0) affected = true;
        break;
      case v1::Event::kFixed:
        if (order >= 0) affected = false;
        break;
      case v1::Event::kLastAffected:
        if (order > 0) affected = false;
        break;
      default:
        has_limit = true;
        under_limit = under_limit || order < 0;
        break;
    }
  }
  return affected && (!has_limit || under_limit);
}

std::string Evidence(const v1::Range& range) {
  std::vector<std::string> events;
  for (const v1::Event& e : range.events()) {
    events.push_back(absl::StrCat(EventName(e), " ", EventVersion(e)));
  }
  return absl::StrCat(range.type() == v1::Range::SEMVER ? "SEMVER" : "ECOSYSTEM", " range ",
                      absl::StrJoin(events, ", "));
}

}  // namespace

Database::Database(v1::Database data) : data_(std::move(data)) { BuildIndex(); }

void Database::BuildIndex() {
  for (int r = 0; r < data_.records_size(); ++r) {
    const v1::Record& record = data_.records(r);
    for (int a = 0; a < record.affected_size(); ++a) {
      const v1::Affected& affected = record.affected(a);
      index_[IndexKey(affected.ecosystem(), affected.name())].emplace_back(r, a);
    }
  }
}

std::unique_ptr<const Database> Database::FromRecords(std::vector<v1::Record> records,
                                                      v1::LoadStats stats, size_t max_warnings) {
  v1::Database data;
  for (v1::Record& record : records) {
    PrepareRecord(record, stats, max_warnings);
    if (!record.withdrawn().empty()) stats.set_withdrawn_records(stats.withdrawn_records() + 1);
    *data.add_records() = std::move(record);
  }
  stats.set_records(static_cast<uint64_t>(data.records_size()));
  *data.mutable_stats() = std::move(stats);
  return std::unique_ptr<const Database>(new Database(std::move(data)));
}

absl::StatusOr<std::vector<Database::Match>> Database::Affected(absl::string_view ecosystem,
                                                                absl::string_view name,
                                                                absl::string_view version) const {
  BULWARK_ASSIGN_OR_RETURN(VersionScheme scheme, SchemeForEcosystem(ecosystem));
  BULWARK_RETURN_IF_ERROR(CompareVersions(ecosystem, version, version).status());
  std::vector<std::string> keys = {IndexKey(ecosystem, name)};
  absl::string_view base = ecosystem.substr(0, ecosystem.find(':'));
  if (base.size() != ecosystem.size()) keys.push_back(IndexKey(base, name));
  std::vector<Match> matches;
  for (const std::string& key : keys) {
    auto it = index_.find(key);
    if (it == index_.end()) continue;
    for (const auto& [r, a] : it->second) {
      const v1::Record& record = data_.records(r);
      if (!record.withdrawn().empty()) continue;
      const v1::Affected& affected = record.affected(a);
      for (const std::string& listed : affected.versions()) {
        if (listed == version) {
          matches.push_back(Match{&record, &affected, "listed in versions", {}});
          break;
        }
      }
      if (!matches.empty() && matches.back().affected == &affected) continue;
      for (const v1::Range& range : affected.ranges()) {
        VersionScheme range_scheme = RangeScheme(range, scheme);
        absl::StatusOr<bool> in = InRange(range, range_scheme, version);
        // A version the SEMVER dialect rejects (e.g. a Debian version) is simply not in range.
        if (!in.ok() || !*in) continue;
        Match match{&record, &affected, Evidence(range), {}};
        for (const v1::Event& e : range.events()) {
          if (e.has_fixed()) match.fixed.push_back(e.fixed());
        }
        matches.push_back(std::move(match));
        break;
      }
    }
  }
  return matches;
}

std::string Database::SerializeCompiled() const {
  std::string payload;
  data_.SerializeToString(&payload);
  core::Digest digest = core::DigestBytes(core::DigestAlgorithm::kSha256, payload);
  std::string out(kMagic);
  uint32_t version = kCompiledFormatVersion;
  uint64_t size = payload.size();
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((version >> (8 * i)) & 0xFF));
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((size >> (8 * i)) & 0xFF));
  out += digest.bytes();
  out += payload;
  return out;
}

absl::Status Database::SaveCompiled(const std::string& path) const {
  std::string bytes = SerializeCompiled();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return core::ErrnoToStatus(errno, path);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return core::ErrnoToStatus(errno, path);
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<const Database>> Database::ParseCompiled(absl::string_view bytes) {
  if (bytes.size() < kHeaderSize || bytes.substr(0, kMagic.size()) != kMagic) {
    return absl::InvalidArgumentError(
        "not a Bulwark compiled vulnerability database (missing \"BULWARKOSV\" header)");
  }
  auto byte = [&](size_t i) { return static_cast<uint64_t>(static_cast<unsigned char>(bytes[i])); };
  uint32_t version = 0;
  for (int i = 0; i < 4; ++i) version |= static_cast<uint32_t>(byte(10 + i) << (8 * i));
  if (version != kCompiledFormatVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("compiled database has format version ", version, "; this Bulwark reads ",
                     kCompiledFormatVersion, " (rebuild it from the OSV sources)"));
  }
  uint64_t size = 0;
  for (int i = 0; i < 8; ++i) size |= byte(14 + i) << (8 * i);
  absl::string_view payload = bytes.substr(kHeaderSize);
  if (payload.size() != size) {
    return absl::DataLossError(
        absl::StrCat("compiled database is truncated or padded: header says ", size,
                     " payload bytes, file has ", payload.size()));
  }
  core::Digest digest = core::DigestBytes(core::DigestAlgorithm::kSha256, payload);
  if (digest.bytes() != bytes.substr(22, 32)) {
    return absl::DataLossError("compiled database is corrupt: SHA-256 of the payload differs");
  }
  v1::Database data;
  if (!data.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    return absl::DataLossError("compiled database payload is not a bulwark.vuln.v1.Database");
  }
  return std::unique_ptr<const Database>(new Database(std::move(data)));
}

absl::StatusOr<std::unique_ptr<const Database>> Database::LoadCompiled(const std::string& path,
                                                                       const core::Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(std::string bytes, core::ReadFileToString(path, limits.max_file_bytes));
  absl::StatusOr<std::unique_ptr<const Database>> db = ParseCompiled(bytes);
  if (!db.ok())
    return absl::Status(db.status().code(), absl::StrCat(path, ": ", db.status().message()));
  return db;
}

}  // namespace bulwark::vuln
