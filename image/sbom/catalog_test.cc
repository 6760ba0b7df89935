#include "bulwark/image/sbom/catalog.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/image/internal/visitor_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::sbom {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::image::testing::Dir;
using ::bulwark::image::testing::File;
using ::bulwark::image::testing::Opaque;
using ::bulwark::image::testing::Symlink;
using ::bulwark::image::testing::TestLayer;
using ::bulwark::image::testing::Whiteout;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr char kDebian12[] =
    "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
    "VERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=debian\n";

std::string Stanza(const std::string& name, const std::string& version,
                   const std::string& extra = "") {
  return absl::StrCat("Package: ", name, "\nStatus: install ok installed\nArchitecture: amd64\n",
                      "Version: ", version, "\n", extra, "Description: test\n more\n\n");
}

v1::Sbom CatalogLayers(const std::vector<TestLayer>& layers, const CatalogOptions& options = {}) {
  SbomBuilder builder(options);
  image::LayerVisitor* visitors[] = {&builder};
  EXPECT_THAT(image::testing::WalkTestLayers(layers, visitors), IsOk());
  std::vector<image::LayerInfo> infos(layers.size());
  for (size_t i = 0; i < infos.size(); ++i) infos[i].index = i;
  return std::move(builder).Finish(infos);
}

// "name version layer" of each package, in order.
std::vector<std::string> Summary(const google::protobuf::RepeatedPtrField<v1::Package>& packages) {
  std::vector<std::string> out;
  for (const v1::Package& p : packages) {
    out.push_back(absl::StrCat(p.name(), " ", p.version(), " ", p.layer(),
                               p.has_removed_layer() ? absl::StrCat("-", p.removed_layer()) : ""));
  }
  return out;
}

TEST(CatalogTest, AttributesEachPackageToTheLayerWhereItsFinalStateBegins) {
  const std::vector<TestLayer> layers = {
      {File("etc/os-release", kDebian12),
       File("var/lib/dpkg/status", Stanza("a", "1.0") + Stanza("b", "1.0"))},
      {File("var/lib/dpkg/status", Stanza("a", "1.0") + Stanza("b", "2.0") + Stanza("c", "1"))},
      {File("var/lib/dpkg/status", Stanza("a", "1.0") + Stanza("c", "1"))},
      {File("usr/bin/unrelated", "x")},
  };
  const v1::Sbom sbom = CatalogLayers(layers);
  EXPECT_THAT(Summary(sbom.packages()), ElementsAre("a 1.0 0", "c 1 1"));
  EXPECT_THAT(Summary(sbom.removed_packages()), ElementsAre("b 1.0 0-1", "b 2.0 1-2"));
  EXPECT_EQ(sbom.packages(0).purl(), "pkg:deb/debian/a@1.0?arch=amd64&distro=debian-12");
  EXPECT_EQ(sbom.packages(1).locations(0).path(), "/var/lib/dpkg/status");
  EXPECT_EQ(sbom.packages(1).locations(0).layer(), 2u);
  EXPECT_EQ(sbom.os().osv_ecosystem(), "Debian:12");
  EXPECT_EQ(sbom.os().version_codename(), "bookworm");
}

TEST(CatalogTest, WhiteoutsAndOpaqueDirectoriesRemovePackages) {
  const std::string metadata = "Metadata-Version: 2.1\nName: Requests\nVersion: 2.28.1\n\nbody\n";
  const std::vector<TestLayer> layers = {
      {Dir("usr/lib/python3/dist-packages/requests-2.28.1.dist-info"),
       File("usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA", metadata),
       File("app/node_modules/left-pad/package.json",
            R"({"name": "left-pad", "version": "1.3.0", "license": "WTFPL"})"),
       File("app/node_modules/@types/node/package.json",
            R"({"name": "@types/node", "version": "20.1.0"})")},
      {Whiteout("usr/lib/python3/dist-packages/requests-2.28.1.dist-info"),
       Opaque("app/node_modules/@types")},
  };
  const v1::Sbom sbom = CatalogLayers(layers);
  EXPECT_THAT(Summary(sbom.packages()), ElementsAre("left-pad 1.3.0 0"));
  EXPECT_THAT(sbom.packages(0).licenses(), ElementsAre("WTFPL"));
  EXPECT_THAT(Summary(sbom.removed_packages()),
              ElementsAre("@types/node 20.1.0 0-1", "Requests 2.28.1 0-1"));
  EXPECT_EQ(sbom.removed_packages(0).purl(), "pkg:npm/%40types/node@20.1.0");
  EXPECT_EQ(sbom.removed_packages(1).purl(), "pkg:pypi/requests@2.28.1");
}

TEST(CatalogTest, FileReplacedBySymlinkOrReAddedInTheSameLayer) {
  const std::vector<TestLayer> layers = {
      {File("lib/apk/db/installed", "P:musl\nV:1.2.4-r2\nA:x86_64\nL:MIT\no:musl\n\n"),
       File("app/Cargo.lock", "[[package]]\nname = \"serde\"\nversion = \"1.0.1\"\n")},
      {Symlink("lib/apk/db/installed", "/elsewhere"), Whiteout("app"),
       File("app/Cargo.lock", "[[package]]\nname = \"serde\"\nversion = \"1.0.1\"\n")},
  };
  const v1::Sbom sbom = CatalogLayers(layers);
  // The Cargo.lock came back in the layer that deleted it, with the same content: its package
  // is attributed to layer 0 because every version of the file lists it.
  EXPECT_THAT(Summary(sbom.packages()), ElementsAre("serde 1.0.1 0"));
  EXPECT_THAT(Summary(sbom.removed_packages()), ElementsAre("musl 1.2.4-r2 0-1"));
}

TEST(CatalogTest, DpkgFactsAddFilesAndLicenses) {
  const std::vector<TestLayer> layers = {
      {File("var/lib/dpkg/status", Stanza("libc6", "2.36-9", "Source: glibc\nMulti-Arch: same\n") +
                                       Stanza("bash", "5.2.15-2+b2", "Source: bash (5.2.15-2)\n")),
       File("var/lib/dpkg/info/libc6:amd64.list", "/.\n/lib\n/lib/libc.so.6\n"),
       File("var/lib/dpkg/info/bash.list", "/.\n/bin/bash\n"),
       File("usr/share/doc/bash/copyright",
            "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n"
            "Files: *\nCopyright: FSF\nLicense: GPL-3+\n\nFiles: doc/*\nLicense: GFDL-NIV-1.3\n")},
  };
  const v1::Sbom sbom = CatalogLayers(layers);
  ASSERT_THAT(sbom.packages(), SizeIs(2));
  const v1::Package& bash = sbom.packages(0);
  EXPECT_EQ(bash.source_name(), "bash");
  EXPECT_EQ(bash.source_version(), "5.2.15-2");
  EXPECT_THAT(bash.files(), ElementsAre("/bin/bash"));
  EXPECT_THAT(bash.licenses(), ElementsAre("GPL-3+", "GFDL-NIV-1.3"));
  EXPECT_EQ(bash.purl(), "pkg:deb/debian/bash@5.2.15-2+b2?arch=amd64&upstream=bash%405.2.15-2");
  const v1::Package& libc = sbom.packages(1);
  EXPECT_EQ(libc.source_name(), "glibc");
  EXPECT_EQ(libc.source_version(), "2.36-9");
  EXPECT_THAT(libc.files(), ElementsAre("/lib", "/lib/libc.so.6"));

  CatalogOptions no_files;
  no_files.include_files = false;
  EXPECT_THAT(CatalogLayers(layers, no_files).packages(0).files(), IsEmpty());
}

TEST(CatalogTest, HostileDatabasesGiveWarningsNotCrashes) {
  std::string huge(5 << 20, 'x');
  const std::vector<TestLayer> layers = {
      {File("var/lib/dpkg/status",
            "Package: ok\nStatus: install ok installed\nVersion: 1\n\n"
            "Package: bad\xff\nVersion: 1\n\n"
            " orphan continuation\nPackage: huge\nStatus: install ok installed\nVersion: " +
                huge + "\n\nPackage: truncated\nStatus: install ok installed\nVers"),
       File("app/node_modules/x/package.json", "{\"name\": \"x\", \"version\": "),
       File("lib/apk/db/installed", "P:\nV:1\n\nnot a field\n")},
  };
  const v1::Sbom sbom = CatalogLayers(layers);
  EXPECT_THAT(Summary(sbom.packages()), ElementsAre("ok 1 0", "truncated  0"));
  std::string warnings;
  for (const std::string& w : sbom.warnings()) absl::StrAppend(&warnings, w, "\n");
  EXPECT_THAT(warnings, HasSubstr("/var/lib/dpkg/status (layer 0): line 5: stanza without a "
                                  "valid Package field; skipped"));
  EXPECT_THAT(warnings, HasSubstr("package huge: invalid Version; skipped"));
  EXPECT_THAT(warnings, HasSubstr("/app/node_modules/x/package.json (layer 0): "));
  EXPECT_THAT(warnings, HasSubstr("/lib/apk/db/installed (layer 0): line 1: stanza without"));
}

}  // namespace
}  // namespace bulwark::sbom
