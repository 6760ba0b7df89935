// `bulwark scan` as a library call: one walk of an image runs every selected analyzer (secrets,
// build history, dangerous files, and whatever else RegisteredAnalyzers() lists) and returns one
// bulwark.core.v1.Report for the report writers (core/report_writer.h).
//   ScanOptions options;
//   options.scanners = {"secret", "misconfig"};
//   BULWARK_ASSIGN_OR_RETURN(core::v1::Report report, ScanImage(*image, options));
//   BULWARK_ASSIGN_OR_RETURN(std::string sarif, core::WriteReport(report, ReportFormat::kSarif));
// Thread safety: ScanImage shares no state between calls; an Image and a SecretScanner may be
// shared by concurrent scans.
#ifndef BULWARK_IMAGE_RISK_SCANNER_H_
#define BULWARK_IMAGE_RISK_SCANNER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/report.pb.h"
#include "bulwark/image/image.h"
#include "bulwark/image/malware/malware_scanner.h"
#include "bulwark/image/risk/ignore_file.h"
#include "bulwark/image/risk/nested_archives.h"
#include "bulwark/image/sbom/sbom.pb.h"
#include "bulwark/image/secrets/secret_scanner.h"
#include "bulwark/image/vuln/database.h"

namespace bulwark::image {

// How far a scan is, for progress bars: called after each layer.
struct ScanProgress {
  size_t layers_done = 0;
  size_t layer_count = 0;
  uint64_t blob_bytes_done = 0;   // Compressed bytes of the layers done.
  uint64_t blob_bytes_total = 0;  // Compressed bytes of every layer (from the manifest).
};

struct ScanOptions {
  // Analyzer names (see RegisteredAnalyzers(): "sbom", "vuln", "secret", "misconfig", "file",
  // "malware"); naming "vuln" selects "sbom" too. Empty: every analyzer enabled by default.
  // Default: empty.
  std::vector<std::string> scanners;
  // The advisories the "vuln" analyzer matches the SBOM's packages against (vuln::Database::Open
  // of a compiled database or OSV sources). Null: no vulnerability matching (metadata
  // "vuln.skipped" says so; naming "vuln" in `scanners` is then an error). Default: null.
  std::shared_ptr<const vuln::Database> vulnerability_db;
  // Also match language packages that an OS package installed in their own ecosystem
  // (vuln::MatchOptions::match_os_owned_packages). Default: false.
  bool match_os_owned_packages = false;
  // Secret rules; null means the built-in set (SecretScanner::Builtin()). Default: null.
  std::shared_ptr<const secrets::SecretScanner> secret_rules;
  // Files larger than this are not searched for secrets (they are still walked). Default: 8 MiB.
  uint64_t max_secret_file_bytes = uint64_t{8} << 20;
  // Malware rules and known-bad hashes; null means the built-in YARA rules
  // (malware::MalwareScanner::Builtin()). Default: null.
  std::shared_ptr<const malware::MalwareScanner> malware_rules;
  // Files larger than this are not matched against YARA rules (with hash lists loaded they are
  // still hashed, up to Limits::max_file_bytes). Default: 32 MiB.
  uint64_t max_malware_file_bytes = uint64_t{32} << 20;
  // How the "secret" and "malware" analyzers open archives inside the image (jar, zip, tar.gz):
  // depth, member size and decompressed-bytes budget. max_depth = 0 turns it off.
  // Default: see NestedArchiveLimits (depth 3, 8 MiB members, 256 MiB per archive).
  NestedArchiveLimits nested_archives;
  // Accepted findings (Trivy-style ignore file, see ignore_file.h), removed before the severity
  // filter; expired entries are listed in the report's metadata. Default: empty.
  IgnoreList ignore;
  // The time ignore entries' expiry dates are compared with. Default: when the options are made.
  absl::Time now = absl::Now();
  // Findings below this severity are left out of the report. Default: UNKNOWN (keep all).
  core::v1::Severity min_severity = core::v1::SEVERITY_UNKNOWN;
  // A Dockerfile's text for the "misconfig" analyzer to check as well (BWK-DF rules, locations
  // "<dockerfile_name>:<line>"); empty: none. Default: "".
  std::string dockerfile;
  std::string dockerfile_name = "Dockerfile";
  // Caps of the walk (core::Limits, see Image::Walk). Default: core defaults.
  core::Limits limits;
  // Called after each layer; its error stops the scan. Default: none.
  std::function<absl::Status(const ScanProgress&)> progress;
};

// A scan's outputs: the report, and the SBOM when the "sbom" analyzer ran.
struct ScanResult {
  core::v1::Report report;
  std::optional<sbom::v1::Sbom> sbom;
};

// Scans `image` (see ScanImage) and keeps the SBOM too. Errors: as ScanImage.
absl::StatusOr<ScanResult> Scan(const Image& image, const ScanOptions& options = {});

// Scans `image`. The report's target is image.Name(); metadata holds the image format, config
// and manifest digests, layer count and the scanners run; findings are sorted by severity
// (worst first), then rule id, path and line, each with a fingerprint.
// Errors: InvalidArgument for an unknown scanner name (listing the known ones) or a Dockerfile
// that does not parse (ParseDockerfile); those of the
// analyzers' creation and of Image::Walk (DataLoss for a corrupt layer, ResourceExhausted for
// a Limits cap).
absl::StatusOr<core::v1::Report> ScanImage(const Image& image, const ScanOptions& options = {});

}  // namespace bulwark::image

#endif  // BULWARK_IMAGE_RISK_SCANNER_H_
