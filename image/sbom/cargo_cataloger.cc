// Rust: Cargo.lock, whose [[package]] tables hold name, version and source as basic strings.
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
    bool in_package = false;
    size_t line_number = 0;
    size_t table_line = 0;
    auto flush = [&] {
      if (!in_package) return;
      if (internal::IsPlainToken(current.name()) && internal::IsPlainToken(current.version())) {
        current.set_type("cargo");
        parsed.packages.push_back(std::move(current));
      } else {
        parsed.warnings.push_back(
            absl::StrCat("line ", table_line, ": [[package]] without a valid name and version"));
      }
      current = v1::Package();
    };
    for (absl::string_view line : absl::StrSplit(content, '\n')) {
      ++line_number;
      line = absl::StripAsciiWhitespace(line);
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
      if (value.size() < 2 || value.front() != '"' || value.back() != '"') continue;
      value = value.substr(1, value.size() - 2);
      if (key == "name") current.set_name(internal::SanitizeUtf8(value));
      if (key == "version") current.set_version(internal::SanitizeUtf8(value));
      if (key == "source") {
        AddProperty(current, "cargo:source", internal::SanitizeUtf8(value));
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
