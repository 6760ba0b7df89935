// Fuzzes the tar archive member index through Image::Open: the input is written to a file and
// opened (TarArchive::Open indexes it, then index.json / manifest.json / member links are
// resolved), and an image that opens is walked with a FilesystemBuilder. Under small Limits it
// must never crash or hang, and an accepted walk stays within max_total_bytes per layer.
#include <cstdint>
#include <string>

#include "bulwark/image/filesystem.h"
#include "bulwark/image/image.h"
#include "tests/fuzz/scratch_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bulwark::image;  // NOLINT: a fuzz entry point.
  const std::string path = bulwark::fuzzing::WriteScratchFile(
      "tar_archive_fuzzer", std::string(reinterpret_cast<const char*>(data), size));
  OpenOptions options;
  options.limits.max_total_bytes = 4 << 20;
  options.limits.max_entries = 2000;
  options.limits.max_file_bytes = 64 << 10;
  options.limits.max_path_length = 1024;
  options.limits.max_depth = 64;
  options.max_index_depth = 4;
  auto image = Image::Open(path, options);
  if (!image.ok()) return 0;
  FilesystemBuilder builder(options.limits);
  LayerVisitor* visitors[] = {&builder};
  WalkOptions walk;
  walk.limits = options.limits;
  auto results = (*image)->Walk(visitors, walk);
  if (!results.ok()) return 0;
  for (const LayerWalkResult& result : *results) {
    if (result.uncompressed_bytes > options.limits.max_total_bytes) std::abort();
  }
  MergedFilesystem fs = std::move(builder).Finish();
  if (fs.size() > options.limits.max_entries) std::abort();
  return 0;
}
