#include "bulwark/image/vuln/internal/nuget_version.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bulwark/image/versions/numeric.h"
#include "bulwark/image/vuln/internal/semver_version.h"

namespace bulwark::vuln::internal {

using ::bulwark::versions::AllDigits;
using ::bulwark::versions::CompareDigits;
using ::bulwark::versions::CompareValues;
namespace {

absl::StatusOr<std::vector<std::string>> Labels(absl::string_view text, absl::string_view what) {
  std::vector<std::string> labels;
  for (absl::string_view label : absl::StrSplit(text, '.')) {
    if (label.empty()) return absl::InvalidArgumentError(absl::StrCat(what, " has an empty part"));
    for (char c : label) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') {
        return absl::InvalidArgumentError(absl::StrCat(
            what, " \"", absl::CEscape(label), "\" holds a character other than [0-9A-Za-z-]"));
      }
    }
    labels.emplace_back(label);
  }
  return labels;
}

}  // namespace

absl::StatusOr<NuGetVersion> ParseNuGetVersion(absl::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError("version is empty");
  NuGetVersion v;
  absl::string_view rest = text;
  if (size_t plus = rest.find('+'); plus != absl::string_view::npos) {
    absl::StatusOr<std::vector<std::string>> metadata = Labels(rest.substr(plus + 1), "metadata");
    if (!metadata.ok()) return metadata.status();
    v.metadata = *std::move(metadata);
    rest = rest.substr(0, plus);
  }
  if (size_t hyphen = rest.find('-'); hyphen != absl::string_view::npos) {
    absl::StatusOr<std::vector<std::string>> labels =
        Labels(rest.substr(hyphen + 1), "release label");
    if (!labels.ok()) return labels.status();
    for (const std::string& label : *labels) {
      if (label.size() > 1 && label[0] == '0' && AllDigits(label)) {
        return absl::InvalidArgumentError(
            absl::StrCat("release label \"", label, "\" is numeric with a leading zero"));
      }
    }
    v.release_labels = *std::move(labels);
    rest = rest.substr(0, hyphen);
  }
  std::vector<absl::string_view> parts = absl::StrSplit(rest, '.');
  if (parts.size() > 4) return absl::InvalidArgumentError("more than 4 numeric parts");
  v.parts.fill(std::string(1, '0'));
  for (size_t i = 0; i < parts.size(); ++i) {
    if (!AllDigits(parts[i])) {
      return absl::InvalidArgumentError(
          absl::StrCat("part ", i + 1, " \"", absl::CEscape(parts[i]), "\" is not a number"));
    }
    if (CompareDigits(parts[i], "2147483647") > 0) {
      return absl::InvalidArgumentError(absl::StrCat("part ", i + 1, " is larger than 2147483647"));
    }
    v.parts[i] = std::string(parts[i]);
  }
  return v;
}

int CompareNuGetVersions(const NuGetVersion& a, const NuGetVersion& b) {
  for (size_t i = 0; i < 4; ++i) {
    if (int c = CompareDigits(a.parts[i], b.parts[i]); c != 0) return c;
  }
  if (a.release_labels.empty() || b.release_labels.empty()) {
    return CompareValues(a.release_labels.empty(), b.release_labels.empty());
  }
  return CompareIdentifierLists(a.release_labels, b.release_labels, /*ignore_case=*/true);
}

}  // namespace bulwark::vuln::internal
