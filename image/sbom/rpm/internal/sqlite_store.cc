#include <cstring>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "bulwark/image/sbom/rpm/internal/rpmdb_stores.h"
#include "sqlite3.h"

namespace bulwark::sbom::internal {
namespace {

// Bytes 18 and 19 of an SQLite file: the read and write format versions (2 means WAL).
constexpr size_t kFormatVersionOffset = 18;
constexpr unsigned char kLegacyFormat = 1;

// Hostile files can only make SQLite report corruption, but a deep or looping b-tree could still
// cost time: stop any statement after this many virtual-machine steps (checked every 1000).
constexpr int kProgressInterval = 1000;
constexpr uint64_t kMaxProgressCalls = 200'000;

struct CloseDatabase {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct FinalizeStatement {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};

int StopRunaway(void* calls) {
  return ++*static_cast<uint64_t*>(calls) > kMaxProgressCalls ? 1 : 0;
}

}  // namespace

absl::Status ForEachSqliteBlob(absl::string_view file, absl::string_view source,
                               const StoreLimits& limits, BlobVisitor visit,
                               std::vector<std::string>* warnings) {
  auto invalid = [&](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": invalid SQLite rpmdb: ", what));
  };
  sqlite3* raw_db = nullptr;
  if (sqlite3_open_v2(":memory:", &raw_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, nullptr) !=
      SQLITE_OK) {
    sqlite3_close(raw_db);
    return absl::InternalError(absl::StrCat(source, ": cannot open an in-memory SQLite database"));
  }
  std::unique_ptr<sqlite3, CloseDatabase> db(raw_db);
  // The copy belongs to SQLite (FREEONCLOSE). The journal mode bytes are set to the legacy
  // format, because the in-memory VFS has no shared memory for WAL; without the -wal file the
  // main file is all there is to read anyway.
  auto* copy = static_cast<unsigned char*>(sqlite3_malloc64(file.size() > 0 ? file.size() : 1));
  if (copy == nullptr) {
    return absl::ResourceExhaustedError(absl::StrCat(source, ": out of memory copying the file"));
  }
  std::memcpy(copy, file.data(), file.size());
  if (file.size() > kFormatVersionOffset + 1) {
    copy[kFormatVersionOffset] = kLegacyFormat;
    copy[kFormatVersionOffset + 1] = kLegacyFormat;
  }
  int rc = sqlite3_deserialize(db.get(), "main", copy, file.size(), file.size(),
                               SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
  if (rc != SQLITE_OK) return invalid(sqlite3_errmsg(db.get()));
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  const uint64_t max_length =
      limits.max_blob_bytes < 0x7fffffff ? limits.max_blob_bytes : 0x7fffffff;
  sqlite3_limit(db.get(), SQLITE_LIMIT_LENGTH, static_cast<int>(max_length > 0 ? max_length : 1));
  uint64_t progress_calls = 0;
  sqlite3_progress_handler(db.get(), kProgressInterval, StopRunaway, &progress_calls);

  sqlite3_stmt* raw_statement = nullptr;
  rc = sqlite3_prepare_v2(db.get(), "SELECT hnum, blob FROM Packages ORDER BY hnum", -1,
                          &raw_statement, nullptr);
  std::unique_ptr<sqlite3_stmt, FinalizeStatement> statement(raw_statement);
  if (rc != SQLITE_OK) return invalid(sqlite3_errmsg(db.get()));
  uint64_t records = 0;
  while ((rc = sqlite3_step(statement.get())) == SQLITE_ROW) {
    const sqlite3_int64 hnum = sqlite3_column_int64(statement.get(), 0);
    const void* data = sqlite3_column_blob(statement.get(), 1);
    const int size = sqlite3_column_bytes(statement.get(), 1);
    if (data == nullptr || size <= 0) {
      if (warnings != nullptr) {
        warnings->push_back(absl::StrCat(source, ": Packages row ", hnum, " has no blob; skipped"));
      }
      continue;
    }
    if (++records > limits.max_records) {
      return absl::ResourceExhaustedError(absl::StrCat(
          source, ": limit max_entries (", limits.max_records, ") exceeded at hnum ", hnum));
    }
    visit(static_cast<uint64_t>(hnum),
          absl::string_view(static_cast<const char*>(data), static_cast<size_t>(size)));
  }
  if (rc != SQLITE_DONE) {
    if (rc == SQLITE_TOOBIG) {
      return absl::ResourceExhaustedError(absl::StrCat(source, ": a Packages blob is above the ",
                                                       limits.max_blob_bytes, "-byte cap"));
    }
    if (rc == SQLITE_INTERRUPT) {
      return absl::ResourceExhaustedError(
          absl::StrCat(source, ": SQLite query stopped after too many steps"));
    }
    return invalid(sqlite3_errmsg(db.get()));
  }
  return absl::OkStatus();
}

}  // namespace bulwark::sbom::internal
