// Opens an image and runs `bulwark scan`'s ScanImage over it with every registered analyzer,
// then prints one TSV line for bench/secret_scan:
//   scan_image IMAGE [REFERENCE] [--db PATH]... [--report FILE]
//   <wall seconds> <findings> <secret bytes scanned> <peak RSS KiB> <CPU seconds>
//   <vulnerability findings>
// --db loads OSV sources (vuln::Database::LoadSources; several --db add up) for the "vuln"
// analyzer before the clock starts, as `bulwark scan --db` does before the scan. The wall time
// and the CPU time (getrusage's user + system time) cover Image::Open and ScanImage; the peak RSS
// is the whole process's ru_maxrss (the loaded database included). --report writes the report as
// JSON (after the clock stops), to compare findings before and after a change. Exit status 1 with
// the error on stderr.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bulwark/core/report_writer.h"
#include "bulwark/image/image.h"
#include "bulwark/image/risk/scanner.h"
#include "bulwark/image/vuln/database.h"

// User + system CPU seconds of the process so far.
double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

int main(int argc, char** argv) {
  std::vector<std::string> positional;
  std::vector<std::string> db_paths;
  std::string report_path;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
      db_paths.push_back(argv[++i]);
    } else if (std::strcmp(argv[i], "--report") == 0 && i + 1 < argc) {
      report_path = argv[++i];
    } else {
      positional.push_back(argv[i]);
    }
  }
  if (positional.empty() || positional.size() > 2) {
    std::fprintf(stderr, "usage: scan_image IMAGE [REFERENCE] [--db PATH]... [--report FILE]\n");
    return 2;
  }
  bulwark::image::ScanOptions scan_options;
  if (!db_paths.empty()) {
    absl::StatusOr<std::unique_ptr<const bulwark::vuln::Database>> db =
        bulwark::vuln::Database::LoadSources(db_paths);
    if (!db.ok()) {
      std::fprintf(stderr, "scan_image: --db: %s\n", db.status().ToString().c_str());
      return 1;
    }
    scan_options.vulnerability_db = *std::move(db);
  }
  bulwark::image::OpenOptions options;
  if (positional.size() > 1) options.reference = positional[1];
  const double cpu_before = CpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::unique_ptr<const bulwark::image::Image>> image =
      bulwark::image::Image::Open(positional[0], options);
  absl::StatusOr<bulwark::core::v1::Report> report =
      image.ok() ? bulwark::image::ScanImage(**image, scan_options) : image.status();
  const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - start;
  if (!report.ok()) {
    std::fprintf(stderr, "scan_image: %s\n", report.status().ToString().c_str());
    return 1;
  }
  const double cpu = CpuSeconds() - cpu_before;
  if (!report_path.empty()) {
    absl::StatusOr<std::string> json = bulwark::core::ReportToJson(*report);
    std::ofstream out(report_path, std::ios::binary);
    if (!json.ok() || !(out << *json) || !out.flush()) {
      std::fprintf(stderr, "scan_image: --report %s: cannot write the report\n",
                   report_path.c_str());
      return 1;
    }
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto& metadata = report->metadata();
  const auto bytes = metadata.find("secret.bytes_scanned");
  const auto vulns = metadata.find("vuln.findings");
  std::printf("%.3f\t%d\t%s\t%ld\t%.3f\t%s\n", wall.count(), report->findings_size(),
              bytes == metadata.end() ? "0" : bytes->second.c_str(), usage.ru_maxrss, cpu,
              vulns == metadata.end() ? "0" : vulns->second.c_str());
  return 0;
}
