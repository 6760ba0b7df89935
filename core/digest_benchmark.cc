// Throughput of core::DigestFile against `openssl dgst` on the same file in the same process run.
// bench/run turns the pairs into the ratio recorded in docs/performance.md.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "bulwark/core/digest.h"

namespace bulwark::core {
namespace {

constexpr int64_t kFileBytes = int64_t{256} << 20;

// A 256 MiB file of pseudo-random bytes, written once per process and left in the page cache.
const std::string& TestFile() {
  static const std::string* const kPath = [] {
    const char* tmp = std::getenv("TMPDIR");
    auto* path = new std::string(absl::StrCat(tmp ? tmp : "/tmp", "/bulwark_digest_bench.bin"));
    std::ofstream out(*path, std::ios::binary);
    uint64_t state = 0x9E3779B97F4A7C15u;
    std::string block(1 << 20, '\0');
    for (int64_t written = 0; written < kFileBytes; written += block.size()) {
      for (char& c : block) {
        state = state * 6364136223846793005u + 1442695040888963407u;
        c = static_cast<char>(state >> 56);
      }
      out.write(block.data(), block.size());
    }
    return path;
  }();
  return *kPath;
}

void BM_DigestFile(benchmark::State& state, DigestAlgorithm algorithm) {
  const std::string& path = TestFile();
  for (auto _ : state) {
    auto digest = DigestFile(path, algorithm);
    if (!digest.ok()) state.SkipWithError(std::string(digest.status().message()).c_str());
    benchmark::DoNotOptimize(digest);
  }
  state.SetBytesProcessed(state.iterations() * kFileBytes);
}

// Baseline: the openssl command-line tool hashing the same file (process start is < 1% of it).
void BM_OpensslDgst(benchmark::State& state, const char* algorithm) {
  const std::string command = absl::StrCat("openssl dgst -", algorithm, " ", TestFile());
  for (auto _ : state) {
    FILE* pipe = popen(command.c_str(), "r");
    char line[512];
    while (pipe != nullptr && fgets(line, sizeof(line), pipe) != nullptr) {
    }
    if (pipe == nullptr || pclose(pipe) != 0) state.SkipWithError("openssl dgst failed");
  }
  state.SetBytesProcessed(state.iterations() * kFileBytes);
}

BENCHMARK_CAPTURE(BM_DigestFile, sha256, DigestAlgorithm::kSha256)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_OpensslDgst, sha256, "sha256")
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_DigestFile, sha512, DigestAlgorithm::kSha512)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_OpensslDgst, sha512, "sha512")
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2)
    ->UseRealTime();

}  // namespace
}  // namespace bulwark::core
