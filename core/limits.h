// Safety caps that every reader of untrusted input takes, so that a hostile image, document or
// rule file gets a clear ResourceExhausted error instead of exhausting memory, disk or time.
//   bulwark::core::Limits limits;          // safe defaults
//   limits.max_depth = 64;                 // tighten one cap for this call
//   BULWARK_ASSIGN_OR_RETURN(Value v, ParseJson(text, limits));
// Exceeding a cap yields absl::ResourceExhaustedError naming the field, e.g.
// "limit max_depth (512) exceeded at 3:17". Thread safety: a plain value type.
#ifndef BULWARK_CORE_LIMITS_H_
#define BULWARK_CORE_LIMITS_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace bulwark::core {

struct Limits {
  // Total uncompressed bytes one input (an image, an archive) may expand to: the tar-bomb guard.
  // Default: 32 GiB.
  uint64_t max_total_bytes = uint64_t{32} << 30;

  // Bytes of one file or document that a reader loads into memory (a JSON or YAML document, one
  // file handed to an analyzer). Default: 256 MiB.
  uint64_t max_file_bytes = uint64_t{256} << 20;

  // Entries in one input: archive members, or values in one JSON/YAML document (YAML aliases are
  // counted each time they are expanded, which stops "billion laughs" documents).
  // Default: 10,000,000.
  uint64_t max_entries = 10'000'000;

  // Bytes of one path or name (archive member names, link targets). Default: 4096 (PATH_MAX).
  uint32_t max_path_length = 4096;

  // Nesting depth of containers in one document (arrays and objects, YAML sequences and
  // mappings; scalars do not count). Values above kMaxSupportedDepth act as kMaxSupportedDepth.
  // Default: 512.
  uint32_t max_depth = 512;
};

// The deepest nesting any reader follows, whatever Limits says: readers recurse per level, and
// this keeps them far inside an 8 MiB thread stack even in sanitizer builds.
inline constexpr uint32_t kMaxSupportedDepth = 1000;

// limits.max_depth capped at kMaxSupportedDepth.
inline uint32_t EffectiveMaxDepth(const Limits& limits) {
  return limits.max_depth < kMaxSupportedDepth ? limits.max_depth : kMaxSupportedDepth;
}

// Returns the ResourceExhausted error for cap `field` with value `cap`, e.g.
// LimitExceeded("max_depth", 512, "config.json:3:17").
absl::Status LimitExceeded(absl::string_view field, uint64_t cap, absl::string_view where);

}  // namespace bulwark::core

#endif  // BULWARK_CORE_LIMITS_H_
