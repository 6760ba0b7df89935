// Rust: Cargo.lock, whose [[package]] tables hold name, version and source as basic strings
// and dependencies as an array of them.
// Only that subset of TOML is read (no TOML library is among the dependencies; a Cargo.lock is
// always written by cargo in this shape).
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "bulwark/core/utf8.h"
#include "bulwark/image/sbom/catalogers.h"
#include "bulwark/image/sbom/internal/text.h"

namespace bulwark::sbom {
namespace {

class CargoLockCataloger : public Cataloger {
 public:
  absl::string_view name() const override { return "cargo-lock"; }

  bool Wants(absl::string_view path) const override {
    return internal::Basename(path) == "Cargo.lock";
  }

  absl::StatusOr<ParsedFile> Parse(absl::string_view path,
                                   absl::string_view content) const override {
    ParsedFile parsed;
    v1::Package current;
    PackageRelations relations;
    bool in_package = false;
    bool in_dependencies = false;  // Inside a multi-line `dependencies = [` array.
    size_t line_number = 0;
    size_t table_line = 0;
    auto flush = [&] {
      if (!in_package) return;
      if (internal::IsPlainToken(current.name()) && internal::IsPlainToken(current.version())) {
        current.set_type("cargo");
        // Dependencies name a package as "name", "name version" or "name version (source)".
        relations.provides.push_back(absl::StrCat(current.name(), " ", current.version()));
        const absl::string_view source = FindProperty(current, "cargo:source");
        if (!source.empty()) {
          relations.provides.push_back(
              absl::StrCat(current.name(), " ", current.version(), " (", source, ")"));
        }
        parsed.packages.push_back(std::move(current));
        parsed.relations.push_back(std::move(relations));
      } else {
        parsed.warnings.push_back(
            absl::StrCat("line ", table_line, ": [[package]] without a valid name and version"));
      }
      current = v1::Package();
      relations = PackageRelations();
    };
    // Adds the quoted strings of an array line ("a", "b 1.0",) as requirements.
    auto add_dependencies = [&](absl::string_view items) {
      for (absl::string_view item : absl::StrSplit(items, ',', absl::SkipWhitespace())) {
        item = absl::StripAsciiWhitespace(item);
        if (item.size() >= 2 && item.front() == '"' && item.back() == '"') {
          relations.requirements.push_back({core::SanitizeUtf8(item.substr(1, item.size() - 2))});
        }
      }
    };
    for (absl::string_view line : absl::StrSplit(content, '\n')) {
      ++line_number;
      line = absl::StripAsciiWhitespace(line);
      if (in_dependencies) {
        in_dependencies = !absl::ConsumeSuffix(&line, "]");
        add_dependencies(line);
        continue;
      }
      if (absl::StartsWith(line, "[")) {
        flush();
        in_package = line == "[[package]]";
        table_line = line_number;
        continue;
      }
      if (!in_package) continue;
      const size_t equals = line.find('=');
      if (equals == absl::string_view::npos) continue;
      const absl::string_view key = absl::StripAsciiWhitespace(line.substr(0, equals));
      absl::string_view value = absl::StripAsciiWhitespace(line.substr(equals + 1));
      if (key == "dependencies" && absl::ConsumePrefix(&value, "[")) {
        in_dependencies = !absl::ConsumeSuffix(&value, "]");
        add_dependencies(value);
        continue;
      }
      if (value.size() < 2 || value.front() != '"' || value.back() != '"') continue;
      value = value.substr(1, value.size() - 2);
      if (key == "name") current.set_name(core::SanitizeUtf8(value));
      if (key == "version") current.set_version(core::SanitizeUtf8(value));
      if (key == "source") {
        AddProperty(current, "cargo:source", core::SanitizeUtf8(value));
      }
    }
    flush();
    return parsed;
  }
};

}  // namespace

std::unique_ptr<const Cataloger> NewCargoLockCataloger() {
  return std::make_unique<CargoLockCataloger>();
}

}  // namespace bulwark::sbom
