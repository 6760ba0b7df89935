#include "bulwark/image/vuln/internal/parsed_version.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "bulwark/image/versions/numeric.h"
#include "bulwark/image/vuln/internal/apk_version.h"
#include "bulwark/image/vuln/internal/composer_version.h"

namespace bulwark::vuln::internal {

using ::bulwark::versions::ComparePep440Versions;
using ::bulwark::versions::ParsePep440Version;
using ::bulwark::versions::Pep440Version;
using ::bulwark::versions::Sign;
namespace {

SemverDialect DialectOf(VersionScheme scheme) {
  switch (scheme) {
    case VersionScheme::kNpm:
      return SemverDialect::kNode;
    case VersionScheme::kGo:
      return SemverDialect::kGo;
    case VersionScheme::kPub:
      return SemverDialect::kPub;
    default:
      return SemverDialect::kSemver2;
  }
}

}  // namespace

absl::StatusOr<ParsedVersion> ParsedVersion::Parse(VersionScheme scheme, absl::string_view text) {
  auto wrap = [scheme](auto parsed) -> absl::StatusOr<ParsedVersion> {
    if (!parsed.ok()) return parsed.status();
    return ParsedVersion(scheme, Form(*std::move(parsed)));
  };
  if (text.size() > kMaxVersionLength) {
    return absl::InvalidArgumentError(absl::StrCat("longer than ", kMaxVersionLength, " bytes"));
  }
  switch (scheme) {
    case VersionScheme::kDpkg:
      return wrap(ParseDpkgVersion(text));
    case VersionScheme::kApk:
      if (absl::Status valid = ValidateApkVersion(text); !valid.ok()) return valid;
      return ParsedVersion(scheme, Form(ApkText{text}));
    case VersionScheme::kRpm:
      return wrap(ParseRpmVersion(text));
    case VersionScheme::kPep440:
      return wrap(ParsePep440Version(text));
    case VersionScheme::kNpm:
    case VersionScheme::kGo:
    case VersionScheme::kSemver:
    case VersionScheme::kPub:
      return wrap(ParseSemver(text, DialectOf(scheme)));
    case VersionScheme::kMaven:
      return wrap(ParseMavenVersion(text));
    case VersionScheme::kRubyGems:
      return wrap(ParseGemVersion(text));
    case VersionScheme::kComposer:
      return wrap(NormalizeComposerVersion(text));
    case VersionScheme::kNuGet:
      return wrap(ParseNuGetVersion(text));
    case VersionScheme::kCran:
      return wrap(ParseCranVersion(text));
    case VersionScheme::kHackage:
      return wrap(ParseHackageVersion(text));
  }
  return absl::InternalError("unknown version scheme");
}

int ParsedVersion::Compare(const ParsedVersion& other) const { return Sign(CompareForms(other)); }

int ParsedVersion::CompareForms(const ParsedVersion& other) const {
  const Form& a = form_;
  const Form& b = other.form_;
  switch (scheme_) {
    case VersionScheme::kDpkg:
      return CompareDpkgVersions(std::get<DpkgVersion>(a), std::get<DpkgVersion>(b));
    case VersionScheme::kApk:
      return CompareApkVersions(std::get<ApkText>(a).text, std::get<ApkText>(b).text);
    case VersionScheme::kRpm:
      return CompareRpmVersions(std::get<RpmVersion>(a), std::get<RpmVersion>(b));
    case VersionScheme::kPep440:
      return ComparePep440Versions(std::get<Pep440Version>(a), std::get<Pep440Version>(b));
    case VersionScheme::kNpm:
    case VersionScheme::kGo:
    case VersionScheme::kSemver:
      return CompareSemver(std::get<SemVer>(a), std::get<SemVer>(b));
    case VersionScheme::kPub:
      return ComparePubVersions(std::get<SemVer>(a), std::get<SemVer>(b));
    case VersionScheme::kMaven:
      return CompareMavenVersions(std::get<MavenItem>(a), std::get<MavenItem>(b));
    case VersionScheme::kRubyGems:
      return CompareGemVersions(std::get<GemVersion>(a), std::get<GemVersion>(b));
    case VersionScheme::kComposer:
      return PhpVersionCompare(std::get<std::string>(a), std::get<std::string>(b));
    case VersionScheme::kNuGet:
      return CompareNuGetVersions(std::get<NuGetVersion>(a), std::get<NuGetVersion>(b));
    case VersionScheme::kCran:
    case VersionScheme::kHackage:
      return CompareNumericLists(std::get<NumericList>(a), std::get<NumericList>(b));
  }
  return 0;
}

}  // namespace bulwark::vuln::internal
