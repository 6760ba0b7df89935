// PEP 508 environment markers ("python_version < '3.8' and sys_platform != 'win32'"), evaluated
// as pypa/packaging's Marker.evaluate does: `and` binds tighter than `or`; a comparison is a PEP
// 440 specifier check (prereleases allowed) when `op + value` is a valid specifier, else a
// string comparison (`in`, `not in`, `<`, ...); `extra` values are compared PEP 503-normalised.
//   PythonEnvironment env = {.python_version = "3.11", .sys_platform = "linux"};
//   BULWARK_ASSIGN_OR_RETURN(std::optional<bool> holds, EvaluatePythonMarker(marker, env));
// Thread safety: pure functions.
#ifndef BULWARK_IMAGE_SBOM_INTERNAL_PYTHON_MARKER_H_
#define BULWARK_IMAGE_SBOM_INTERNAL_PYTHON_MARKER_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bulwark::sbom::internal {

// The values of the marker variables; an empty optional is a value nobody knows (the kernel
// release of whatever host will run the image), which makes every comparison with it unknown.
struct PythonEnvironment {
  std::optional<std::string> python_version;       // "3.11"
  std::optional<std::string> python_full_version;  // "3.11.2"
  std::optional<std::string> os_name;              // "posix"
  std::optional<std::string> sys_platform;         // "linux"
  std::optional<std::string> platform_release;
  std::optional<std::string> platform_system;  // "Linux"
  std::optional<std::string> platform_version;
  std::optional<std::string> platform_machine;                // "x86_64"
  std::optional<std::string> platform_python_implementation;  // "CPython"
  std::optional<std::string> implementation_name;             // "cpython"
  std::optional<std::string> implementation_version;          // "3.11.2"
  std::optional<std::string> extra = "";                      // "" for a plain install.
};

// Evaluates `marker` (the text after a requirement's ";"). Returns true or false, or an empty
// optional when the result depends on an unknown value or where packaging would raise (an
// invalid version against a valid specifier, `~=`/`===` on strings, two literals compared).
// Errors: InvalidArgument "marker: column N: <what was expected>" for text that is not a marker
// (packaging's InvalidMarker), including parentheses nested deeper than 32.
absl::StatusOr<std::optional<bool>> EvaluatePythonMarker(absl::string_view marker,
                                                         const PythonEnvironment& environment);

}  // namespace bulwark::sbom::internal

#endif  // BULWARK_IMAGE_SBOM_INTERNAL_PYTHON_MARKER_H_
