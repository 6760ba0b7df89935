// Platform text form, host platform and matching (the rules containerd's platforms package uses
// for os/arch/variant, without its alias normalisation).
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

// arm64 images without a variant are v8 (containerd treats "" and "v8" alike for arm64).
std::string EffectiveVariant(const Platform& platform) {
  if (platform.architecture == "arm64" && platform.variant.empty()) return "v8";
  return platform.variant;
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
  // OS and architecture names are lower case (GOOS/GOARCH); containerd folds case the same way.
  platform.os = absl::AsciiStrToLower(parts[0]);
  platform.architecture = absl::AsciiStrToLower(parts[1]);
  if (parts.size() == 3) platform.variant = absl::AsciiStrToLower(parts[2]);
  return platform;
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
  if (os != candidate.os || architecture != candidate.architecture) return false;
  return variant.empty() || EffectiveVariant(*this) == EffectiveVariant(candidate);
}

}  // namespace bulwark::image
