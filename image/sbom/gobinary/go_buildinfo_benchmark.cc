// Time to decode the build info of buf (a 50 MB Go executable with ~90 modules; the npm fixture
// bazel/setup.sh unpacks) from bytes in memory, against `go version -m` on the same file in the
// same run. bazel run -c opt //image/sbom/gobinary:go_buildinfo_benchmark
#include <cstdlib>
#include <string>

#include "benchmark/benchmark.h"
#include "bulwark/core/file.h"
#include "bulwark/image/sbom/gobinary/go_buildinfo.h"

namespace bulwark::sbom {
namespace {

constexpr char kBuf[] =
    "/var/cache/bulwark/testdata/npm/bufbuild-buf-linux-x64-1.75.0/package/bin/buf";

void BM_ReadGoBuildInfo(benchmark::State& state) {
  auto bytes = core::ReadFileToString(kBuf, 1 << 30);
  if (!bytes.ok()) {
    state.SkipWithError("buf fixture missing (bazel/setup.sh)");
    return;
  }
  for (auto _ : state) {
    auto info = ReadGoBuildInfo(*bytes, "buf");
    if (!info.ok()) state.SkipWithError("ReadGoBuildInfo failed");
    benchmark::DoNotOptimize(info);
  }
  state.SetBytesProcessed(state.iterations() * bytes->size());
}
BENCHMARK(BM_ReadGoBuildInfo)->Unit(benchmark::kMillisecond)->UseRealTime();

// Baseline: Debian's go 1.19 reading the same file (process start included).
void BM_GoVersionM(benchmark::State& state) {
  auto bytes = core::ReadFileToString(kBuf, 1 << 30);
  const std::string command = std::string("GOCACHE=off go version -m ") + kBuf + " >/dev/null";
  for (auto _ : state) {
    if (std::system(command.c_str()) != 0) state.SkipWithError("go version -m failed");
  }
  if (bytes.ok()) state.SetBytesProcessed(state.iterations() * bytes->size());
}
BENCHMARK(BM_GoVersionM)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace bulwark::sbom
