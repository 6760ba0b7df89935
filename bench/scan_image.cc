// Opens an image and runs `bulwark scan`'s ScanImage over it with every registered analyzer,
// then prints one TSV line for bench/secret_scan:
//   scan_image IMAGE [REFERENCE] [--db PATH]... [--db-file FILE]
//   <wall seconds> <findings> <secret bytes scanned> <peak RSS KiB> <CPU seconds>
//   <vulnerability findings> <database load seconds> <peak RSS after the load, KiB>
// --db loads OSV sources (vuln::Database::LoadSources; several --db add up) and --db-file a
// compiled database (vuln::Database::LoadCompiled, as `bulwark scan --db FILE` does for a file of
// `bulwark db build`) for the "vuln" analyzer before the clock starts. The wall time and the CPU
// time (getrusage's user + system time) cover Image::Open and ScanImage; the peak RSS is the
// whole process's ru_maxrss (the loaded database included). With --phases, stderr gets one line
// per phase (start, database loaded, scanned) with the peak and current RSS and the heap bytes
// in use (mallinfo2), to see which phase holds what. --report FILE writes the report as JSON
// (after the figures are taken), to compare findings across builds. Exit status 1 with the error
// on stderr.
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

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

long PeakRssKib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// Resident pages now (/proc/self/statm's second field), in KiB.
long CurrentRssKib() {
  long pages = 0, resident = 0;
  std::ifstream("/proc/self/statm") >> pages >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

void PrintPhase(bool enabled, const char* phase) {
  if (!enabled) return;
  const struct mallinfo2 heap = mallinfo2();
  std::fprintf(stderr, "phase %-8s peak RSS %7ld KiB, RSS %7ld KiB, heap in use %7zu KiB\n", phase,
               PeakRssKib(), CurrentRssKib(), (heap.uordblks + heap.hblkhd) / 1024);
}

int main(int argc, char** argv) {
  std::vector<std::string> positional;
  std::vector<std::string> db_paths;
  std::string db_file;
  std::string report_path;
  bool phases = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
      db_paths.push_back(argv[++i]);
    } else if (std::strcmp(argv[i], "--db-file") == 0 && i + 1 < argc) {
      db_file = argv[++i];
    } else if (std::strcmp(argv[i], "--report") == 0 && i + 1 < argc) {
      report_path = argv[++i];
    } else if (std::strcmp(argv[i], "--phases") == 0) {
      phases = true;
    } else {
      positional.push_back(argv[i]);
    }
  }
  if (positional.empty() || positional.size() > 2 || (!db_paths.empty() && !db_file.empty())) {
    std::fprintf(stderr,
                 "usage: scan_image IMAGE [REFERENCE] [--db PATH]... [--db-file FILE] "
                 "[--phases] [--report FILE]\n");
    return 2;
  }
  PrintPhase(phases, "start");
  bulwark::image::ScanOptions scan_options;
  const auto load_start = std::chrono::steady_clock::now();
  if (!db_paths.empty() || !db_file.empty()) {
    absl::StatusOr<std::unique_ptr<const bulwark::vuln::Database>> db =
        db_file.empty() ? bulwark::vuln::Database::LoadSources(db_paths)
                        : bulwark::vuln::Database::LoadCompiled(db_file);
    if (!db.ok()) {
      std::fprintf(stderr, "scan_image: --db: %s\n", db.status().ToString().c_str());
      return 1;
    }
    scan_options.vulnerability_db = *std::move(db);
  }
  const std::chrono::duration<double> load = std::chrono::steady_clock::now() - load_start;
  const long load_peak_rss = PeakRssKib();
  PrintPhase(phases, "loaded");
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
  PrintPhase(phases, "scanned");
  const auto& metadata = report->metadata();
  const auto bytes = metadata.find("secret.bytes_scanned");
  const auto vulns = metadata.find("vuln.findings");
  std::printf("%.3f\t%d\t%s\t%ld\t%.3f\t%s\t%.3f\t%ld\n", wall.count(), report->findings_size(),
              bytes == metadata.end() ? "0" : bytes->second.c_str(), PeakRssKib(), cpu,
              vulns == metadata.end() ? "0" : vulns->second.c_str(), load.count(), load_peak_rss);
  if (!report_path.empty()) {
    absl::StatusOr<std::string> json = bulwark::core::ReportToJson(*report);
    if (!json.ok()) {
      std::fprintf(stderr, "scan_image: --report: %s\n", json.status().ToString().c_str());
      return 1;
    }
    std::ofstream(report_path, std::ios::binary) << *json;
  }
  return 0;
}
