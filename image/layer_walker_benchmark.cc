// Throughput of WalkLayer (no visitors: decompression, tar parsing, blob digest and diff_id)
// against `gzip -dc` and `zstd -dc` over the same 256 MiB layer in the same process run.
// bench/run turns each pair into a ratio in docs/performance.md (issue target: within 1.2x time).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "bulwark/core/digest.h"
#include "bulwark/image/layer_walker.h"
#include "bulwark/image/testing/blob_readers.h"

namespace bulwark::image {
namespace {

constexpr int64_t kLayerBytes = int64_t{256} << 20;

struct Compressor {
  const char* compress;    // Shell filter that writes the blob.
  const char* decompress;  // The baseline command, run over the blob.
  absl::string_view media_type;
  const char* suffix;
};

constexpr Compressor kGzip = {"gzip -6", "gzip -dc", media_type::kOciLayerGzip, ".gz"};
constexpr Compressor kZstd = {"zstd -q -3", "zstd -q -dc", media_type::kOciLayerZstd, ".zst"};

struct TestLayer {
  std::string path;
  LayerInfo info;
};

// The uncompressed layer: 256 files of 1 MiB each, a decimal dump of random bytes, which gzip
// shrinks about 2.8:1 like typical layers. Written once per process, left in the page cache.
const std::string& LayerTar() {
  static const std::string* const kPath = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string dir = absl::StrCat(tmp ? tmp : "/tmp", "/bulwark_walker_bench");
    auto* path = new std::string(dir + "/layer.tar");
    std::string script = absl::StrCat("set -e; rm -rf ", dir, "; mkdir -p ", dir, "/tree; cd ", dir,
                                      "/tree; od -An -tu1 -w32 < /dev/urandom | head -c ",
                                      kLayerBytes, " | split -b 1048576 -d -a 3 - f; tar -cf ",
                                      *path, " .; rm -rf ", dir, "/tree");
    if (std::system(script.c_str()) != 0) std::abort();
    return path;
  }();
  return *kPath;
}

TestLayer MakeLayer(const Compressor& compressor) {
  TestLayer layer{LayerTar() + compressor.suffix, {}};
  std::string command = absl::StrCat(compressor.compress, " < ", LayerTar(), " > ", layer.path);
  if (std::system(command.c_str()) != 0) std::abort();
  auto digest = core::DigestFile(layer.path, core::DigestAlgorithm::kSha256);
  if (!digest.ok()) std::abort();
  std::FILE* file = std::fopen(layer.path.c_str(), "rb");
  std::fseek(file, 0, SEEK_END);
  layer.info.descriptor.media_type = std::string(compressor.media_type);
  layer.info.descriptor.digest = *digest;
  layer.info.descriptor.size = std::ftell(file);
  std::fclose(file);
  return layer;
}

const TestLayer& Layer(const Compressor& compressor) {
  static const TestLayer* const kGzipLayer = new TestLayer(MakeLayer(kGzip));
  static const TestLayer* const kZstdLayer = new TestLayer(MakeLayer(kZstd));
  return &compressor == &kGzip ? *kGzipLayer : *kZstdLayer;
}

// Walk and verify (blob digest and diff_id) with no visitors.
void BM_WalkLayer(benchmark::State& state, const Compressor& compressor) {
  const TestLayer& layer = Layer(compressor);
  uint64_t bytes = 0;
  for (auto _ : state) {
    auto reader = testing::FileBlobReader::Open(layer.path);
    auto result = WalkLayer(**reader, layer.info, {});
    if (!result.ok()) state.SkipWithError(std::string(result.status().message()).c_str());
    bytes = result.ok() ? result->uncompressed_bytes : 0;
  }
  state.SetBytesProcessed(state.iterations() * bytes);
}

// Baseline: the command-line decompressor over the same blob to /dev/null, hashing nothing.
void BM_Decompress(benchmark::State& state, const Compressor& compressor) {
  const TestLayer& layer = Layer(compressor);
  const std::string command =
      absl::StrCat(compressor.decompress, " < ", layer.path, " > /dev/null");
  for (auto _ : state) {
    if (std::system(command.c_str()) != 0) state.SkipWithError("decompression failed");
  }
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(std::filesystem::file_size(LayerTar())));
}

BENCHMARK_CAPTURE(BM_WalkLayer, gzip, kGzip)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(5)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Decompress, gzip_dc, kGzip)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(5)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_WalkLayer, zstd, kZstd)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(5)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Decompress, zstd_dc, kZstd)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(5)
    ->UseRealTime();

}  // namespace
}  // namespace bulwark::image
