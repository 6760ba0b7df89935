// Python distributions: .dist-info/METADATA, .egg-info/PKG-INFO and single-file .egg-info
// (core metadata, RFC 822 headers; https://packaging.python.org/specifications/core-metadata/).
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "bulwark/image/sbom/catalogers.h"
#include "bulwark/image/sbom/internal/control_file.h"
#include "bulwark/image/sbom/internal/text.h"

namespace bulwark::sbom {
namespace {

constexpr absl::string_view kClassifierLicense = "License :: OSI Approved :: ";

class PythonCataloger : public Cataloger {
 public:
  absl::string_view name() const override { return "python"; }

  bool Wants(absl::string_view path) const override {
    return absl::EndsWith(path, ".dist-info/METADATA") ||
           absl::EndsWith(path, ".egg-info/PKG-INFO") || absl::EndsWith(path, ".egg-info");
  }

  absl::StatusOr<ParsedFile> Parse(absl::string_view path,
                                   absl::string_view content) const override {
    // Only the header block matters; the description follows the first blank line.
    bool first = true;
    v1::Package package;
    ParsedFile parsed;
    internal::ForEachStanza(content, [&](const internal::Stanza& headers) {
      if (!first) return;
      first = false;
      package.set_name(std::string(headers.Get("Name")));
      package.set_version(std::string(headers.Get("Version")));
      if (absl::string_view expression = headers.Get("License-Expression"); !expression.empty()) {
        package.add_licenses(internal::SanitizeUtf8(expression));
      } else if (absl::string_view license = headers.Get("License");
                 !license.empty() && license.size() <= 128 && !absl::StrContains(license, '\n') &&
                 license != "UNKNOWN") {
        package.add_licenses(internal::SanitizeUtf8(license));
      } else {
        for (const auto& [key, value] : headers.fields) {
          if (absl::EqualsIgnoreCase(key, "Classifier") &&
              absl::StartsWith(value, kClassifierLicense)) {
            package.add_licenses(
                internal::SanitizeUtf8(absl::StripPrefix(value, kClassifierLicense)));
          }
        }
      }
      const absl::string_view author = headers.Get("Author");
      if (!author.empty() && author.size() <= 256) {
        package.set_maintainer(internal::SanitizeUtf8(author));
      }
    });
    if (!internal::IsPlainToken(package.name()) || !internal::IsPlainToken(package.version())) {
      return absl::InvalidArgumentError("no valid Name and Version headers");
    }
    package.set_type("pypi");
    parsed.packages.push_back(std::move(package));
    return parsed;
  }
};

}  // namespace

std::unique_ptr<const Cataloger> NewPythonCataloger() {
  return std::make_unique<PythonCataloger>();
}

}  // namespace bulwark::sbom
