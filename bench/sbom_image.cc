// Opens an image and walks every layer once, either with no visitors ("walk", the baseline) or
// with an SbomBuilder ("catalog"), then prints one TSV line for bench/sbom_catalog:
//   sbom_image walk|catalog IMAGE [REFERENCE]
//   <wall seconds> <packages> <peak RSS KiB> <CPU seconds>
// The wall time covers Image::Open, Image::Walk and (catalog) SbomBuilder::Finish; the peak RSS
// is getrusage's ru_maxrss of the whole process, the CPU time its user + system time (all
// threads), which other load on the machine disturbs less than the wall time. Exit status 1 with the error on stderr.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bulwark/image/image.h"
#include "bulwark/image/sbom/catalog.h"

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4 ||
      (std::strcmp(argv[1], "walk") != 0 && std::strcmp(argv[1], "catalog") != 0)) {
    std::fprintf(stderr, "usage: sbom_image walk|catalog IMAGE [REFERENCE]\n");
    return 2;
  }
  const bool catalog = std::strcmp(argv[1], "catalog") == 0;
  bulwark::image::OpenOptions options;
  if (argc > 3) options.reference = argv[3];
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::unique_ptr<const bulwark::image::Image>> image =
      bulwark::image::Image::Open(argv[2], options);
  absl::Status status = image.status();
  int packages = 0;
  if (status.ok()) {
    bulwark::sbom::SbomBuilder builder;
    std::vector<bulwark::image::LayerVisitor*> visitors;
    if (catalog) visitors.push_back(&builder);
    status = (*image)->Walk(visitors).status();
    if (status.ok() && catalog) packages = std::move(builder).Finish(**image).packages_size();
  }
  const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - start;
  if (!status.ok()) {
    std::fprintf(stderr, "sbom_image: %s\n", status.ToString().c_str());
    return 1;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                     static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  std::printf("%.3f\t%d\t%ld\t%.3f\n", wall.count(), packages, usage.ru_maxrss, cpu);
  return 0;
}
