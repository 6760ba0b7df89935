// Time to read every package (with file lists) of the real rpm databases in
// ../shared/conformance/pkgdb/rpm, against Debian's `rpm -qa` printing the same fields and files
// from the same database in the same run (a process start included, as a cataloger calling rpm
// would pay). Run from the repository root: bazel run -c opt //image/sbom/rpm:rpmdb_benchmark
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "bulwark/core/file.h"
#include "bulwark/image/sbom/rpm/rpmdb.h"

namespace bulwark::sbom {
namespace {

struct Database {
  const char* file;     // In ../shared/conformance/pkgdb/rpm/go-rpmdb.
  const char* name;     // What rpm expects in its --dbpath.
  const char* backend;  // rpm's _db_backend.
};
constexpr Database kDatabases[] = {
    {"cbl-mariner-2.0.rpmdb.sqlite", "rpmdb.sqlite", "sqlite"},
    {"libuuid.Packages.bdb", "Packages", "bdb_ro"},
    {"sle15-bci.Packages.db", "Packages.db", "ndb"},
};

std::string SharedRpmDir() {
  const char* shared = std::getenv("BULWARK_SHARED_DIR");
  std::string root = shared != nullptr ? shared : "../shared";
  if (const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY")) {
    if (shared == nullptr) root = absl::StrCat(workspace, "/../shared");
  }
  return root + "/conformance/pkgdb/rpm/go-rpmdb";
}

void BM_ReadRpmdb(benchmark::State& state) {
  const Database& db = kDatabases[state.range(0)];
  auto bytes = core::ReadFileToString(absl::StrCat(SharedRpmDir(), "/", db.file), 1 << 30);
  if (!bytes.ok()) {
    state.SkipWithError("shared rpm databases not found");
    return;
  }
  size_t packages = 0;
  for (auto _ : state) {
    auto contents = ReadRpmdb(*bytes, db.file);
    if (!contents.ok()) state.SkipWithError("ReadRpmdb failed");
    packages = contents.ok() ? contents->packages.size() : 0;
    benchmark::DoNotOptimize(contents);
  }
  state.SetLabel(absl::StrCat(db.backend, ", ", packages, " packages"));
  state.SetBytesProcessed(state.iterations() * bytes->size());
}
BENCHMARK(BM_ReadRpmdb)->DenseRange(0, 2)->Unit(benchmark::kMillisecond)->UseRealTime();

// Baseline: rpm 4.18 (sqlite and bdb_ro backends; no ndb) printing the same package fields and
// every file's name, size, mode and digest to /dev/null.
void BM_RpmQuery(benchmark::State& state) {
  const Database& db = kDatabases[state.range(0)];
  const std::string dir = absl::StrCat("/tmp/bulwark-rpmdb-benchmark-", db.backend);
  const std::string setup = absl::StrCat("mkdir -p ", dir, " && cp ", SharedRpmDir(), "/", db.file,
                                         " ", dir, "/", db.name);
  if (std::system(setup.c_str()) != 0) {
    state.SkipWithError("cannot copy the database");
    return;
  }
  const std::string command = absl::StrCat(
      "rpm --dbpath ", dir, " --define '_db_backend ", db.backend,
      "' -qa --qf '%{EPOCH} %{NAME} %{VERSION} %{RELEASE} %{ARCH} %{SOURCERPM} %{SIZE} "
      "%{LICENSE} %{VENDOR} %{SUMMARY} %{SIGMD5}\\n[%{FILENAMES} %{FILESIZES} %{FILEMODES} "
      "%{FILEDIGESTS}\\n]' >/dev/null 2>&1");
  auto bytes = core::ReadFileToString(absl::StrCat(SharedRpmDir(), "/", db.file), 1 << 30);
  for (auto _ : state) {
    if (std::system(command.c_str()) != 0) state.SkipWithError("rpm failed (installed?)");
  }
  state.SetLabel(db.backend);
  if (bytes.ok()) state.SetBytesProcessed(state.iterations() * bytes->size());
}
BENCHMARK(BM_RpmQuery)->DenseRange(0, 1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace bulwark::sbom
