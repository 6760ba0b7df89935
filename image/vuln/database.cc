#include "bulwark/image/vuln/database.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <memory>
#include <numeric>
#include <optional>

#include "absl/container/btree_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/vuln/internal/compiled_bytes.h"
#include "bulwark/image/vuln/internal/parsed_version.h"
#include "bulwark/image/vuln/package_name.h"
#include "bulwark/image/vuln/version.h"

namespace bulwark::vuln {

using internal::ParsedVersion;

namespace internal {

// One range of a key's affected entry with its events parsed (sorted at compile time).
struct PreparedRange {
  const v1::Range* range;
  VersionScheme scheme;
  // Parallel to range->events(); nullopt for introduced "0".
  std::vector<std::optional<ParsedVersion>> versions;
  std::string evidence;                  // Match::evidence.
  std::vector<absl::string_view> fixed;  // The fixed events' versions.
};

struct PreparedEntry {
  uint32_t record;
  const v1::Affected* affected;
  VersionScheme scheme;
  std::vector<PreparedRange> ranges;
};

// A key's block, parsed, with pointers into `block` (heap-allocated, never moved).
struct PreparedKey {
  v1::KeyBlock block;
  std::vector<PreparedEntry> entries;
};

}  // namespace internal

namespace {

using internal::CompiledBytes;
using internal::PreparedEntry;
using internal::PreparedKey;
using internal::PreparedRange;

constexpr absl::string_view kMagic = "BULWARKOSV";
// Magic, uint32 format version, uint64 index size, 32-byte SHA-256 of the index.
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

// The events of `range` parsed in `scheme` (nullopt for introduced "0"), or an error naming the
// event, worded as CompareVersions words it for `ecosystem` ("PyPI version \"x\": ...").
absl::StatusOr<std::vector<std::optional<ParsedVersion>>> ParseEvents(const v1::Range& range,
                                                                      VersionScheme scheme,
                                                                      absl::string_view ecosystem) {
  std::vector<std::optional<ParsedVersion>> versions;
  versions.reserve(static_cast<size_t>(range.events_size()));
  for (int e = 0; e < range.events_size(); ++e) {
    const v1::Event& event = range.events(e);
    if (IsZero(event)) {
      versions.emplace_back();
      continue;
    }
    absl::StatusOr<ParsedVersion> parsed = ParsedVersion::Parse(scheme, EventVersion(event));
    if (!parsed.ok()) {
      const std::string& v = EventVersion(event);
      absl::StatusOr<int> worded = range.type() == v1::Range::SEMVER
                                       ? CompareVersions(scheme, v, v)
                                       : CompareVersions(ecosystem, v, v);
      return absl::InvalidArgumentError(
          absl::StrCat("events[", e, "].", EventName(event), ": ",
                       worded.ok() ? parsed.status().message() : worded.status().message()));
    }
    versions.push_back(*std::move(parsed));
  }
  return versions;
}

// Drops (with a warning) ranges whose versions the scheme rejects and sorts each range's events
// by version ("0" first), as OSV's evaluation algorithm wants. Affected entries of ecosystems
// Bulwark does not order are dropped with a warning.
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
      absl::StatusOr<std::vector<std::optional<ParsedVersion>>> parsed =
          ParseEvents(range, range_scheme, affected.ecosystem());
      if (!parsed.ok()) {
        stats.set_invalid_ranges_skipped(stats.invalid_ranges_skipped() + 1);
        Warn(stats, max_warnings,
             absl::StrCat(record.source(), ": affected[", a, "].ranges[", r, "].",
                          parsed.status().message(), "; range of ", record.id(), " skipped"));
        continue;
      }
      std::vector<int> order(static_cast<size_t>(range.events_size()));
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
        const std::optional<ParsedVersion>& vx = (*parsed)[static_cast<size_t>(x)];
        const std::optional<ParsedVersion>& vy = (*parsed)[static_cast<size_t>(y)];
        if (!vx || !vy) return !vx && vy;
        return vx->Compare(*vy) < 0;
      });
      v1::Range sorted;
      sorted.set_type(range.type());
      sorted.set_repo(range.repo());
      for (int e : order) *sorted.add_events() = range.events(e);
      *ranges.Add() = std::move(sorted);
    }
    affected.mutable_ranges()->Swap(&ranges);
    *kept.Add() = std::move(affected);
  }
  record.mutable_affected()->Swap(&kept);
}

// OSV's evaluation of one range (events sorted) for `version`.
bool InRange(const PreparedRange& range, const ParsedVersion& version) {
  bool affected = false;
  bool has_limit = false, under_limit = false;
  for (int i = 0; i < range.range->events_size(); ++i) {
    const v1::Event& event = range.range->events(i);
    const std::optional<ParsedVersion>& at = range.versions[static_cast<size_t>(i)];
    if (!at) {
      affected = true;
      continue;
    }
    int order = version.Compare(*at);
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

void AppendUint(std::string& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

uint64_t ReadUint(absl::string_view bytes, size_t at, int size) {
  uint64_t value = 0;
  for (int i = 0; i < size; ++i) {
    value |= static_cast<uint64_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  }
  return value;
}

// The span of `bytes` placed at `offset` of the block area.
v1::Span SpanOf(uint64_t offset, absl::string_view bytes) {
  v1::Span span;
  span.set_offset(offset);
  span.set_size(bytes.size());
  span.set_sha256(core::DigestBytes(core::DigestAlgorithm::kSha256, bytes).bytes());
  return span;
}

// Bytes appended in chunks of at least kChunkSize: growing never copies what is already there
// (a doubling string holds the old and the new copy at once), and MoveTo frees each chunk as it
// copies it, so the final buffer costs one chunk of headroom rather than a second copy.
class ChunkedBytes {
 public:
  void Append(absl::string_view bytes) {
    if (chunks_.empty() || chunks_.back().capacity() - chunks_.back().size() < bytes.size()) {
      chunks_.emplace_back().reserve(std::max(kChunkSize, bytes.size()));
    }
    chunks_.back().append(bytes.data(), bytes.size());
    size_ += bytes.size();
  }
  uint64_t size() const { return size_; }
  // Copies the bytes to `out`, frees them, and returns the end of the copy.
  char* MoveTo(char* out) {
    for (std::string& chunk : chunks_) {
      out = std::copy(chunk.begin(), chunk.end(), out);
      std::string().swap(chunk);
    }
    chunks_.clear();
    size_ = 0;
    return out;
  }

 private:
  static constexpr size_t kChunkSize = size_t{1} << 20;
  std::vector<std::string> chunks_;
  uint64_t size_ = 0;
};

// Parses a key block and its events; entries or ranges that do not parse (only a crafted file
// has them: compiling validated every version) are left out.
absl::StatusOr<std::unique_ptr<PreparedKey>> PrepareKey(absl::string_view bytes,
                                                        absl::string_view what) {
  auto key = std::make_unique<PreparedKey>();
  if (!key->block.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(absl::StrCat("compiled database: ", what, " does not parse"));
  }
  for (const v1::KeyBlock::Entry& entry : key->block.entries()) {
    absl::StatusOr<VersionScheme> scheme = SchemeForEcosystem(entry.affected().ecosystem());
    if (!scheme.ok()) continue;
    PreparedEntry prepared{entry.record(), &entry.affected(), *scheme, {}};
    for (const v1::Range& range : entry.affected().ranges()) {
      VersionScheme range_scheme = RangeScheme(range, *scheme);
      absl::StatusOr<std::vector<std::optional<ParsedVersion>>> versions =
          ParseEvents(range, range_scheme, entry.affected().ecosystem());
      if (!versions.ok()) continue;
      PreparedRange prepared_range{&range, range_scheme, *std::move(versions), Evidence(range), {}};
      for (const v1::Event& e : range.events()) {
        if (e.has_fixed()) prepared_range.fixed.push_back(e.fixed());
      }
      prepared.ranges.push_back(std::move(prepared_range));
    }
    key->entries.push_back(std::move(prepared));
  }
  return key;
}

}  // namespace

Database::Database(std::unique_ptr<const CompiledBytes> bytes, v1::CompiledIndex index,
                   uint64_t blocks_offset)
    : bytes_(std::move(bytes)),
      index_(std::move(index)),
      blocks_offset_(blocks_offset),
      keys_(new Lazy<PreparedKey>[static_cast<size_t>(index_.keys_size())]),
      records_(new Lazy<v1::Record>[static_cast<size_t>(index_.records_size())]) {
  key_numbers_.reserve(static_cast<size_t>(index_.keys_size()));
  for (int i = 0; i < index_.keys_size(); ++i) key_numbers_.emplace(index_.keys(i), i);
}

Database::~Database() = default;

struct Database::Builder::State {
  size_t max_warnings;
  v1::LoadStats stats;
  // Serialized records, in order; index.records() holds their spans, counted from 0 until
  // Finish places the records after the key blocks.
  ChunkedBytes records;
  v1::CompiledIndex index;
  // Per index key, its KeyBlock serialized one entry at a time: serialized messages concatenate
  // into one message whose repeated fields hold every part's elements, in order.
  absl::btree_map<std::string, std::string> key_blocks;
};

Database::Builder::Builder(size_t max_warnings) : state_(std::make_unique<State>()) {
  state_->max_warnings = max_warnings;
}

Database::Builder::~Builder() = default;

v1::LoadStats& Database::Builder::stats() { return state_->stats; }

void Database::Builder::Add(v1::Record record) {
  State& state = *state_;
  PrepareRecord(record, state.stats, state.max_warnings);
  const auto number = static_cast<uint32_t>(state.index.records_size());
  const std::string bytes = record.SerializeAsString();
  *state.index.add_records() = SpanOf(state.records.size(), bytes);
  state.records.Append(bytes);
  if (!record.withdrawn().empty()) {
    state.stats.set_withdrawn_records(state.stats.withdrawn_records() + 1);
    return;
  }
  for (int a = 0; a < record.affected_size(); ++a) {
    v1::Affected& affected = *record.mutable_affected(a);
    v1::KeyBlock part;
    v1::KeyBlock::Entry* entry = part.add_entries();
    entry->set_record(number);
    entry->set_affected_index(static_cast<uint32_t>(a));
    std::string& block = state.key_blocks[IndexKey(affected.ecosystem(), affected.name())];
    entry->mutable_affected()->Swap(&affected);  // The record is serialized already.
    block += part.SerializeAsString();
  }
}

std::unique_ptr<const Database> Database::Builder::Finish() && {
  State& state = *state_;
  state.stats.set_records(static_cast<uint64_t>(state.index.records_size()));
  // The block area: the key blocks in key order, then the records (whose spans were counted
  // from 0 as they were added).
  uint64_t offset = 0;
  for (const auto& [key, block] : state.key_blocks) {
    state.index.add_keys(key);
    *state.index.add_key_blocks() = SpanOf(offset, block);
    offset += block.size();
  }
  for (v1::Span& span : *state.index.mutable_records()) span.set_offset(span.offset() + offset);
  offset += state.records.size();
  *state.index.mutable_stats() = std::move(state.stats);
  const std::string index = state.index.SerializeAsString();
  std::string header(kMagic);
  AppendUint(header, kCompiledFormatVersion, 4);
  AppendUint(header, index.size(), 8);
  header += core::DigestBytes(core::DigestAlgorithm::kSha256, index).bytes();
  const uint64_t size = header.size() + index.size() + offset;
  // Written once, front to back, while the pieces are freed: the pages of the buffer become
  // resident as the chunks they replace are released.
  auto bytes = std::make_unique_for_overwrite<char[]>(size);
  char* out = std::copy(header.begin(), header.end(), bytes.get());
  out = std::copy(index.begin(), index.end(), out);
  for (auto it = state.key_blocks.begin(); it != state.key_blocks.end();) {
    out = std::copy(it->second.begin(), it->second.end(), out);
    it = state.key_blocks.erase(it);
  }
  state.records.MoveTo(out);
  return std::unique_ptr<const Database>(new Database(internal::InMemory(std::move(bytes), size),
                                                      std::move(state.index),
                                                      header.size() + index.size()));
}

std::unique_ptr<const Database> Database::FromRecords(std::vector<v1::Record> records,
                                                      v1::LoadStats stats, size_t max_warnings) {
  Builder builder(max_warnings);
  builder.stats() = std::move(stats);
  for (v1::Record& record : records) builder.Add(std::move(record));
  return std::move(builder).Finish();
}

absl::StatusOr<absl::string_view> Database::BlockBytes(const v1::Span& span, absl::string_view what,
                                                       std::string& scratch) const {
  // FromCompiledBytes checked that every span lies inside the file.
  BULWARK_ASSIGN_OR_RETURN(absl::string_view bytes,
                           bytes_->Read(blocks_offset_ + span.offset(), span.size(), scratch));
  if (core::DigestBytes(core::DigestAlgorithm::kSha256, bytes).bytes() != span.sha256()) {
    return absl::DataLossError(
        absl::StrCat("compiled database is corrupt: SHA-256 of ", what, " differs"));
  }
  return bytes;
}

absl::StatusOr<const PreparedKey*> Database::Key(absl::string_view key) const {
  auto it = key_numbers_.find(key);
  if (it == key_numbers_.end()) return nullptr;
  Lazy<PreparedKey>& slot = keys_[static_cast<size_t>(it->second)];
  absl::call_once(slot.once, [&] {
    std::string what = absl::StrCat("the block of key ", it->second);
    std::string scratch;
    absl::StatusOr<absl::string_view> bytes =
        BlockBytes(index_.key_blocks(it->second), what, scratch);
    slot.value = bytes.ok() ? PrepareKey(*bytes, what) : bytes.status();
  });
  if (!slot.value.ok()) return slot.value.status();
  return slot.value->get();
}

absl::StatusOr<const v1::Record*> Database::record(size_t i) const {
  if (i >= record_count()) {
    return absl::OutOfRangeError(
        absl::StrCat("record ", i, " of a database of ", record_count(), " records"));
  }
  Lazy<v1::Record>& slot = records_[i];
  absl::call_once(slot.once, [&] {
    std::string what = absl::StrCat("record ", i);
    std::string scratch;
    absl::StatusOr<absl::string_view> bytes =
        BlockBytes(index_.records(static_cast<int>(i)), what, scratch);
    if (!bytes.ok()) {
      slot.value = bytes.status();
      return;
    }
    auto record = std::make_unique<v1::Record>();
    if (!record->ParseFromArray(bytes->data(), static_cast<int>(bytes->size()))) {
      slot.value =
          absl::DataLossError(absl::StrCat("compiled database: ", what, " does not parse"));
      return;
    }
    slot.value = std::move(record);
  });
  if (!slot.value.ok()) return slot.value.status();
  return slot.value->get();
}

absl::StatusOr<std::vector<Database::Match>> Database::Affected(absl::string_view ecosystem,
                                                                absl::string_view name,
                                                                absl::string_view version) const {
  BULWARK_ASSIGN_OR_RETURN(VersionScheme scheme, SchemeForEcosystem(ecosystem));
  absl::StatusOr<ParsedVersion> parsed = ParsedVersion::Parse(scheme, version);
  if (!parsed.ok()) {
    // CompareVersions words the error with the ecosystem and the version.
    BULWARK_RETURN_IF_ERROR(CompareVersions(ecosystem, version, version).status());
    return parsed.status();
  }
  // SEMVER ranges read the version as semver 2.0.0; parsed when a SEMVER range needs it.
  std::optional<absl::StatusOr<ParsedVersion>> as_semver;
  if (scheme == VersionScheme::kGo) as_semver = *parsed;
  // The version in `range_scheme`, or null when that scheme rejects it (e.g. a Debian version
  // in a SEMVER range: simply not in range).
  auto version_for = [&](VersionScheme range_scheme) -> const ParsedVersion* {
    if (range_scheme == scheme) return &*parsed;
    if (!as_semver) as_semver = ParsedVersion::Parse(range_scheme, version);
    return as_semver->ok() ? &**as_semver : nullptr;
  };

  std::vector<std::string> keys = {IndexKey(ecosystem, name)};
  absl::string_view base = ecosystem.substr(0, ecosystem.find(':'));
  if (base.size() != ecosystem.size()) keys.push_back(IndexKey(base, name));
  std::vector<Match> matches;
  for (const std::string& key : keys) {
    BULWARK_ASSIGN_OR_RETURN(const PreparedKey* prepared, Key(key));
    if (prepared == nullptr) continue;
    for (const PreparedEntry& entry : prepared->entries) {
      std::optional<Match> match;
      for (size_t r = 0; !match && r < entry.ranges.size(); ++r) {
        const PreparedRange& range = entry.ranges[r];
        const ParsedVersion* at = version_for(range.scheme);
        if (at == nullptr || !InRange(range, *at)) continue;
        match = Match{nullptr, entry.affected, range.evidence, range.fixed};
      }
      if (!match && std::find(entry.affected->versions().begin(), entry.affected->versions().end(),
                              version) != entry.affected->versions().end()) {
        // Listed explicitly (the ranges may be GIT ones, dropped): the fixes are the ranges'
        // fixed versions after this one.
        match = Match{nullptr, entry.affected, "listed in versions", {}};
        for (const PreparedRange& range : entry.ranges) {
          const ParsedVersion* at = version_for(range.scheme);
          for (int e = 0; at != nullptr && e < range.range->events_size(); ++e) {
            const std::optional<ParsedVersion>& fixed = range.versions[static_cast<size_t>(e)];
            if (range.range->events(e).has_fixed() && fixed && at->Compare(*fixed) < 0) {
              match->fixed.push_back(range.range->events(e).fixed());
            }
          }
        }
      }
      if (!match) continue;
      BULWARK_ASSIGN_OR_RETURN(match->record, record(entry.record));
      matches.push_back(*std::move(match));
    }
  }
  return matches;
}

absl::StatusOr<std::string> Database::SerializeCompiled() const {
  std::string scratch;
  BULWARK_ASSIGN_OR_RETURN(absl::string_view bytes, bytes_->Read(0, bytes_->size(), scratch));
  return std::string(bytes);
}

absl::Status Database::SaveCompiled(const std::string& path) const {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return core::ErrnoToStatus(errno, path);
  // In pieces: a database read from a file is copied without loading it whole.
  constexpr uint64_t kPiece = uint64_t{1} << 20;
  std::string scratch;
  for (uint64_t at = 0; at < bytes_->size(); at += kPiece) {
    BULWARK_ASSIGN_OR_RETURN(absl::string_view piece,
                             bytes_->Read(at, std::min(kPiece, bytes_->size() - at), scratch));
    out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
  }
  out.close();
  if (!out) return core::ErrnoToStatus(errno, path);
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<const Database>> Database::FromCompiledBytes(
    std::unique_ptr<const CompiledBytes> bytes, uint64_t max_index_bytes) {
  const uint64_t size = bytes->size();
  std::string scratch;
  absl::string_view header;
  if (size >= kHeaderSize) {
    BULWARK_ASSIGN_OR_RETURN(header, bytes->Read(0, kHeaderSize, scratch));
  }
  if (size < kHeaderSize || header.substr(0, kMagic.size()) != kMagic) {
    return absl::InvalidArgumentError(
        "not a Bulwark compiled vulnerability database (missing \"BULWARKOSV\" header)");
  }
  uint64_t version = ReadUint(header, 10, 4);
  if (version != kCompiledFormatVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("compiled database has format version ", version, "; this Bulwark reads ",
                     kCompiledFormatVersion, " (rebuild it from the OSV sources)"));
  }
  uint64_t index_size = ReadUint(header, 14, 8);
  const std::string index_sha256(header.substr(22, 32));
  if (index_size > size - kHeaderSize) {
    return absl::DataLossError(absl::StrCat("compiled database is truncated: header says ",
                                            index_size, " index bytes, file has ",
                                            size - kHeaderSize));
  }
  if (index_size > max_index_bytes) {
    return core::LimitExceeded("max_file_bytes", max_index_bytes, "compiled database index");
  }
  BULWARK_ASSIGN_OR_RETURN(absl::string_view index_bytes,
                           bytes->Read(kHeaderSize, index_size, scratch));
  if (core::DigestBytes(core::DigestAlgorithm::kSha256, index_bytes).bytes() != index_sha256) {
    return absl::DataLossError("compiled database is corrupt: SHA-256 of the index differs");
  }
  v1::CompiledIndex index;
  if (!index.ParseFromArray(index_bytes.data(), static_cast<int>(index_bytes.size()))) {
    return absl::DataLossError("compiled database index is not a bulwark.vuln.v1.CompiledIndex");
  }
  if (index.keys_size() != index.key_blocks_size()) {
    return absl::DataLossError(absl::StrCat("compiled database index has ", index.keys_size(),
                                            " keys but ", index.key_blocks_size(), " key blocks"));
  }
  const uint64_t blocks_offset = kHeaderSize + index_size;
  // Spans are checked against the file now (a truncated file fails here) and their checksums
  // when first read.
  const uint64_t blocks_size = size - blocks_offset;
  auto outside = [blocks_size](const v1::Span& span) {
    return span.offset() > blocks_size || span.size() > blocks_size - span.offset();
  };
  if (std::any_of(index.key_blocks().begin(), index.key_blocks().end(), outside) ||
      std::any_of(index.records().begin(), index.records().end(), outside)) {
    return absl::DataLossError(
        "compiled database is truncated: a block the index lists lies past the end of the file");
  }
  return std::unique_ptr<const Database>(
      new Database(std::move(bytes), std::move(index), blocks_offset));
}

absl::StatusOr<std::unique_ptr<const Database>> Database::ParseCompiled(std::string bytes) {
  const uint64_t size = bytes.size();
  return FromCompiledBytes(internal::InMemory(std::move(bytes)), size);
}

absl::StatusOr<std::unique_ptr<const Database>> Database::LoadCompiled(const std::string& path,
                                                                       const core::Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<CompiledBytes> bytes, internal::OpenCompiledFile(path));
  absl::StatusOr<std::unique_ptr<const Database>> db =
      FromCompiledBytes(std::move(bytes), limits.max_file_bytes);
  if (!db.ok())
    return absl::Status(db.status().code(), absl::StrCat(path, ": ", db.status().message()));
  return db;
}

absl::StatusOr<std::unique_ptr<const Database>> Database::Open(const std::string& path,
                                                               const LoadOptions& options) {
  std::ifstream in(path, std::ios::binary);
  char magic[10] = {};
  if (in && in.read(magic, sizeof(magic)) && absl::string_view(magic, sizeof(magic)) == kMagic) {
    return LoadCompiled(path, options.limits);
  }
  return LoadSources({path}, options);
}

}  // namespace bulwark::vuln
