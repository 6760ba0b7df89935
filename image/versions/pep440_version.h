// Python package versions as PEP 440 defines them and pypa/packaging's Version parses, prints
// and orders them: [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local], with the spelling variants the
// PEP normalises (alpha, preview, -1 for .post1, v prefix, surrounding whitespace, any case).
// Thread safety: pure functions.
#ifndef BULWARK_IMAGE_VERSIONS_PEP440_VERSION_H_
#define BULWARK_IMAGE_VERSIONS_PEP440_VERSION_H_

#include <optional>
#include <string>

#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bulwark::versions {

// Numbers are digit strings without leading zeros ("" is zero), so any size orders right. Every
// part is a view into the parsed text (or a static label), so parsing, copying and comparing
// allocate nothing; the text must outlive the version.
struct Pep440Version {
  using Segments = absl::InlinedVector<absl::string_view, 6>;
  absl::string_view epoch;
  Segments release;
  std::optional<absl::string_view> pre_label;  // "a", "b" or "rc".
  absl::string_view pre_number;
  std::optional<absl::string_view> post;
  std::optional<absl::string_view> dev;
  // As written (any case: compared and printed in lower case); digit-only segments without
  // leading zeros.
  Segments local;

  bool is_prerelease() const { return pre_label.has_value() || dev.has_value(); }
};

// Parses `text`, which must outlive the result. Errors: InvalidArgument "not a PEP 440 version"
// with the first offending part when known.
absl::StatusOr<Pep440Version> ParsePep440Version(absl::string_view text);

// The normalised form, as str(packaging.version.Version(text)) prints it ("1.0a1.post2+abc.5").
std::string NormalizedPep440(const Pep440Version& version);

// packaging's _cmpkey order. Returns -1, 0 or 1.
int ComparePep440Versions(const Pep440Version& a, const Pep440Version& b);

}  // namespace bulwark::versions

#endif  // BULWARK_IMAGE_VERSIONS_PEP440_VERSION_H_
