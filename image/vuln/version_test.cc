// CompareVersions for the ecosystems that ../shared/conformance has no vectors for, with the
// orders their own documentation gives, and the error contract.
#include "bulwark/image/vuln/version.h"

#include <string>
#include <vector>

#include "bulwark/core/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::vuln {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;

MATCHER_P(Holds, value, "is OK and holds " + ::testing::PrintToString(value)) {
  if (!arg.ok()) *result_listener << arg.status();
  return arg.ok() && *arg == value;
}

// Each version sorts strictly after every earlier one, and equal to itself.
void ExpectAscending(const std::string& ecosystem, const std::vector<std::string>& versions) {
  for (size_t i = 0; i < versions.size(); ++i) {
    EXPECT_THAT(CompareVersions(ecosystem, versions[i], versions[i]), Holds(0))
        << ecosystem << " " << versions[i];
    for (size_t j = i + 1; j < versions.size(); ++j) {
      EXPECT_THAT(CompareVersions(ecosystem, versions[i], versions[j]), Holds(-1))
          << ecosystem << " " << versions[i] << " < " << versions[j];
      EXPECT_THAT(CompareVersions(ecosystem, versions[j], versions[i]), Holds(1))
          << ecosystem << " " << versions[j] << " > " << versions[i];
    }
  }
}

void ExpectEqual(const std::string& ecosystem, const std::string& a, const std::string& b) {
  EXPECT_THAT(CompareVersions(ecosystem, a, b), Holds(0)) << a << " = " << b;
}

void ExpectInvalid(const std::string& ecosystem, const std::string& version,
                   const std::string& why) {
  EXPECT_THAT(ValidateVersion(ecosystem, version),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(why)))
      << ecosystem << " " << version;
}

TEST(CompareVersions, SemverOrgPrecedenceExampleForCratesAndNpm) {
  // semver.org 2.0.0, section 11.4.
  std::vector<std::string> order = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
                                    "1.0.0-beta",  "1.0.0-beta.2",  "1.0.0-beta.11",
                                    "1.0.0-rc.1",  "1.0.0",         "2.0.0",
                                    "2.1.0",       "2.1.1"};
  ExpectAscending("crates.io", order);
  ExpectAscending("npm", order);
  ExpectAscending("Go", order);
  ExpectEqual("crates.io", "1.0.0+build.1", "1.0.0+build.2");
  ExpectInvalid("crates.io", "v1.0.0", "major version is not a number");
  ExpectInvalid("crates.io", "1.0", "MAJOR.MINOR.PATCH");
  ExpectInvalid("crates.io", "01.0.0", "leading zero");
  ExpectInvalid("crates.io", "1.0.0-01", "leading zero");
  ExpectInvalid("npm", "=1.2.3", "not a number");
  EXPECT_THAT(ValidateVersion("npm", " v1.2.3 "), IsOk());
}

TEST(CompareVersions, GoPseudoVersionsAndIncompatible) {
  ExpectAscending(
      "Go", {"v0.0.0-20191109021931-daa7c04131f5", "v0.0.1", "v1.2.4-0.20191109021931-daa7c04131f5",
             "v1.2.4", "v2.0.0+incompatible", "3.0.0"});
  ExpectEqual("Go", "v1.2.3", "1.2.3");
  ExpectEqual("Go", "v2.0.0+incompatible", "2.0.0");
  ExpectInvalid("Go", "v1.2", "MAJOR.MINOR.PATCH");
}

TEST(CompareVersions, NuGet) {
  ExpectEqual("NuGet", "1.0", "1.0.0.0");
  ExpectEqual("NuGet", "1.0.0-Beta", "1.0.0-beta");
  ExpectEqual("NuGet", "1.0.0+git.abc", "1.0.0");
  ExpectEqual("NuGet", "1.01", "1.1");
  ExpectAscending("NuGet", {"1.0.0-alpha", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0", "1.0.0.1",
                            "1.0.1", "2.0"});
  ExpectInvalid("NuGet", "1.0.0.0.0", "more than 4 numeric parts");
  ExpectInvalid("NuGet", "1.a", "not a number");
}

TEST(CompareVersions, PubOrdersBuildMetadata) {
  // pub_semver: pre-releases before the release, builds after it.
  ExpectAscending(
      "Pub", {"1.2.3-alpha", "1.2.3-alpha.2", "1.2.3", "1.2.3+build", "1.2.3+build.1", "1.2.4"});
  ExpectInvalid("Pub", "1.2", "MAJOR.MINOR.PATCH");
}

TEST(CompareVersions, CranAndHackageCompareNumberLists) {
  ExpectEqual("CRAN", "1.2-3", "1.2.3");
  ExpectAscending("CRAN", {"0.9", "1.0", "1.0.1", "1.9", "1.10"});
  ExpectInvalid("CRAN", "1", "at least two components");
  ExpectInvalid("CRAN", "1.0a", "numbers separated");
  ExpectAscending("Hackage", {"0.1", "1", "1.0", "1.0.0", "1.2.3", "1.10"});
  ExpectInvalid("Hackage", "1.01", "leading zero");
  ExpectInvalid("Hackage", "1.0-2", "numbers separated");
}

TEST(CompareVersions, RubyGems) {
  // Gem::Version's documentation: 1.0 > 1.0.b1 > 1.0.a.2 > 0.9.
  ExpectAscending("RubyGems", {"0.9", "1.0.a.2", "1.0.b1", "1.0", "1.0.1"});
  ExpectEqual("RubyGems", "1.0", "1");
  ExpectEqual("RubyGems", "1.0.0-rc1", "1.0.0.pre.rc1");
  ExpectEqual("RubyGems", " 2.1 ", "2.1.0");
  ExpectInvalid("RubyGems", "1.0_1", "malformed version");
  ExpectInvalid("RubyGems", "", "empty");
}

TEST(CompareVersions, Packagist) {
  ExpectEqual("Packagist", "v1.0", "1.0.0.0");
  ExpectEqual("Packagist", "1.0.0-b2", "1.0.0-beta2");
  ExpectEqual("Packagist", "1.0.0+build5", "1.0.0");
  ExpectAscending("Packagist", {"1.0.0-dev", "1.0.0-alpha1", "1.0.0-beta2", "1.0.0-RC1", "1.0.0",
                                "1.0.0-p1", "1.0.1", "20210101"});
  ExpectInvalid("Packagist", "dev-main", "branch versions");
  ExpectInvalid("Packagist", "1.x-dev", "invalid version string");
}

TEST(CompareVersions, RpmFamilyUsesEpochVersionRelease) {
  for (const char* ecosystem : {"Red Hat", "AlmaLinux:8", "Rocky Linux:9", "openSUSE", "SUSE"}) {
    ExpectAscending(ecosystem,
                    {"1.0-1.el8", "1.0-2.el8", "1.0^git1-1", "1.1~rc1-1", "1.1-1", "1:0.5-1"});
  }
  ExpectInvalid("Red Hat", "a:1.0-1", "epoch");
  ExpectInvalid("Red Hat", "1.0-", "release is empty");
}

TEST(CompareVersions, DebianWarningsCompareButDoNotValidate) {
  // dpkg --compare-versions orders "abc" (with a warning); Debian policy says versions should
  // start with a digit.
  EXPECT_THAT(CompareVersions("Debian", "abc", "1.0"), Holds(1));
  ExpectInvalid("Debian", "abc", "does not start with digit");
  ExpectInvalid("Debian", "1:", "nothing after colon");
}

TEST(CompareVersions, ErrorsNameEcosystemVersionAndProblem) {
  EXPECT_THAT(
      CompareVersions("PyPI", "1.0", "french toast"),
      StatusIs(absl::StatusCode::kInvalidArgument, AllOf(HasSubstr("PyPI version \"french toast\""),
                                                         HasSubstr("not a PEP 440 version"))));
  EXPECT_THAT(
      CompareVersions("Alpine:v3.18", "1.0_foo", "1.0"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("Alpine version \"1.0_foo\""), HasSubstr("unknown suffix"))));
  EXPECT_THAT(CompareVersions("Conan", "1", "2"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown ecosystem")));
  EXPECT_THAT(CompareVersions("npm", std::string(kMaxVersionLength + 1, '1'), "1.0.0"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("longer than")));
}

TEST(CompareVersions, EcosystemSuffixAndSchemeNames) {
  EXPECT_THAT(SchemeForEcosystem("Ubuntu:22.04:LTS"), Holds(VersionScheme::kDpkg));
  EXPECT_THAT(SchemeForEcosystem("Debian:12"), Holds(VersionScheme::kDpkg));
  EXPECT_THAT(SchemeForEcosystem("debian"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(SchemeName(VersionScheme::kPep440), "PEP 440");
}

}  // namespace
}  // namespace bulwark::vuln
