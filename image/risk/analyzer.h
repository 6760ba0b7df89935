// What an image analyzer implements to take part in `bulwark scan` (image/risk/scanner.h): an
// optional LayerVisitor walked with every layer in the scan's one pass, then Finish, which turns
// what it saw (plus the merged filesystem and build history) into report findings.
// Analyzers are listed in one place, RegisteredAnalyzers() (analyzers.cc): a new analyzer joins
// the scan by adding a row there.
//   class SetuidAnalyzer : public Analyzer {
//     absl::Status Finish(const ScanContext& context, core::v1::Report& report) override;
//   };
// Thread safety: one scan drives an analyzer from one thread; analyzers are per scan.
#ifndef BULWARK_IMAGE_RISK_ANALYZER_H_
#define BULWARK_IMAGE_RISK_ANALYZER_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bulwark/core/report.pb.h"
#include "bulwark/image/filesystem.h"
#include "bulwark/image/history.h"
#include "bulwark/image/image.h"
#include "bulwark/image/layer_visitor.h"
#include "bulwark/image/sbom/sbom.pb.h"

namespace bulwark::image {

struct ScanOptions;

// What every analyzer may read once the walk is over. Borrowed for the Finish call.
struct ScanContext {
  const Image& image;
  const MergedFilesystem& filesystem;
  const BuildHistory& history;
  const ScanOptions& options;
  // The package inventory: set by the "sbom" analyzer, which finishes before the analyzers
  // listed after it (vulnerability matching reads it); empty when "sbom" is not selected.
  std::optional<sbom::v1::Sbom>& sbom;
};

class Analyzer {
 public:
  virtual ~Analyzer() = default;
  // The visitor to walk with the image's layers (owned by the analyzer), or null when the
  // analyzer needs no layer content.
  virtual LayerVisitor* visitor() { return nullptr; }
  // Adds the analyzer's findings (and run metadata) to `report`. Findings need rule_id, title,
  // severity, category and location; the scanner sets target and fingerprint.
  virtual absl::Status Finish(const ScanContext& context, core::v1::Report& report) = 0;
};

// One row of the analyzer table.
struct AnalyzerInfo {
  // Name used by ScanOptions::scanners and `bulwark scan --scanners` ("secret", "file", ...).
  std::string name;
  std::string description;
  // Part of a scan that names no scanners.
  bool enabled_by_default = true;
  // Makes a fresh analyzer for one scan. Errors: bad options (e.g. unreadable rule files).
  absl::StatusOr<std::unique_ptr<Analyzer>> (*create)(const ScanOptions& options);
  // The analyzer whose output this one reads ("vuln" reads the SBOM of "sbom"): selecting this
  // one selects it too. Empty: none.
  std::string needs;
};

// Every analyzer Bulwark has, in the order their findings are added.
const std::vector<AnalyzerInfo>& RegisteredAnalyzers();

}  // namespace bulwark::image

#endif  // BULWARK_IMAGE_RISK_ANALYZER_H_
