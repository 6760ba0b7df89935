// The "file" analyzer: risky files of the merged filesystem (BWK-FILE-xxx): setuid/setgid
// executables, world-writable files and directories without the sticky bit, owners unknown to
// the image's /etc/passwd and /etc/group, executables in temporary directories, SSH private
// keys, credential files, .git directories and core dumps.
// Thread safety: one instance per scan.
#ifndef BULWARK_IMAGE_RISK_INTERNAL_FILE_ANALYZER_H_
#define BULWARK_IMAGE_RISK_INTERNAL_FILE_ANALYZER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "bulwark/image/risk/analyzer.h"

namespace bulwark::image::internal {

absl::StatusOr<std::unique_ptr<Analyzer>> CreateFileAnalyzer(const ScanOptions& options);

}  // namespace bulwark::image::internal

#endif  // BULWARK_IMAGE_RISK_INTERNAL_FILE_ANALYZER_H_
