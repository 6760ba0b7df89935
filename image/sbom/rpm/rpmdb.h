// Reads the packages installed in an rpm database, in any of rpm's three formats, from bytes (a
// layer file read through the walker's ContentReader) or from a file path.
//   BULWARK_ASSIGN_OR_RETURN(RpmdbContents db, ReadRpmdb(bytes, "var/lib/rpm/rpmdb.sqlite"));
//   for (const RpmPackage& p : db.packages) std::cout << p.name << " " << RpmEvr(p) << "\n";
//   for (const std::string& w : db.warnings) std::cerr << w << "\n";
// Nothing is written anywhere and no rpm code runs. Thread safety: pure functions; concurrent
// calls are safe (SQLite is used through private in-memory connections).
#ifndef BULWARK_IMAGE_SBOM_RPM_RPMDB_H_
#define BULWARK_IMAGE_SBOM_RPM_RPMDB_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/limits.h"
#include "bulwark/image/sbom/rpm/rpm_package.h"

namespace bulwark::sbom {

enum class RpmdbFormat {
  kBerkeleyDb,  // "Packages": Berkeley DB hash file (RHEL <= 8, CentOS, older SUSE).
  kNdb,         // "Packages.db": rpm's own format (SUSE since 15 SP3).
  kSqlite,      // "rpmdb.sqlite": Fedora 33+, RHEL 9, CBL-Mariner, Amazon Linux 2023.
};

// "bdb", "ndb" or "sqlite".
absl::string_view RpmdbFormatName(RpmdbFormat format);

// The format of an rpmdb by its magic bytes, or nullopt for anything else.
std::optional<RpmdbFormat> DetectRpmdbFormat(absl::string_view bytes);

// The format an image path holds if it is an rpm package database ("var/lib/rpm/Packages",
// "usr/lib/sysimage/rpm/rpmdb.sqlite" ...; paths as the layer walker gives them, no leading
// "/"), or nullopt. Lets a cataloger ask for content only where it needs it.
std::optional<RpmdbFormat> RpmdbFormatForPath(absl::string_view path);

struct RpmdbOptions {
  // max_entries caps the number of header blobs; max_file_bytes caps one blob (and the file in
  // ReadRpmdbFile); max_path_length caps file paths inside a header. Default: core defaults.
  core::Limits limits;
  // Read each package's file list (RpmPackage::files). Default: true.
  bool include_files = true;
};

struct RpmdbContents {
  RpmdbFormat format = RpmdbFormat::kSqlite;
  std::vector<RpmPackage> packages;  // In database order (BDB page, NDB slot, SQLite hnum).
  // Records skipped or repaired, each "<source>[#key]: what" (a page pointer outside the file, a
  // header with lying offsets, invalid UTF-8 ...). Empty for a healthy database.
  std::vector<std::string> warnings;
};

// Reads every package of the database in `bytes`, detecting the format by its magic. `source`
// names the database in messages. Errors: InvalidArgument for bytes that are no rpmdb or whose
// format structures are broken beyond single records, Unimplemented for encrypted or btree
// Berkeley DB files and unknown NDB versions, ResourceExhausted past options.limits.
// Damage confined to one package skips that package with a warning.
absl::StatusOr<RpmdbContents> ReadRpmdb(absl::string_view bytes, absl::string_view source,
                                        const RpmdbOptions& options = {});

// ReadRpmdb on the file at `path` (at most limits.max_file_bytes). Errors also as
// core::ReadFileToString.
absl::StatusOr<RpmdbContents> ReadRpmdbFile(const std::string& path,
                                            const RpmdbOptions& options = {});

}  // namespace bulwark::sbom

#endif  // BULWARK_IMAGE_SBOM_RPM_RPMDB_H_
