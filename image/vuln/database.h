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
// Thread safety: a Database is immutable after construction; share it across threads.
#ifndef BULWARK_IMAGE_VULN_DATABASE_H_
#define BULWARK_IMAGE_VULN_DATABASE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

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
inline constexpr uint32_t kCompiledFormatVersion = 1;

class Database {
 public:
  // One advisory that affects the queried version. Pointers borrow from the Database.
  struct Match {
    const v1::Record* record;
    const v1::Affected* affected;
    // Why it matched: "ECOSYSTEM range introduced 0, fixed 1.2.3" or "listed in versions".
    std::string evidence;
    // The fixed versions of the matching range ("" entries never appear); empty: no fix yet.
    std::vector<std::string> fixed;
  };

  // Reads every source in `paths` (see the file comment). Errors: NotFound / PermissionDenied
  // for a path that cannot be read, ResourceExhausted for a Limits cap; a malformed record is
  // not an error (it is skipped and reported in stats()).
  static absl::StatusOr<std::unique_ptr<const Database>> LoadSources(
      const std::vector<std::string>& paths, const LoadOptions& options = {});

  // Builds a database from parsed records. Ranges whose versions the ecosystem's scheme rejects,
  // and affected entries of ecosystems Bulwark does not order, are dropped with a warning in
  // `stats`.
  static std::unique_ptr<const Database> FromRecords(std::vector<v1::Record> records,
                                                     v1::LoadStats stats,
                                                     size_t max_warnings = 1000);

  // The compiled form: a header ("BULWARKOSV", format version, payload size, SHA-256 of the
  // payload) and a serialized v1::Database.
  std::string SerializeCompiled() const;
  absl::Status SaveCompiled(const std::string& path) const;
  // Errors: InvalidArgument (not a compiled database), FailedPrecondition (another format
  // version), DataLoss (truncated or corrupt), NotFound / PermissionDenied, ResourceExhausted.
  static absl::StatusOr<std::unique_ptr<const Database>> ParseCompiled(absl::string_view bytes);
  static absl::StatusOr<std::unique_ptr<const Database>> LoadCompiled(
      const std::string& path, const core::Limits& limits = {});

  // The advisories (withdrawn ones excluded) whose affected[] entry for (ecosystem, name)
  // includes `version`. `ecosystem` is an OSV name with an optional release ("Debian:12"
  // matches records for "Debian:12" and for plain "Debian"); `name` is normalised as
  // NormalizePackageName does. Errors: InvalidArgument for an unknown ecosystem or a version the
  // ecosystem's scheme rejects.
  absl::StatusOr<std::vector<Match>> Affected(absl::string_view ecosystem, absl::string_view name,
                                              absl::string_view version) const;

  const v1::LoadStats& stats() const { return data_.stats(); }
  const google::protobuf::RepeatedPtrField<v1::Record>& records() const { return data_.records(); }

 private:
  explicit Database(v1::Database data);
  void BuildIndex();

  v1::Database data_;
  // Normalised "ecosystem\0name" to (record index, affected index).
  absl::flat_hash_map<std::string, std::vector<std::pair<int, int>>> index_;
};

}  // namespace bulwark::vuln

#endif  // BULWARK_IMAGE_VULN_DATABASE_H_
