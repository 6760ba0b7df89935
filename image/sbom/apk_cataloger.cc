// Alpine's apk database: lib/apk/db/installed, one stanza of "X:value" lines per package.
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/utf8.h"
#include "bulwark/image/sbom/catalogers.h"
#include "bulwark/image/sbom/internal/control_file.h"
#include "bulwark/image/sbom/internal/text.h"

namespace bulwark::sbom {
namespace {

// The names of an apk dependency list: "so:libc.musl-x86_64.so.1 musl>=1.2 !foo cmd:sh" gives
// "so:libc.musl-x86_64.so.1", "musl", "cmd:sh" (conflicts, marked "!", and versions dropped).
std::vector<std::string> ApkNames(absl::string_view field) {
  std::vector<std::string> names;
  for (absl::string_view token : absl::StrSplit(field, ' ', absl::SkipWhitespace())) {
    if (token.front() == '!') continue;
    const absl::string_view name = token.substr(0, token.find_first_of("<>=~"));
    if (internal::IsPlainToken(name)) names.emplace_back(name);
  }
  return names;
}

class ApkCataloger : public Cataloger {
 public:
  absl::string_view name() const override { return "apk"; }

  bool Wants(absl::string_view path) const override { return path == "lib/apk/db/installed"; }

  absl::StatusOr<ParsedFile> Parse(absl::string_view path,
                                   absl::string_view content) const override {
    ParsedFile parsed;
    internal::ForEachStanza(content, [&](const internal::Stanza& stanza) {
      for (size_t line : stanza.malformed_lines) {
        parsed.warnings.push_back(absl::StrCat("line ", line, ": not a field; ignored"));
      }
      if (stanza.fields.empty()) return;
      v1::Package package;
      package.set_type("apk");
      PackageRelations relations;
      std::string directory;
      // Field letters are case-sensitive (R: file, r: replaces), so no Stanza::Get here.
      for (const auto& [key, value] : stanza.fields) {
        if (key == "P") package.set_name(value);
        if (key == "V") package.set_version(value);
        if (key == "A") package.set_arch(core::SanitizeUtf8(value));
        if (key == "L" && !value.empty()) package.add_licenses(core::SanitizeUtf8(value));
        if (key == "o") package.set_source_name(core::SanitizeUtf8(value));
        if (key == "m") package.set_maintainer(core::SanitizeUtf8(value));
        if (key == "F") directory = value;
        if (key == "p") relations.provides = ApkNames(value);
        if (key == "D") {
          for (std::string& name : ApkNames(value)) relations.requirements.push_back({name});
        }
        if (key == "R") {
          package.add_files(core::SanitizeUtf8(
              absl::StrCat("/", directory, directory.empty() ? "" : "/", value)));
        }
      }
      if (!internal::IsPlainToken(package.name()) || !internal::IsPlainToken(package.version())) {
        parsed.warnings.push_back(absl::StrCat(
            "line ", stanza.line, ": stanza without a valid P: name and V: version; skipped"));
        return;
      }
      if (package.source_name().empty()) package.set_source_name(package.name());
      package.set_source_version(package.version());
      parsed.packages.push_back(std::move(package));
      parsed.relations.push_back(std::move(relations));
    });
    return parsed;
  }
};

}  // namespace

std::unique_ptr<const Cataloger> NewApkCataloger() { return std::make_unique<ApkCataloger>(); }

}  // namespace bulwark::sbom
