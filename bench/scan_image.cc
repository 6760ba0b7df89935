// Opens an image and runs `bulwark scan`'s ScanImage over it with every registered analyzer,
// then prints one TSV line for bench/secret_scan:
//   scan_image IMAGE [REFERENCE]
//   <wall seconds> <findings> <secret bytes scanned> <peak RSS KiB> <CPU seconds>
// The wall time covers Image::Open and ScanImage; the peak RSS is getrusage's ru_maxrss and the
// CPU time its user + system time, both of the whole process. Exit status 1 with the error on stderr.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "bulwark/image/image.h"
#include "bulwark/image/risk/scanner.h"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: scan_image IMAGE [REFERENCE]\n");
    return 2;
  }
  bulwark::image::OpenOptions options;
  if (argc > 2) options.reference = argv[2];
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::unique_ptr<const bulwark::image::Image>> image =
      bulwark::image::Image::Open(argv[1], options);
  absl::StatusOr<bulwark::core::v1::Report> report =
      image.ok() ? bulwark::image::ScanImage(**image) : image.status();
  const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - start;
  if (!report.ok()) {
    std::fprintf(stderr, "scan_image: %s\n", report.status().ToString().c_str());
    return 1;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto& metadata = report->metadata();
  const auto bytes = metadata.find("secret.bytes_scanned");
  const double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                     static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  std::printf("%.3f\t%d\t%s\t%ld\t%.3f\n", wall.count(), report->findings_size(),
              bytes == metadata.end() ? "0" : bytes->second.c_str(), usage.ru_maxrss, cpu);
  return 0;
}
