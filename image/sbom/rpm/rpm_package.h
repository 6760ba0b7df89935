// The installed-package record that the rpm cataloger reads from each rpmdb header blob.
//   std::vector<std::string> warnings;
//   BULWARK_ASSIGN_OR_RETURN(RpmPackage pkg, ParseRpmPackage(blob, "Packages#3", {}, &warnings));
//   std::cout << pkg.name << " " << RpmEvr(pkg) << "\n";  // bash 4.4-19.6.1
// Thread safety: plain value types and pure functions.
#ifndef BULWARK_IMAGE_SBOM_RPM_RPM_PACKAGE_H_
#define BULWARK_IMAGE_SBOM_RPM_RPM_PACKAGE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bulwark::sbom {

// One file the package installed (rpm's per-file tag arrays, joined by index).
struct RpmFile {
  std::string path;    // Absolute, as rpm records it ("/usr/bin/bash").
  uint64_t size = 0;   // FILESIZES / LONGFILESIZES.
  uint32_t mode = 0;   // FILEMODES: file type and permission bits (st_mode).
  std::string digest;  // FILEDIGESTS: lower-case hex, "" for directories and links.
  uint32_t flags = 0;  // FILEFLAGS: RPMFILE_CONFIG (1), DOC (2), GHOST (64), LICENSE (128) ...
  std::string user;    // FILEUSERNAME.
  std::string group;   // FILEGROUPNAME.
};

// One installed package. Text fields are valid UTF-8 (invalid bytes were replaced by U+FFFD
// with a warning); absent tags leave fields empty.
struct RpmPackage {
  std::string name;
  std::optional<uint32_t> epoch;  // Absent for most packages (rpm prints "(none)").
  std::string version;
  std::string release;
  std::string arch;        // "x86_64", "noarch"; "" for gpg-pubkey pseudo-packages.
  std::string source_rpm;  // "bash-4.4-19.6.1.src.rpm".
  std::string license;
  std::string vendor;
  std::string modularity_label;        // "nodejs:16:8060020220603161613:ad008a3a" on RHEL modules.
  std::string summary;                 // First (C locale) translation.
  uint64_t size = 0;                   // Installed size in bytes (SIZE or LONGSIZE).
  std::string sig_md5;                 // Header+payload MD5 (SIGMD5) in lower-case hex.
  int64_t install_time = 0;            // Seconds since the epoch; 0 when absent.
  uint32_t file_digest_algorithm = 0;  // FILEDIGESTALGO (8 = SHA-256); 0 means MD5 (rpm's default).
  std::vector<std::string> provides;   // PROVIDENAME.
  std::vector<std::string> requirements;  // REQUIRENAME (C++20 reserves "requires").
  std::vector<RpmFile> files;
};

struct RpmPackageOptions {
  // Read the per-file tags into RpmPackage::files. Default: true.
  bool include_files = true;
  // Files whose path is longer are skipped with a warning. Default: 4096 (PATH_MAX).
  uint32_t max_path_length = 4096;
  // Single-value text fields (name, version, license, summary ...) longer than this make the
  // header invalid: real headers never come close. Default: 64 KiB.
  uint32_t max_field_bytes = 64 * 1024;
};

// Decodes one rpmdb header blob (see RpmHeader). Errors: InvalidArgument naming `source` for a
// malformed blob, a missing or empty NAME, a single-value field of the wrong type or above
// max_field_bytes. Recoverable problems (file tag arrays of different lengths, directory indexes
// out of range, invalid UTF-8) are appended to `warnings` (may be null) and the package is kept.
absl::StatusOr<RpmPackage> ParseRpmPackage(absl::string_view blob, absl::string_view source,
                                           const RpmPackageOptions& options = {},
                                           std::vector<std::string>* warnings = nullptr);

// "[epoch:]version-release", the form rpm version comparison and purls use.
std::string RpmEvr(const RpmPackage& package);

// The source package named by a SOURCERPM value ("gcc11-11.2.1+git610-1.3.9.src.rpm" gives
// {"gcc11", "11.2.1+git610", "1.3.9"}), or nullopt when it does not have that shape.
struct RpmSourcePackage {
  std::string name;
  std::string version;
  std::string release;
};
std::optional<RpmSourcePackage> ParseSourceRpm(absl::string_view source_rpm);

}  // namespace bulwark::sbom

#endif  // BULWARK_IMAGE_SBOM_RPM_RPM_PACKAGE_H_
