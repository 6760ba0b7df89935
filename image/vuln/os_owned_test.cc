// FindOsOwners over small SBOMs shaped as the catalogers write them (file lists as in Debian
// bookworm's python3-requests and python3-idna, Alpine's py3-requests, Fedora's
// python3-requests), and OsVersionAgrees on the version spellings of those distributions.
// //tests/vuln:image_match_test checks the same on an image that dpkg and umoci built.
#include "bulwark/image/vuln/os_owned.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::vuln {
namespace {

using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::Optional;

sbom::v1::Package* Add(sbom::v1::Sbom& sbom, std::string type, std::string name,
                       std::string version, std::string location,
                       std::vector<std::string> files = {}) {
  sbom::v1::Package* p = sbom.add_packages();
  p->set_type(std::move(type));
  p->set_name(std::move(name));
  p->set_version(std::move(version));
  p->add_locations()->set_path(std::move(location));
  for (std::string& file : files) p->add_files(std::move(file));
  return p;
}

MATCHER_P2(OwnedBy, owner, path, "") { return arg.owner == owner && arg.path == path; }

constexpr char kRequestsPkgInfo[] =
    "/usr/lib/python3/dist-packages/requests-2.28.1.egg-info/PKG-INFO";

TEST(FindOsOwners, DpkgOwnedEggInfoAgainstAPipDistInfo) {
  sbom::v1::Sbom sbom;
  Add(sbom, "deb", "python3-requests", "2.28.1+dfsg-1", "/var/lib/dpkg/status",
      {"/usr/lib/python3/dist-packages/requests-2.28.1.egg-info", kRequestsPkgInfo,
       "/usr/lib/python3/dist-packages/requests/__init__.py"});
  Add(sbom, "pypi", "requests", "2.28.1", kRequestsPkgInfo);
  // pip's own install next to it: no package lists its METADATA.
  Add(sbom, "pypi", "urllib3", "2.0.7",
      "/usr/local/lib/python3.11/dist-packages/urllib3-2.0.7.dist-info/METADATA");
  std::vector<std::optional<OsOwner>> owners = FindOsOwners(sbom);
  ASSERT_EQ(owners.size(), 3u);
  EXPECT_EQ(owners[0], std::nullopt);  // OS packages are never owned.
  EXPECT_THAT(owners[1], Optional(OwnedBy(0u, kRequestsPkgInfo)));
  EXPECT_EQ(owners[2], std::nullopt);
}

TEST(FindOsOwners, ApkAndRpmOwnersToo) {
  sbom::v1::Sbom sbom;
  const std::string apk_metadata =
      "/usr/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA";
  Add(sbom, "apk", "py3-requests", "2.31.0-r1", "/lib/apk/db/installed", {apk_metadata});
  Add(sbom, "pypi", "requests", "2.31.0", apk_metadata);
  const std::string rpm_pkg_info =
      "/usr/lib/python3.6/site-packages/requests-2.20.0-py3.6.egg-info/PKG-INFO";
  Add(sbom, "rpm", "python3-requests", "2.20.0-3.el8_8", "/var/lib/rpm/rpmdb.sqlite",
      {rpm_pkg_info});
  Add(sbom, "pypi", "requests", "2.20.0", rpm_pkg_info);
  std::vector<std::optional<OsOwner>> owners = FindOsOwners(sbom);
  EXPECT_THAT(owners[1], Optional(OwnedBy(0u, apk_metadata)));
  EXPECT_THAT(owners[3], Optional(OwnedBy(2u, rpm_pkg_info)));
}

TEST(FindOsOwners, SoftwareBuiltIntoAnOwnedExecutableIsNotTheOwner) {
  // Debian's umoci 0.4.7+ds-3 built with go1.19.8: the Go cataloger reports the standard
  // library and the modules from /usr/bin/umoci, which the deb lists. Debian's advisories for
  // umoci do not cover the Go toolchain's; the main module is umoci itself.
  sbom::v1::Sbom sbom;
  Add(sbom, "deb", "umoci", "0.4.7+ds-3", "/var/lib/dpkg/status", {"/usr/bin/umoci"});
  Add(sbom, "golang", "stdlib", "go1.19.8", "/usr/bin/umoci");
  Add(sbom, "golang", "github.com/klauspost/compress", "v1.15.9", "/usr/bin/umoci");
  Add(sbom, "golang", "github.com/opencontainers/umoci", "v0.4.7", "/usr/bin/umoci");
  std::vector<std::optional<OsOwner>> owners = FindOsOwners(sbom);
  EXPECT_EQ(owners[1], std::nullopt);
  EXPECT_EQ(owners[2], std::nullopt);
  EXPECT_THAT(owners[3], Optional(OwnedBy(0u, "/usr/bin/umoci")));
}

TEST(FindOsOwners, NothingWithoutFileListsOrWithAnotherVersion) {
  sbom::v1::Sbom sbom;
  // Cataloged without installed files (CatalogOptions::include_files = false).
  Add(sbom, "deb", "python3-idna", "3.3-1+deb12u1", "/var/lib/dpkg/status");
  Add(sbom, "pypi", "idna", "3.3", "/usr/lib/python3/dist-packages/idna-3.3.egg-info/PKG-INFO");
  EXPECT_THAT(FindOsOwners(sbom), ElementsAre(Eq(std::nullopt), Eq(std::nullopt)));
  // A file the deb lists, rewritten with another version (pip --force over dpkg's files).
  sbom.mutable_packages(0)->add_files("/usr/lib/python3/dist-packages/idna-3.3.egg-info/PKG-INFO");
  sbom.mutable_packages(1)->set_version("3.7");
  EXPECT_THAT(FindOsOwners(sbom), ElementsAre(Eq(std::nullopt), Eq(std::nullopt)));
  sbom.mutable_packages(1)->set_version("3.3");
  EXPECT_THAT(FindOsOwners(sbom)[1], Optional(OwnedBy(0u,
                                                      "/usr/lib/python3/dist-packages/"
                                                      "idna-3.3.egg-info/PKG-INFO")));
}

TEST(OsVersionAgrees, DistributionSpellings) {
  EXPECT_TRUE(OsVersionAgrees("2.28.1", "2.28.1+dfsg-1"));   // Debian, repacked upstream.
  EXPECT_TRUE(OsVersionAgrees("3.3", "3.3-1+deb12u1"));      // Debian security update.
  EXPECT_TRUE(OsVersionAgrees("1.2.13", "1:1.2.13-1"));      // Debian epoch.
  EXPECT_TRUE(OsVersionAgrees("7.3.8", "7.3.8+~7.3.9-1"));   // Debian node-semver.
  EXPECT_TRUE(OsVersionAgrees("2.32.3", "2.32.3-r0"));       // Alpine.
  EXPECT_TRUE(OsVersionAgrees("2.20.0", "2.20.0-3.el8_8"));  // RHEL (version-release).
  EXPECT_TRUE(OsVersionAgrees("v0.4.7", "0.4.7+ds-3"));      // Go module "v".
  EXPECT_TRUE(OsVersionAgrees("1.0", "1.0"));
  EXPECT_FALSE(OsVersionAgrees("3.3", "3.3.1-1"));
  EXPECT_FALSE(OsVersionAgrees("2.28.1", "2.28.10-1"));
  EXPECT_FALSE(OsVersionAgrees("1.19.8", "0.4.7+ds-3"));
  EXPECT_FALSE(OsVersionAgrees("3.7", "3.3-1+deb12u1"));
  EXPECT_FALSE(OsVersionAgrees("", "1.0-1"));
  EXPECT_FALSE(OsVersionAgrees("2.28.1+dfsg-1", "2.28.1"));  // The OS version extends, not less.
}

}  // namespace
}  // namespace bulwark::vuln
