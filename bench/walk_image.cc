// Opens an image and walks every layer with no visitors (blob digest and diff_id verified), then
// prints one TSV line for bench/image_walk:
//   walk_image IMAGE [REFERENCE]
//   <wall seconds> <blob bytes> <uncompressed bytes> <entries> <peak RSS KiB>
// The wall time covers Image::Open and Image::Walk; the peak RSS is getrusage's ru_maxrss of the
// whole process. Exit status 1 with the error on stderr.
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "bulwark/image/image.h"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: walk_image IMAGE [REFERENCE]\n");
    return 2;
  }
  bulwark::image::OpenOptions options;
  if (argc > 2) options.reference = argv[2];
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::unique_ptr<const bulwark::image::Image>> image =
      bulwark::image::Image::Open(argv[1], options);
  absl::StatusOr<std::vector<bulwark::image::LayerWalkResult>> results =
      image.ok() ? (*image)->Walk({}) : image.status();
  const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - start;
  if (!results.ok()) {
    std::fprintf(stderr, "walk_image: %s\n", results.status().ToString().c_str());
    return 1;
  }
  uint64_t blob_bytes = 0, uncompressed_bytes = 0, entries = 0;
  for (const bulwark::image::LayerWalkResult& r : *results) {
    blob_bytes += r.blob_bytes;
    uncompressed_bytes += r.uncompressed_bytes;
    entries += r.entries;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("%.3f\t%llu\t%llu\t%llu\t%ld\n", wall.count(),
              static_cast<unsigned long long>(blob_bytes),
              static_cast<unsigned long long>(uncompressed_bytes),
              static_cast<unsigned long long>(entries), usage.ru_maxrss);
  return 0;
}
