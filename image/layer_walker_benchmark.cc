// Throughput of WalkLayer (no visitors: decompression, tar parsing, blob digest and diff_id)
// against `gzip -dc` over the same ~256 MiB gzip layer in the same process run. bench/run turns
// the pair into the ratio recorded in docs/performance.md (issue target: walk within 1.2x).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "bulwark/core/digest.h"
#include "bulwark/image/layer_walker.h"
#include "bulwark/image/testing/blob_readers.h"

namespace bulwark::image {
namespace {

constexpr int64_t kLayerBytes = int64_t{256} << 20;

struct TestLayer {
  std::string path;
  LayerInfo info;
};

// A gzip layer of 256 files of 1 MiB each: a decimal dump of random bytes, which gzip shrinks
// about 2.8:1, like typical layers. Written once per process and left in the page cache.
const TestLayer& Layer() {
  static const TestLayer* const kLayer = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string dir = absl::StrCat(tmp ? tmp : "/tmp", "/bulwark_walker_bench");
    std::string tree = dir + "/tree";
    auto* layer = new TestLayer{dir + "/layer.tar.gz", {}};
    std::string script = absl::StrCat("set -e; rm -rf ", dir, "; mkdir -p ", tree, "; cd ", tree,
                                      "; od -An -tu1 -w32 < /dev/urandom | head -c ", kLayerBytes,
                                      " | split -b 1048576 -d -a 3 - f; tar -cf - . | gzip -6 > ",
                                      layer->path, "; rm -rf ", tree);
    if (std::system(script.c_str()) != 0) std::abort();
    auto digest = core::DigestFile(layer->path, core::DigestAlgorithm::kSha256);
    if (!digest.ok()) std::abort();
    std::FILE* file = std::fopen(layer->path.c_str(), "rb");
    std::fseek(file, 0, SEEK_END);
    layer->info.descriptor.media_type = std::string(media_type::kOciLayerGzip);
    layer->info.descriptor.digest = *digest;
    layer->info.descriptor.size = std::ftell(file);
    std::fclose(file);
    return layer;
  }();
  return *kLayer;
}

void BM_WalkLayerGzip(benchmark::State& state) {
  const TestLayer& layer = Layer();
  uint64_t bytes = 0;
  for (auto _ : state) {
    auto reader = testing::FileBlobReader::Open(layer.path);
    auto result = WalkLayer(**reader, layer.info, {});
    if (!result.ok()) state.SkipWithError(std::string(result.status().message()).c_str());
    bytes = result.ok() ? result->uncompressed_bytes : 0;
  }
  state.SetBytesProcessed(state.iterations() * bytes);
}

// Baseline: gzip decompressing the same blob to /dev/null, without hashing anything.
void BM_GzipDc(benchmark::State& state) {
  const TestLayer& layer = Layer();
  const std::string command = absl::StrCat("gzip -dc ", layer.path, " > /dev/null");
  const std::string count = absl::StrCat("gzip -dc ", layer.path, " | wc -c");
  FILE* pipe = popen(count.c_str(), "r");
  unsigned long long bytes = 0;
  if (pipe == nullptr || std::fscanf(pipe, "%llu", &bytes) != 1) state.SkipWithError("wc failed");
  if (pipe != nullptr) pclose(pipe);
  for (auto _ : state) {
    if (std::system(command.c_str()) != 0) state.SkipWithError("gzip -dc failed");
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(bytes));
}

BENCHMARK(BM_WalkLayerGzip)->Unit(benchmark::kMillisecond)->MinTime(5)->UseRealTime();
BENCHMARK(BM_GzipDc)->Unit(benchmark::kMillisecond)->MinTime(5)->UseRealTime();

}  // namespace
}  // namespace bulwark::image
