// An immutable, indexed vulnerability database built from OSV records, and the query that says
// which advisories affect one package version.
//   BULWARK_ASSIGN_OR_RETURN(auto db, Database::LoadSources({"osv/go", "alpine-secdb"}));
//   BULWARK_ASSIGN_OR_RETURN(std::vector<Database::Match> hits,
//                            db->Affected("PyPI", "Django", "3.2.1"));
//   BULWARK_RETURN_IF_ERROR(db->SaveCompiled("osv.bulwarkdb"));   // later: LoadCompiled()
// Sources: directories (walked recursively), OSV JSON (*.json), OSV YAML (*.yaml, *.yml; Alpine
// secdb documents are recognised and converted), JSON Lines (*.jsonl, one record per line), and
// zip archives of an OSV export (*.zip, read with libarchive). Malformed records are skipped
// with a warning naming the file and field; GIT ranges are dropped and counted (stats()).
// Representation: whatever the origin, a Database is its compiled form (see SerializeCompiled):
// loading reads only the index of keys; the affected entries of a key (with their range events
// parsed in the ecosystem's scheme) and each record are parsed and checksum-verified the first
// time a query needs them. A compiled file stays on disk (LoadCompiled reads its index, then each
// block when first needed); sources are compiled record by record (Builder), so neither the
// parsed documents nor the parsed records are held, only the compiled bytes.
// Thread safety: a Database is logically immutable; share it across threads (the first-use
// parsing is synchronised).
#ifndef BULWARK_IMAGE_VULN_DATABASE_H_
#define BULWARK_IMAGE_VULN_DATABASE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/call_once.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/limits.h"
#include "bulwark/image/vuln/osv.pb.h"

namespace bulwark::vuln {

struct LoadOptions {
  // Caps on each file and document read. Default: core::Limits defaults.
  core::Limits limits;
  // Warnings kept in stats().warnings; the rest are only counted. Default: 1000.
  size_t max_warnings = 1000;
};

// The compiled file's format version; LoadCompiled refuses any other.
inline constexpr uint32_t kCompiledFormatVersion = 2;

namespace internal {
class CompiledBytes;
struct PreparedKey;
}  // namespace internal

class Database {
 public:
  // One advisory that affects the queried version. Pointers and views borrow from the Database.
  struct Match {
    const v1::Record* record;
    const v1::Affected* affected;
    // Why it matched: "ECOSYSTEM range introduced 0, fixed 1.2.3" or "listed in versions".
    absl::string_view evidence;
    // The fixed versions of the matching range (for a version matched by the versions list:
    // the ranges' fixed versions after it); empty: no fix yet.
    std::vector<absl::string_view> fixed;
  };

  // Reads every source in `paths` (see the file comment). Errors: NotFound / PermissionDenied
  // for a path that cannot be read, ResourceExhausted for a Limits cap; a malformed record is
  // not an error (it is skipped and reported in stats()).
  static absl::StatusOr<std::unique_ptr<const Database>> LoadSources(
      const std::vector<std::string>& paths, const LoadOptions& options = {});

  // Builds a database from parsed records (and compiles it; see SerializeCompiled). Ranges whose
  // versions the ecosystem's scheme rejects, and affected entries of ecosystems Bulwark does not
  // order, are dropped with a warning in `stats`.
  static std::unique_ptr<const Database> FromRecords(std::vector<v1::Record> records,
                                                     v1::LoadStats stats,
                                                     size_t max_warnings = 1000);

  // Compiles records one at a time (as FromRecords does), keeping only their compiled bytes:
  // each record is serialized when added and its affected entries appended to their keys'
  // blocks, so the caller can free every parsed document and record as it goes. Not
  // thread-safe; Finish consumes the builder.
  class Builder {
   public:
    explicit Builder(size_t max_warnings = 1000);
    ~Builder();
    Builder(const Builder&) = delete;
    Builder& operator=(const Builder&) = delete;

    // The statistics so far; the caller adds what it counts (files, malformed records, ...).
    v1::LoadStats& stats();
    // Prepares `record` (invalid ranges and ecosystems Bulwark does not order dropped with a
    // warning) and appends it.
    void Add(v1::Record record);
    // The database of every record added, in order.
    std::unique_ptr<const Database> Finish() &&;

   private:
    struct State;
    std::unique_ptr<State> state_;
  };

  // The compiled form: a header ("BULWARKOSV", uint32 format version, uint64 index size, SHA-256
  // of the index), a serialized v1::CompiledIndex, then the key blocks and records it points
  // to, each with its own SHA-256 in the index. Errors: those of reading a compiled file that
  // changed since it was loaded (DataLoss, the read's errno).
  absl::StatusOr<std::string> SerializeCompiled() const;
  absl::Status SaveCompiled(const std::string& path) const;
  // Checks the header and the index checksum and reads the index; blocks are checked when first
  // used. Errors: InvalidArgument (not a compiled database), FailedPrecondition (another format
  // version), DataLoss (truncated or corrupt), NotFound / PermissionDenied, ResourceExhausted.
  static absl::StatusOr<std::unique_ptr<const Database>> ParseCompiled(std::string bytes);
  // As ParseCompiled, but the file stays open and only its index is read now (an index larger
  // than limits.max_file_bytes is ResourceExhausted); each block is read (and checked) from the
  // file when first needed. The file must not change while the Database lives: a block that
  // changed fails its checksum, and a file that became shorter gives DataLoss, from the query
  // that reads it.
  static absl::StatusOr<std::unique_ptr<const Database>> LoadCompiled(
      const std::string& path, const core::Limits& limits = {});
  // LoadCompiled for a compiled file, LoadSources for anything else (a directory, OSV files).
  static absl::StatusOr<std::unique_ptr<const Database>> Open(const std::string& path,
                                                              const LoadOptions& options = {});

  // The advisories (withdrawn ones excluded) whose affected[] entry for (ecosystem, name)
  // includes `version`. `ecosystem` is an OSV name with an optional release ("Debian:12"
  // matches records for "Debian:12" and for plain "Debian"); `name` is normalised as
  // NormalizePackageName does. Errors: InvalidArgument for an unknown ecosystem or a version the
  // ecosystem's scheme rejects; DataLoss when a block of a compiled file is corrupt.
  absl::StatusOr<std::vector<Match>> Affected(absl::string_view ecosystem, absl::string_view name,
                                              absl::string_view version) const;

  const v1::LoadStats& stats() const { return index_.stats(); }
  size_t record_count() const { return static_cast<size_t>(index_.records_size()); }
  // Record `i` (0 <= i < record_count()), borrowed from the Database. Errors: DataLoss when its
  // block is corrupt; OutOfRange for a bad `i`.
  absl::StatusOr<const v1::Record*> record(size_t i) const;

  ~Database();

 private:
  Database(std::unique_ptr<const internal::CompiledBytes> bytes, v1::CompiledIndex index,
           uint64_t blocks_offset);
  // Checks the header and reads the index of `bytes` (ParseCompiled, LoadCompiled).
  static absl::StatusOr<std::unique_ptr<const Database>> FromCompiledBytes(
      std::unique_ptr<const internal::CompiledBytes> bytes, uint64_t max_index_bytes);
  // The bytes of a block after checking its bounds and checksum; `scratch` may hold them.
  absl::StatusOr<absl::string_view> BlockBytes(const v1::Span& span, absl::string_view what,
                                               std::string& scratch) const;
  absl::StatusOr<const internal::PreparedKey*> Key(absl::string_view key) const;

  std::unique_ptr<const internal::CompiledBytes> bytes_;  // The compiled form.
  v1::CompiledIndex index_;
  uint64_t blocks_offset_;                                   // Where the spans' offsets count from.
  absl::flat_hash_map<absl::string_view, int> key_numbers_;  // Views into index_.keys().

  // Parsed on first use; each slot's once_flag guards it.
  template <typename T>
  struct Lazy {
    absl::once_flag once;
    absl::StatusOr<std::unique_ptr<T>> value = absl::UnknownError("not parsed");
  };
  std::unique_ptr<Lazy<internal::PreparedKey>[]> keys_;
  std::unique_ptr<Lazy<v1::Record>[]> records_;
};

}  // namespace bulwark::vuln

#endif  // BULWARK_IMAGE_VULN_DATABASE_H_
