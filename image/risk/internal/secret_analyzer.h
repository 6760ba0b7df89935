// The "secret" analyzer: secrets in the image's files (every layer, deleted-but-shipped files
// included), config env values, labels and history created_by texts, with the rules of
// ScanOptions::secret_rules (the built-in set by default).
// Thread safety: one instance per scan, driven by one thread.
#ifndef BULWARK_IMAGE_RISK_INTERNAL_SECRET_ANALYZER_H_
#define BULWARK_IMAGE_RISK_INTERNAL_SECRET_ANALYZER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "bulwark/image/risk/analyzer.h"

namespace bulwark::image::internal {

// Errors: Internal when the built-in rules are needed and do not load.
absl::StatusOr<std::unique_ptr<Analyzer>> CreateSecretAnalyzer(const ScanOptions& options);

}  // namespace bulwark::image::internal

#endif  // BULWARK_IMAGE_RISK_INTERNAL_SECRET_ANALYZER_H_
