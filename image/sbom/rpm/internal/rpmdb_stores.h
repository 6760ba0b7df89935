// The three on-disk stores of rpm's package database, each reduced to "hand every header blob to
// a callback": Berkeley DB hash (Packages), rpm's NDB (Packages.db) and SQLite (rpmdb.sqlite).
// Internal to //image/sbom/rpm; the API is bulwark/image/sbom/rpm/rpmdb.h.
// Damage confined to one record (a page pointer outside the file, a broken overflow chain, a bad
// blob checksum) is appended to `warnings` and the record skipped; damage that leaves nothing
// trustworthy (bad magic, impossible page size, slot table outside the file) is an error.
// Thread safety: pure functions.
#ifndef BULWARK_IMAGE_SBOM_RPM_INTERNAL_RPMDB_STORES_H_
#define BULWARK_IMAGE_SBOM_RPM_INTERNAL_RPMDB_STORES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace bulwark::sbom::internal {

// Caps for one store walk.
struct StoreLimits {
  uint64_t max_blob_bytes = 0;  // A larger record is skipped with a warning.
  uint64_t max_records = 0;     // More records is ResourceExhausted.
};

// Receives one record: its key in the store (BDB key, NDB package index, SQLite hnum) and the
// header blob, valid only during the call.
using BlobVisitor = absl::FunctionRef<void(uint64_t key, absl::string_view blob)>;

// Berkeley DB hash database (any byte order, pages of 512 B to 64 KiB). Reads every hash page,
// follows overflow chains (bounded by the page count, so cycles end) and skips key 0, where rpm
// keeps its next-instance counter. Errors: InvalidArgument for a bad meta page, Unimplemented for
// encrypted databases and Berkeley DB btree files.
absl::Status ForEachBdbHashBlob(absl::string_view file, absl::string_view source,
                                const StoreLimits& limits, BlobVisitor visit,
                                std::vector<std::string>* warnings);

// rpm's NDB package store (lib/backend/ndb/rpmpkg.c): slot pages listing blobs of 16-byte
// blocks, each blob framed by "BlbS"/"BlbE" with an Adler-32 checksum, which is verified.
absl::Status ForEachNdbBlob(absl::string_view file, absl::string_view source,
                            const StoreLimits& limits, BlobVisitor visit,
                            std::vector<std::string>* warnings);

// SQLite database with rpm's table Packages(hnum, blob), opened read-only from memory (a copy
// of `file`, so WAL-mode files open without their -wal/-shm companions), in hnum order.
// Errors: InvalidArgument when SQLite rejects the file or it has no Packages table.
absl::Status ForEachSqliteBlob(absl::string_view file, absl::string_view source,
                               const StoreLimits& limits, BlobVisitor visit,
                               std::vector<std::string>* warnings);

}  // namespace bulwark::sbom::internal

#endif  // BULWARK_IMAGE_SBOM_RPM_INTERNAL_RPMDB_STORES_H_
