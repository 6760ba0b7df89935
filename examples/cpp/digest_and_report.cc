// Embedding example: the deploy-time integrity check. Digest a downloaded blob, compare it with
// the digest its manifest promised, and report a mismatch as a SARIF finding for code scanning.
//   bazel run //examples/cpp:digest_and_report -- layer.tar.gz sha256:<hex>
// Exit status: 0 digest matches, 1 mismatch (one finding), 2 bad input.
#include <iostream>
#include <string>

#include "absl/status/statusor.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/report.h"
#include "bulwark/core/report_writer.h"
#include "bulwark/core/status_macros.h"

namespace {

namespace core = bulwark::core;

// A report on `path`, holding one finding when its content does not match `expected`
// ("<algorithm>:<hex>"). Errors: a malformed `expected`, or a file that cannot be read.
absl::StatusOr<core::v1::Report> CheckBlob(const std::string& path, const std::string& expected) {
  BULWARK_ASSIGN_OR_RETURN(core::Digest want, core::Digest::Parse(expected));
  BULWARK_ASSIGN_OR_RETURN(core::Digest got, core::DigestFile(path, want.algorithm()));

  core::v1::Report report;
  report.mutable_tool()->set_name("digest_and_report");
  report.set_target(path);
  if (got != want) {  // Constant-time comparison.
    core::v1::Finding* finding = report.add_findings();
    finding->set_rule_id("BLK-DIGEST-MISMATCH");
    finding->set_title("Blob content does not match its digest");
    finding->set_severity(core::v1::SEVERITY_CRITICAL);
    finding->set_category("file");
    finding->set_target(path);
    finding->mutable_location()->set_path(path);
    (*finding->mutable_properties())["expected"] = want.ToString();
    (*finding->mutable_properties())["actual"] = got.ToString();
    finding->set_fingerprint(core::FingerprintFinding(*finding));
  }
  return report;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: digest_and_report FILE <algorithm>:<hex>\n";
    return 2;
  }
  absl::StatusOr<core::v1::Report> report = CheckBlob(argv[1], argv[2]);
  if (!report.ok()) {
    std::cerr << "digest_and_report: " << report.status().message() << "\n";
    return 2;
  }
  std::cout << core::ReportToSarif(*report);
  return core::HasFindingAtOrAbove(*report, core::v1::SEVERITY_HIGH) ? 1 : 0;
}
