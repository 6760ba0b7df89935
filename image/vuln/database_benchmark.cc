// OSV database figures (issue 5), each with its baseline in the same process:
// - BM_LoadSources / BM_LoadCompiled: compile ../shared/conformance/osv's JSON sources (Go
//   vulndb, AlmaLinux, crates.io) vs loading the compiled file of the same records. The issue
//   asks for the compiled load to be >= 20x faster; bytes/s of source JSON is reported.
// - BM_Affected10k: 10,000 generated (ecosystem, name, version) queries over the ecosystems in
//   the data against the full database, single thread (required: <= 50 ms per 10,000);
//   BM_Affected10kFirstPass: the same on a just-loaded compiled file (first-use parsing).
// - BM_CompareVersions_<scheme>: comparisons per second on the shared conformance vectors'
//   versions (dpkg, rpm, PEP 440, semver), for bench/vuln_versions.py's reference ratios.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "benchmark/benchmark.h"
#include "bulwark/image/vuln/database.h"
#include "bulwark/image/vuln/version.h"

namespace bulwark::vuln {
namespace {

std::string SharedOsv() {
  const char* shared = std::getenv("BULWARK_SHARED_DIR");
  return absl::StrCat(shared != nullptr ? shared : "../shared", "/conformance/osv");
}

std::vector<std::string> JsonSources() {
  std::string osv = SharedOsv();
  return {osv + "/go/osv", osv + "/almalinux/advisories", osv + "/crates/crates"};
}

uint64_t SourceBytes() {
  uint64_t bytes = 0;
  for (const std::string& dir : JsonSources()) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
      if (entry.is_regular_file() && entry.path().extension() == ".json")
        bytes += entry.file_size();
    }
  }
  return bytes;
}

const Database& FullDatabase() {
  static const Database* db = [] {
    auto loaded = Database::LoadSources(JsonSources());
    if (!loaded.ok()) std::abort();
    return loaded->release();
  }();
  return *db;
}

void BM_LoadSources(benchmark::State& state) {
  uint64_t bytes = SourceBytes();
  for (auto _ : state) {
    auto db = Database::LoadSources(JsonSources());
    if (!db.ok()) state.SkipWithError(std::string(db.status().message()).c_str());
    benchmark::DoNotOptimize(db);
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes * state.iterations()));
}
BENCHMARK(BM_LoadSources)->Unit(benchmark::kMillisecond)->Iterations(2);

void BM_LoadCompiled(benchmark::State& state) {
  std::string path =
      absl::StrCat(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp", "/bulwark_bench_osv.db");
  if (!FullDatabase().SaveCompiled(path).ok()) std::abort();
  for (auto _ : state) {
    auto db = Database::LoadCompiled(path);
    if (!db.ok()) state.SkipWithError(std::string(db.status().message()).c_str());
    benchmark::DoNotOptimize(db);
  }
  state.SetBytesProcessed(static_cast<int64_t>(SourceBytes() * state.iterations()));
  std::filesystem::remove(path);
}
BENCHMARK(BM_LoadCompiled)->Unit(benchmark::kMillisecond)->Iterations(5);

struct Query {
  std::string ecosystem, name, version;
};

// 10,000 queries: every affected package of the database in turn, at one of its event versions
// or a version outside every range.
std::vector<Query> Queries() {
  std::vector<Query> queries;
  const Database& db = FullDatabase();
  for (int round = 0; queries.size() < 10'000; ++round) {
    for (size_t i = 0; i < db.record_count(); ++i) {
      const v1::Record& record = **db.record(i);
      for (const v1::Affected& affected : record.affected()) {
        if (queries.size() >= 10'000) break;
        std::string version =
            affected.ecosystem().rfind("AlmaLinux", 0) == 0 ? "0:0.1-1.el9" : "0.0.1";
        for (const v1::Range& range : affected.ranges()) {
          for (const v1::Event& event : range.events()) {
            if (event.has_fixed() && round % 2 == 0) version = event.fixed();
          }
        }
        queries.push_back({affected.ecosystem(), affected.name(), version});
      }
    }
  }
  return queries;
}

void BM_Affected10k(benchmark::State& state) {
  std::vector<Query> queries = Queries();
  const Database& db = FullDatabase();
  size_t matches = 0;
  for (auto _ : state) {
    for (const Query& q : queries) {
      auto found = db.Affected(q.ecosystem, q.name, q.version);
      if (found.ok()) matches += found->size();
    }
  }
  benchmark::DoNotOptimize(matches);
  state.SetItemsProcessed(static_cast<int64_t>(queries.size() * state.iterations()));
}
BENCHMARK(BM_Affected10k)->Unit(benchmark::kMillisecond);

// The same queries on a freshly loaded compiled database each time: includes parsing (and
// checksumming) every key block and record the queries touch for the first time.
void BM_Affected10kFirstPass(benchmark::State& state) {
  std::vector<Query> queries = Queries();
  absl::StatusOr<std::string> compiled = FullDatabase().SerializeCompiled();
  if (!compiled.ok()) std::abort();
  size_t matches = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto db = Database::ParseCompiled(*compiled);
    if (!db.ok()) std::abort();
    state.ResumeTiming();
    for (const Query& q : queries) {
      auto found = (*db)->Affected(q.ecosystem, q.name, q.version);
      if (found.ok()) matches += found->size();
    }
    state.PauseTiming();
    db->reset();
    state.ResumeTiming();
  }
  benchmark::DoNotOptimize(matches);
  state.SetItemsProcessed(static_cast<int64_t>(queries.size() * state.iterations()));
}
BENCHMARK(BM_Affected10kFirstPass)->Unit(benchmark::kMillisecond)->Iterations(3);

// Pairs "a<TAB>op<TAB>b" from a conformance vector file.
std::vector<std::pair<std::string, std::string>> VectorPairs(const std::string& file) {
  std::ifstream in(absl::StrCat(SharedOsv(), "/../versions/", file));
  std::vector<std::pair<std::string, std::string>> pairs;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields = absl::StrSplit(line, '\t');
    if (fields.size() >= 3) pairs.emplace_back(fields[0], fields[2]);
  }
  return pairs;
}

void CompareAll(benchmark::State& state, const char* ecosystem, const char* file) {
  std::vector<std::pair<std::string, std::string>> pairs = VectorPairs(file);
  int64_t sum = 0;
  for (auto _ : state) {
    for (const auto& [a, b] : pairs) {
      auto order = CompareVersions(ecosystem, a, b);
      sum += order.ok() ? *order : 0;
    }
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(static_cast<int64_t>(pairs.size() * state.iterations()));
}
BENCHMARK_CAPTURE(CompareAll, dpkg, "Debian", "dpkg/dpkg_compare.tsv");
BENCHMARK_CAPTURE(CompareAll, pep440, "PyPI", "pep440/pep440_compare.tsv");
BENCHMARK_CAPTURE(CompareAll, semver, "npm", "semver/semver_compare.tsv");
BENCHMARK_CAPTURE(CompareAll, maven, "Maven", "maven/maven_compare.tsv");

// The batch entry point bench/vuln_versions.py calls (CompareVersionsMany), without Python.
// rpm rows become "0:<v>-1" EVRs as the script builds them.
void CompareMany(benchmark::State& state, const char* ecosystem, const char* file) {
  std::vector<std::pair<std::string, std::string>> pairs = VectorPairs(file);
  if (std::string(ecosystem) == "Red Hat") {
    for (auto& [a, b] : pairs) {
      a = absl::StrCat("0:", a, "-1");
      b = absl::StrCat("0:", b, "-1");
    }
  }
  std::vector<std::pair<absl::string_view, absl::string_view>> views(pairs.begin(), pairs.end());
  absl::StatusOr<std::vector<int>> orders = CompareVersionsMany(ecosystem, views);
  if (!orders.ok()) {
    // Vectors of rows the batch rejects (invalid versions) are left out, as the script does.
    views.erase(std::remove_if(views.begin(), views.end(),
                               [&](const auto& pair) {
                                 return !CompareVersions(ecosystem, pair.first, pair.second).ok();
                               }),
                views.end());
  }
  for (auto _ : state) {
    orders = CompareVersionsMany(ecosystem, views);
    benchmark::DoNotOptimize(orders);
  }
  state.SetItemsProcessed(static_cast<int64_t>(views.size() * state.iterations()));
}
BENCHMARK_CAPTURE(CompareMany, dpkg, "Debian", "dpkg/dpkg_compare.tsv");
BENCHMARK_CAPTURE(CompareMany, rpm, "Red Hat", "rpm/rpmvercmp.tsv");
BENCHMARK_CAPTURE(CompareMany, pep440, "PyPI", "pep440/pep440_compare.tsv");
BENCHMARK_CAPTURE(CompareMany, semver, "npm", "semver/semver_compare.tsv");

}  // namespace
}  // namespace bulwark::vuln
