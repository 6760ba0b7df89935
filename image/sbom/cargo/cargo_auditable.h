// The dependency tree that `cargo auditable` embeds in Rust executables: a zlib-compressed JSON
// document in the ELF section ".dep-v0" (rust-secure-code/cargo-auditable, format 0), read
// without executing anything.
//   auto info = ReadCargoAuditable(bytes, "usr/bin/rg");
//   if (absl::IsNotFound(info.status())) return;  // No audit data.
//   for (const CargoPackage& p : info->packages) std::cout << p.name << "@" << p.version << "\n";
// Thread safety: plain value types and pure functions.
#ifndef BULWARK_IMAGE_SBOM_CARGO_CARGO_AUDITABLE_H_
#define BULWARK_IMAGE_SBOM_CARGO_CARGO_AUDITABLE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/limits.h"

namespace bulwark::sbom {

struct CargoPackage {
  std::string name;
  std::string version;      // SemVer as Cargo.lock has it.
  std::string source;       // "crates.io", "git", "local", "registry", or another source kind.
  bool build_only = false;  // kind "build": compiled in only for build scripts.
  bool root = false;        // The package the executable was built from.
  std::vector<size_t> dependencies;  // Indexes into CargoAuditInfo::packages.
};

struct CargoAuditInfo {
  std::vector<CargoPackage> packages;
};

// cargo-auditable's own reader refuses to inflate more than this by default.
inline constexpr uint64_t kMaxCargoAuditJsonBytes = 8 << 20;

// Parses the audit JSON ({"packages":[{"name","version","source","kind","dependencies","root"}]}).
// Errors: InvalidArgument naming `source` and the JSON path for a wrong type, a missing name or
// version, or a dependency index out of range; JSON errors and limits as core::ParseJson.
absl::StatusOr<CargoAuditInfo> ParseCargoAuditJson(absl::string_view json, absl::string_view source,
                                                   const core::Limits& limits = {});

// Reads the ".dep-v0" section of an ELF executable and inflates it (at most
// kMaxCargoAuditJsonBytes). Errors: NotFound for non-ELF files and executables without the
// section; InvalidArgument for damaged compressed data; ResourceExhausted above the cap.
absl::StatusOr<CargoAuditInfo> ReadCargoAuditable(absl::string_view elf_bytes,
                                                  absl::string_view source,
                                                  const core::Limits& limits = {});

}  // namespace bulwark::sbom

#endif  // BULWARK_IMAGE_SBOM_CARGO_CARGO_AUDITABLE_H_
