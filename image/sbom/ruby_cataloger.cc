// Ruby: installed gems' specifications/<name>-<version>.gemspec (the Ruby code RubyGems writes,
// read for its literal assignments; nothing is evaluated) and Gemfile.lock (the GEM specs).
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "bulwark/image/sbom/catalogers.h"
#include "bulwark/image/sbom/internal/text.h"
#include "re2/re2.h"

namespace bulwark::sbom {
namespace {

using internal::Basename;
using internal::Dirname;

v1::Package Gem(absl::string_view name, absl::string_view version) {
  v1::Package package;
  package.set_type("gem");
  package.set_name(std::string(name));
  package.set_version(std::string(version));
  return package;
}

absl::StatusOr<ParsedFile> ParseGemspec(absl::string_view text) {
  static const LazyRE2 kName = {R"((?m)^\s*\w+\.name\s*=\s*["']([^"']+)["'])"};
  static const LazyRE2 kVersion = {R"((?m)^\s*\w+\.version\s*=\s*["']([^"']+)["'])"};
  static const LazyRE2 kLicenses = {R"((?m)^\s*\w+\.licenses?\s*=\s*\[?([^\]\n]*))"};
  static const LazyRE2 kQuoted = {R"(["']([^"']+)["'])"};
  const re2::StringPiece input(text.data(), text.size());
  std::string name, version, licenses;
  if (!RE2::PartialMatch(input, *kName, &name) || !RE2::PartialMatch(input, *kVersion, &version) ||
      !internal::IsPlainToken(name) || !internal::IsPlainToken(version)) {
    return absl::InvalidArgumentError("no literal name and version assignments");
  }
  ParsedFile parsed;
  v1::Package& package = parsed.packages.emplace_back(Gem(name, version));
  if (RE2::PartialMatch(input, *kLicenses, &licenses)) {
    re2::StringPiece rest(licenses);
    std::string license;
    while (RE2::FindAndConsume(&rest, *kQuoted, &license)) {
      package.add_licenses(internal::SanitizeUtf8(license));
    }
  }
  return parsed;
}

// The "GEM" section's "  specs:" block: "    name (version)" lines (deeper lines are their
// dependencies).
ParsedFile ParseGemfileLock(absl::string_view text) {
  static const LazyRE2 kSpec = {R"(^    ([^ (]+) \(([^)]+)\)$)"};
  ParsedFile parsed;
  bool in_gem = false, in_specs = false;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripSuffix(line, "\r");
    if (!line.empty() && line.front() != ' ') {
      in_gem = line == "GEM";
      in_specs = false;
      continue;
    }
    if (!in_gem) continue;
    if (line == "  specs:") {
      in_specs = true;
      continue;
    }
    std::string name, version;
    if (in_specs &&
        RE2::FullMatch(re2::StringPiece(line.data(), line.size()), *kSpec, &name, &version) &&
        internal::IsPlainToken(name) && internal::IsPlainToken(version)) {
      parsed.packages.push_back(Gem(name, version));
    }
  }
  return parsed;
}

class RubyCataloger : public Cataloger {
 public:
  absl::string_view name() const override { return "ruby"; }

  bool Wants(absl::string_view path) const override {
    if (Basename(path) == "Gemfile.lock") return true;
    return absl::EndsWith(path, ".gemspec") && Basename(Dirname(path)) == "specifications";
  }

  absl::StatusOr<ParsedFile> Parse(absl::string_view path,
                                   absl::string_view content) const override {
    if (Basename(path) == "Gemfile.lock") return ParseGemfileLock(content);
    return ParseGemspec(content);
  }
};

}  // namespace

std::unique_ptr<const Cataloger> NewRubyCataloger() { return std::make_unique<RubyCataloger>(); }

}  // namespace bulwark::sbom
