// Platform text form, host platform and matching, with the architecture aliases and default
// variants of containerd's platforms package (normalizeArch): x86_64 is amd64, aarch64 is arm64
// (default variant v8), armhf and armel are arm v7 and v6, arm's default variant is v7, i386 is
// 386.
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bulwark/image/oci.h"

namespace bulwark::image {
namespace {

bool IsPlatformPart(absl::string_view part) {
  if (part.empty()) return false;
  for (char c : part) {
    if (!absl::ascii_isalnum(c) && c != '_' && c != '-' && c != '.') return false;
  }
  return true;
}

// The variant an architecture has when none is named.
std::string DefaultedVariant(const Platform& platform) {
  if (!platform.variant.empty()) return platform.variant;
  if (platform.architecture == "arm64") return "v8";
  if (platform.architecture == "arm") return "v7";
  return "";
}

}  // namespace

absl::StatusOr<Platform> Platform::Parse(absl::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, '/');
  bool well_formed = parts.size() == 2 || parts.size() == 3;
  for (absl::string_view part : parts) well_formed = well_formed && IsPlatformPart(part);
  if (!well_formed) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid platform \"", absl::CHexEscape(text.substr(0, 200)),
                     "\": expected os/architecture[/variant], e.g. linux/arm64/v8"));
  }
  Platform platform;
  platform.os = std::string(parts[0]);
  platform.architecture = std::string(parts[1]);
  if (parts.size() == 3) platform.variant = std::string(parts[2]);
  return platform.Normalized();
}

Platform Platform::Normalized() const {
  Platform normal = *this;
  // OS and architecture names are lower case (GOOS/GOARCH); containerd folds case the same way.
  normal.os = absl::AsciiStrToLower(os);
  if (normal.os == "macos") normal.os = "darwin";
  std::string& arch = normal.architecture;
  std::string& variant = normal.variant;
  arch = absl::AsciiStrToLower(architecture);
  variant = absl::AsciiStrToLower(variant);
  if (arch == "i386") {
    arch = "386";
    variant.clear();
  } else if (arch == "x86_64" || arch == "x86-64" || arch == "amd64") {
    arch = "amd64";
    if (variant == "v1") variant.clear();  // The baseline, as no variant.
  } else if (arch == "aarch64" || arch == "arm64") {
    arch = "arm64";
    if (variant == "8" || variant == "v8.0") variant = "v8";
    if (variant == "9" || variant == "9.0" || variant == "v9.0") variant = "v9";
  } else if (arch == "armhf") {
    arch = "arm";
    variant = "v7";
  } else if (arch == "armel") {
    arch = "arm";
    variant = "v6";
  } else if (arch == "arm" &&
             (variant == "5" || variant == "6" || variant == "7" || variant == "8")) {
    variant = absl::StrCat("v", variant);
  }
  return normal;
}

Platform Platform::Host() {
  Platform platform;
#if defined(__linux__)
  platform.os = "linux";
#elif defined(__APPLE__)
  platform.os = "darwin";
#elif defined(_WIN32)
  platform.os = "windows";
#else
  platform.os = "unknown";
#endif
#if defined(__x86_64__) || defined(_M_X64)
  platform.architecture = "amd64";
#elif defined(__aarch64__)
  platform.architecture = "arm64";
#elif defined(__arm__)
  platform.architecture = "arm";
  platform.variant = "v7";
#elif defined(__i386__)
  platform.architecture = "386";
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
  platform.architecture = "ppc64le";
#elif defined(__s390x__)
  platform.architecture = "s390x";
#elif defined(__riscv) && __riscv_xlen == 64
  platform.architecture = "riscv64";
#else
  platform.architecture = "unknown";
#endif
  return platform;
}

std::string Platform::ToString() const {
  std::string text = absl::StrCat(os, "/", architecture);
  if (!variant.empty()) absl::StrAppend(&text, "/", variant);
  return text;
}

bool Platform::Matches(const Platform& candidate) const {
  const Platform want = Normalized();
  const Platform have = candidate.Normalized();
  if (want.os != have.os || want.architecture != have.architecture) return false;
  const std::string want_variant = DefaultedVariant(want);
  return want_variant.empty() || want_variant == DefaultedVariant(have);
}

}  // namespace bulwark::image
