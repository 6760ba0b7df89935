#include "bulwark/image/sbom/purl.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "bulwark/image/sbom/cataloger.h"

namespace bulwark::sbom {
namespace {

std::string PercentEncode(absl::string_view text, absl::string_view also_keep) {
  std::string out;
  for (const char c : text) {
    if (absl::ascii_isalnum(c) || c == '.' || c == '-' || c == '_' || c == '~' ||
        also_keep.find(c) != absl::string_view::npos) {
      out.push_back(c);
    } else {
      absl::StrAppendFormat(&out, "%%%02X", static_cast<unsigned char>(c));
    }
  }
  return out;
}

// Splits "a/b/c" into namespace "a/b" and name "c".
std::pair<std::string, std::string> SplitLast(absl::string_view path, char separator) {
  const size_t at = path.rfind(separator);
  if (at == absl::string_view::npos) return {"", std::string(path)};
  return {std::string(path.substr(0, at)), std::string(path.substr(at + 1))};
}

std::string Distro(const v1::OperatingSystem& os) {
  if (os.id().empty()) return "";
  const std::string& version = os.version_id().empty() ? os.version_codename() : os.version_id();
  return version.empty() ? os.id() : absl::StrCat(os.id(), "-", version);
}

// "src" or "src@1.2" when the source package differs from the binary one.
std::string Upstream(const v1::Package& package) {
  if (package.source_name().empty()) return "";
  const bool same_version =
      package.source_version().empty() || package.source_version() == package.version();
  if (package.source_name() == package.name() && same_version) return "";
  return same_version ? package.source_name()
                      : absl::StrCat(package.source_name(), "@", package.source_version());
}

}  // namespace

std::string FormatPurl(const PurlParts& parts) {
  std::string out = absl::StrCat("pkg:", absl::AsciiStrToLower(parts.type), "/");
  for (absl::string_view segment : absl::StrSplit(parts.namespace_, '/', absl::SkipEmpty())) {
    absl::StrAppend(&out, PercentEncode(segment, ""), "/");
  }
  absl::StrAppend(&out, PercentEncode(parts.name, ""));
  if (!parts.version.empty()) absl::StrAppend(&out, "@", PercentEncode(parts.version, ":+"));
  std::vector<std::pair<std::string, std::string>> qualifiers;
  for (const auto& [key, value] : parts.qualifiers) {
    if (!value.empty()) qualifiers.emplace_back(absl::AsciiStrToLower(key), value);
  }
  std::sort(qualifiers.begin(), qualifiers.end());
  for (size_t i = 0; i < qualifiers.size(); ++i) {
    absl::StrAppend(&out, i == 0 ? "?" : "&", qualifiers[i].first, "=",
                    PercentEncode(qualifiers[i].second, ":+/"));
  }
  return out;
}

std::string NormalizePythonName(absl::string_view name) {
  std::string out;
  bool in_separator = false;
  for (const char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      in_separator = true;
      continue;
    }
    if (in_separator && !out.empty()) out.push_back('-');
    in_separator = false;
    out.push_back(absl::ascii_tolower(c));
  }
  return out;
}

std::string PackageUrl(const v1::Package& package, const v1::OperatingSystem& os) {
  PurlParts parts{.type = package.type(), .name = package.name(), .version = package.version()};
  const std::string& type = package.type();
  if (type == "deb" || type == "apk" || type == "rpm") {
    parts.namespace_ = os.id().empty() ? (type == "deb"   ? "debian"
                                          : type == "apk" ? "alpine"
                                                          : "")
                                       : os.id();
    parts.qualifiers = {{"arch", package.arch()}, {"distro", Distro(os)}};
    if (type == "apk") parts.name = absl::AsciiStrToLower(parts.name);
    if (type == "rpm") {
      parts.qualifiers.emplace_back("epoch", std::string(FindProperty(package, "rpm:epoch")));
    } else {
      parts.qualifiers.emplace_back("upstream", Upstream(package));
    }
  } else if (type == "pypi") {
    parts.name = NormalizePythonName(package.name());
  } else if (type == "npm" || type == "golang") {
    std::tie(parts.namespace_, parts.name) = SplitLast(package.name(), '/');
  } else if (type == "composer") {
    std::tie(parts.namespace_, parts.name) = SplitLast(absl::AsciiStrToLower(package.name()), '/');
  } else if (type == "maven") {
    std::tie(parts.namespace_, parts.name) = SplitLast(package.name(), ':');
  }
  return FormatPurl(parts);
}

}  // namespace bulwark::sbom
