#include "bulwark/image/vuln/version.h"

#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bulwark/image/versions/numeric.h"
#include "bulwark/image/versions/pep440_version.h"
#include "bulwark/image/vuln/internal/dpkg_version.h"
#include "bulwark/image/vuln/internal/parsed_version.h"
#include "bulwark/image/vuln/internal/rpm_version.h"
#include "bulwark/image/vuln/internal/semver_version.h"

namespace bulwark::vuln {
namespace {

struct EcosystemScheme {
  absl::string_view ecosystem;
  VersionScheme scheme;
};

constexpr EcosystemScheme kEcosystems[] = {
    {"AlmaLinux", VersionScheme::kRpm},
    {"Alpine", VersionScheme::kApk},
    {"CRAN", VersionScheme::kCran},
    {"Debian", VersionScheme::kDpkg},
    {"Go", VersionScheme::kGo},
    {"Hackage", VersionScheme::kHackage},
    {"Maven", VersionScheme::kMaven},
    {"NuGet", VersionScheme::kNuGet},
    {"Packagist", VersionScheme::kComposer},
    {"Pub", VersionScheme::kPub},
    {"PyPI", VersionScheme::kPep440},
    {"Red Hat", VersionScheme::kRpm},
    {"Rocky Linux", VersionScheme::kRpm},
    {"RubyGems", VersionScheme::kRubyGems},
    {"SUSE", VersionScheme::kRpm},
    {"Ubuntu", VersionScheme::kDpkg},
    {"crates.io", VersionScheme::kSemver},
    {"npm", VersionScheme::kNpm},
    {"openSUSE", VersionScheme::kRpm},
};

// Which version failed to parse is found by parsing it alone; the message then names it.
absl::Status Annotate(absl::string_view label, absl::string_view version, const absl::Status& s) {
  return absl::InvalidArgumentError(
      absl::StrCat(label, " version \"", absl::CEscape(version), "\": ", s.message()));
}

absl::StatusOr<int> CompareRaw(VersionScheme scheme, absl::string_view a, absl::string_view b) {
  absl::StatusOr<internal::ParsedVersion> pa = internal::ParsedVersion::Parse(scheme, a);
  if (!pa.ok()) return pa.status();
  absl::StatusOr<internal::ParsedVersion> pb = internal::ParsedVersion::Parse(scheme, b);
  if (!pb.ok()) return pb.status();
  return pa->Compare(*pb);
}

absl::StatusOr<int> CompareLabelled(VersionScheme scheme, absl::string_view label,
                                    absl::string_view a, absl::string_view b) {
  for (absl::string_view v : {a, b}) {
    if (v.size() > kMaxVersionLength) {
      return Annotate(
          label, v.substr(0, 64),
          absl::InvalidArgumentError(absl::StrCat("longer than ", kMaxVersionLength, " bytes")));
    }
  }
  absl::StatusOr<int> result = CompareRaw(scheme, a, b);
  if (result.ok()) return result;
  // Name the side that is invalid.
  absl::StatusOr<int> a_alone = CompareRaw(scheme, a, a);
  return Annotate(label, a_alone.ok() ? b : a, result.status());
}

}  // namespace

absl::StatusOr<VersionScheme> SchemeForEcosystem(absl::string_view ecosystem) {
  absl::string_view name = ecosystem.substr(0, ecosystem.find(':'));
  for (const EcosystemScheme& row : kEcosystems) {
    if (row.ecosystem == name) return row.scheme;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown ecosystem \"", absl::CEscape(ecosystem), "\" (known: ",
                   absl::StrJoin(kEcosystems, ", ",
                                 [](std::string* out, const EcosystemScheme& row) {
                                   out->append(row.ecosystem.data(), row.ecosystem.size());
                                 }),
                   ")"));
}

absl::string_view SchemeName(VersionScheme scheme) {
  switch (scheme) {
    case VersionScheme::kDpkg:
      return "dpkg";
    case VersionScheme::kApk:
      return "apk";
    case VersionScheme::kRpm:
      return "rpm";
    case VersionScheme::kPep440:
      return "PEP 440";
    case VersionScheme::kNpm:
      return "node-semver";
    case VersionScheme::kGo:
      return "Go module";
    case VersionScheme::kSemver:
      return "semver 2.0.0";
    case VersionScheme::kMaven:
      return "Maven";
    case VersionScheme::kRubyGems:
      return "RubyGems";
    case VersionScheme::kComposer:
      return "Composer";
    case VersionScheme::kNuGet:
      return "NuGet";
    case VersionScheme::kPub:
      return "pub_semver";
    case VersionScheme::kCran:
      return "R package_version";
    case VersionScheme::kHackage:
      return "Cabal";
  }
  return "unknown";
}

absl::StatusOr<int> CompareVersions(absl::string_view ecosystem, absl::string_view a,
                                    absl::string_view b) {
  absl::StatusOr<VersionScheme> scheme = SchemeForEcosystem(ecosystem);
  if (!scheme.ok()) return scheme.status();
  return CompareLabelled(*scheme, ecosystem.substr(0, ecosystem.find(':')), a, b);
}

absl::StatusOr<int> CompareVersions(VersionScheme scheme, absl::string_view a,
                                    absl::string_view b) {
  return CompareLabelled(scheme, SchemeName(scheme), a, b);
}

namespace {

// The batch loop for one scheme: both sides parsed into the scheme's own form (on the stack;
// dpkg borrows the text, the others keep short parts inline) and compared, without the
// ParsedVersion variant. Returns the index of the first pair that does not parse, or
// pairs.size().
template <typename Parse, typename Compare>
size_t CompareEach(absl::Span<const std::pair<absl::string_view, absl::string_view>> pairs,
                   Parse parse, Compare compare, std::vector<int>& orders) {
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (pairs[i].first.size() > kMaxVersionLength || pairs[i].second.size() > kMaxVersionLength) {
      return i;
    }
    auto a = parse(pairs[i].first);
    if (!a.ok()) return i;
    auto b = parse(pairs[i].second);
    if (!b.ok()) return i;
    orders.push_back(versions::Sign(compare(*a, *b)));
  }
  return pairs.size();
}

size_t CompareEachParsed(VersionScheme scheme,
                         absl::Span<const std::pair<absl::string_view, absl::string_view>> pairs,
                         std::vector<int>& orders) {
  auto parse = [scheme](absl::string_view text) {
    return internal::ParsedVersion::Parse(scheme, text);
  };
  auto compare = [](const internal::ParsedVersion& a, const internal::ParsedVersion& b) {
    return a.Compare(b);
  };
  return CompareEach(pairs, parse, compare, orders);
}

}  // namespace

absl::StatusOr<std::vector<int>> CompareVersionsMany(
    absl::string_view ecosystem,
    absl::Span<const std::pair<absl::string_view, absl::string_view>> pairs) {
  absl::StatusOr<VersionScheme> scheme = SchemeForEcosystem(ecosystem);
  if (!scheme.ok()) return scheme.status();
  std::vector<int> orders;
  orders.reserve(pairs.size());
  size_t failed = 0;
  switch (*scheme) {
    case VersionScheme::kDpkg:
      failed =
          CompareEach(pairs, internal::ParseDpkgVersion, internal::CompareDpkgVersions, orders);
      break;
    case VersionScheme::kRpm:
      failed = CompareEach(pairs, internal::ParseRpmVersion, internal::CompareRpmVersions, orders);
      break;
    case VersionScheme::kPep440:
      failed =
          CompareEach(pairs, versions::ParsePep440Version, versions::ComparePep440Versions, orders);
      break;
    case VersionScheme::kNpm:
      failed = CompareEach(
          pairs,
          [](absl::string_view text) {
            return internal::ParseSemver(text, internal::SemverDialect::kNode);
          },
          internal::CompareSemver, orders);
      break;
    default:
      failed = CompareEachParsed(*scheme, pairs, orders);
      break;
  }
  if (failed == pairs.size()) return orders;
  // The labelled wording (ecosystem, which version) comes from CompareVersions.
  absl::StatusOr<int> worded =
      CompareVersions(ecosystem, pairs[failed].first, pairs[failed].second);
  return absl::Status(worded.ok() ? absl::StatusCode::kInternal : worded.status().code(),
                      absl::StrCat("pair ", failed, ": ",
                                   worded.ok() ? "the batch and single comparisons disagree"
                                               : worded.status().message()));
}

absl::Status ValidateVersion(absl::string_view ecosystem, absl::string_view version) {
  absl::StatusOr<VersionScheme> scheme = SchemeForEcosystem(ecosystem);
  if (!scheme.ok()) return scheme.status();
  absl::string_view label = ecosystem.substr(0, ecosystem.find(':'));
  if (*scheme == VersionScheme::kDpkg && version.size() <= kMaxVersionLength) {
    absl::StatusOr<internal::DpkgVersion> parsed = internal::ParseDpkgVersion(version);
    if (parsed.ok() && !parsed->warning.empty()) {
      return Annotate(label, version, absl::InvalidArgumentError(parsed->warning));
    }
  }
  return CompareLabelled(*scheme, label, version, version).status();
}

}  // namespace bulwark::vuln
