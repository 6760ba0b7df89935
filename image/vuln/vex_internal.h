// Internal to the VEX readers (vex*.cc): positioned JSON field access and purl matching.
#ifndef BULWARK_IMAGE_VULN_VEX_INTERNAL_H_
#define BULWARK_IMAGE_VULN_VEX_INTERNAL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bulwark/core/value.h"

namespace bulwark::vuln::vex_internal {

// Reads fields of one parsed document, making errors "<source>:<line>:<column>: <path>: <what>".
class JsonReader {
 public:
  explicit JsonReader(absl::string_view source) : source_(source) {}

  absl::Status Error(const core::Value& at, absl::string_view path, absl::string_view what) const;

  // The member `key` of object `object` (at `path`); null when absent. Errors when `object`
  // is not an object.
  absl::StatusOr<const core::Value*> Member(const core::Value& object, absl::string_view path,
                                            absl::string_view key) const;
  // The string member `key`; "" when absent (or an error when `required`). Errors when present
  // but not a string.
  absl::StatusOr<std::string> String(const core::Value& object, absl::string_view path,
                                     absl::string_view key, bool required = false) const;
  // The array member `key`; null when absent (or an error when `required`).
  absl::StatusOr<const core::ValueList*> List(const core::Value& object, absl::string_view path,
                                              absl::string_view key, bool required = false) const;
  // An RFC 3339 time member; `fallback` when absent. Errors when present but not RFC 3339.
  absl::StatusOr<absl::Time> Time(const core::Value& object, absl::string_view path,
                                  absl::string_view key, absl::Time fallback) const;

  absl::string_view source() const { return source_; }

 private:
  std::string source_;
};

// True when the package purl `package` is matched by the statement purl `pattern` (vex.h
// explains the rules). Unparseable purls match nothing.
bool PurlMatches(absl::string_view pattern, absl::string_view package);

}  // namespace bulwark::vuln::vex_internal

#endif  // BULWARK_IMAGE_VULN_VEX_INTERNAL_H_
