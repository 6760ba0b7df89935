// The table of analyzers `bulwark scan` runs: the one place to add one.
#include "bulwark/image/risk/analyzer.h"
#include "bulwark/image/risk/internal/build_analyzer.h"
#include "bulwark/image/risk/internal/file_analyzer.h"
#include "bulwark/image/risk/internal/malware_analyzer.h"
#include "bulwark/image/risk/internal/sbom_analyzer.h"
#include "bulwark/image/risk/internal/secret_analyzer.h"
#include "bulwark/image/risk/internal/vuln_analyzer.h"

namespace bulwark::image {

const std::vector<AnalyzerInfo>& RegisteredAnalyzers() {
  static const auto* const kAnalyzers = new std::vector<AnalyzerInfo>{
      // First: analyzers after it (vulnerability matching) read its SBOM.
      {"sbom", "package inventory (OS packages, language ecosystems, binaries)", true,
       internal::CreateSbomAnalyzer},
      {"vuln",
       "known vulnerabilities of the SBOM's packages (OSV advisories of ScanOptions::"
       "vulnerability_db)",
       true, internal::CreateVulnAnalyzer, "sbom"},
      {"secret", "secrets in files, config env, labels and history (gitleaks-format rules)", true,
       internal::CreateSecretAnalyzer},
      {"misconfig", "build-history and config risks (BWK-DF-xxx)", true,
       internal::CreateBuildAnalyzer},
      {"file",
       "setuid/setgid, world-writable, unknown owners, keys and credential files "
       "(BWK-FILE-xxx)",
       true, internal::CreateFileAnalyzer},
      {"malware",
       "YARA rules (EICAR, crypto-miners, webshells, reverse shells, user rules) and known-bad "
       "SHA-256 lists over files and archive members (BWK-MAL-xxx)",
       true, internal::CreateMalwareAnalyzer},
  };
  return *kAnalyzers;
}

}  // namespace bulwark::image
