#include "bulwark/image/sbom/os_release.h"

#include <filesystem>
#include <string>

#include "absl/container/btree_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/file.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::sbom {
namespace {

namespace fs = std::filesystem;

// The release files under `root`/etc as DetectOperatingSystem takes them.
absl::btree_map<std::string, std::string> ReleaseFiles(const fs::path& root) {
  absl::btree_map<std::string, std::string> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(root / "etc")) {
    const std::string path = absl::StrCat("etc/", entry.path().filename().string());
    if (!IsOsReleaseFile(path)) continue;
    files[path] = *core::ReadFileToString(entry.path().string(), 1 << 20);
  }
  return files;
}

TEST(OsReleaseTest, ClaircoreDebianReleases) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/pkgdb/claircore/debian/testdata");
  int checked = 0;
  for (const char* set : {"dist", "distroless_dist"}) {
    for (const fs::directory_entry& release : fs::directory_iterator(fs::path(dir) / set)) {
      const std::string version = release.path().filename().string();
      const v1::OperatingSystem os = DetectOperatingSystem(ReleaseFiles(release.path()));
      SCOPED_TRACE(release.path().string());
      EXPECT_EQ(os.id(), "debian");
      EXPECT_EQ(os.version_id(), version);
      EXPECT_EQ(os.osv_ecosystem(), absl::StrCat("Debian:", version));
      EXPECT_FALSE(os.version_codename().empty());
      ++checked;
    }
  }
  EXPECT_EQ(checked, 9);
}

TEST(OsReleaseTest, ClaircoreUbuntuReleases) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/pkgdb/claircore/ubuntu/testdata/dist");
  int checked = 0;
  for (const fs::directory_entry& release : fs::directory_iterator(dir)) {
    const std::string version = release.path().filename().string();
    const v1::OperatingSystem os = DetectOperatingSystem(ReleaseFiles(release.path()));
    SCOPED_TRACE(release.path().string());
    if (version == "11") {  // A Debian 11 os-release among the Ubuntu ones.
      EXPECT_EQ(os.id(), "debian");
      EXPECT_EQ(os.osv_ecosystem(), "Debian:11");
      continue;
    }
    EXPECT_EQ(os.id(), "ubuntu");
    EXPECT_EQ(os.version_id(), version);
    EXPECT_FALSE(os.version_codename().empty());
    const bool lts = absl::EndsWith(version, ".04") && (version[1] - '0') % 2 == 0;
    EXPECT_EQ(os.osv_ecosystem(), absl::StrCat("Ubuntu:", version, lts ? ":LTS" : ""));
    ++checked;
  }
  EXPECT_EQ(checked, 25);
}

TEST(OsReleaseTest, ClaircoreAlpineReleasesMatchTheirWantFiles) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/pkgdb/claircore/alpine/testdata");
  int checked = 0;
  for (const fs::directory_entry& release : fs::directory_iterator(dir)) {
    const std::string want = *core::ReadFileToString((release.path() / "want").string(), 4096);
    const v1::OperatingSystem os = DetectOperatingSystem(ReleaseFiles(release.path()));
    SCOPED_TRACE(release.path().string());
    EXPECT_EQ(os.id(), "alpine");
    // want: [{"did":"alpine","name":"Alpine Linux","version":"3.18","pretty_name":...}]
    EXPECT_THAT(want, ::testing::HasSubstr(absl::StrCat("\"name\":\"", os.name(), "\"")));
    EXPECT_THAT(want, ::testing::HasSubstr(absl::StrCat("\"pretty_name\":\"", os.pretty_name())));
    const std::string name = release.path().filename().string();
    if (name == "edge") {
      EXPECT_EQ(os.version_id(), "edge");
      EXPECT_EQ(os.osv_ecosystem(), "");
    } else {
      EXPECT_THAT(os.version_id(), ::testing::StartsWith(name + "."));
      EXPECT_THAT(want, ::testing::HasSubstr(absl::StrCat("\"version\":\"", name, "\"")));
      EXPECT_EQ(os.osv_ecosystem(), absl::StrCat("Alpine:v", name));
    }
    ++checked;
  }
  EXPECT_EQ(checked, 4);
}

TEST(OsReleaseTest, ClaircoreRedHatFamilyReleaseFiles) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/pkgdb/claircore/rhel/testdata/releasefiles");
  const absl::btree_map<std::string, std::pair<std::string, std::string>> want = {
      {"7", {"rhel", "7.7"}},
      {"8", {"rhel", "8.1"}},
      {"9", {"rhel", "9.0"}},
      {"atomichost-7", {"rhel", "7.9"}},
      {"hummingbird", {"hummingbird", "20251124"}},
      {"oracle-6", {"ol", "6.10"}},
      {"oracle-7", {"ol", "7.9"}},
      {"oracle-8", {"ol", "8.9"}},
      {"oracle-9", {"ol", "9.3"}},
  };
  int checked = 0;
  for (const fs::directory_entry& release : fs::directory_iterator(dir)) {
    const std::string name = release.path().filename().string();
    ASSERT_TRUE(want.contains(name)) << name;
    const v1::OperatingSystem os = DetectOperatingSystem(ReleaseFiles(release.path()));
    EXPECT_EQ(os.id(), want.at(name).first) << name;
    EXPECT_EQ(os.version_id(), want.at(name).second) << name;
    ++checked;
  }
  EXPECT_EQ(checked, 9);
}

TEST(OsReleaseTest, FallbacksAndQuoting) {
  EXPECT_EQ(DetectOperatingSystem({{"etc/debian_version", "12.4\n"}}).osv_ecosystem(), "Debian:12");
  EXPECT_EQ(DetectOperatingSystem({{"etc/debian_version", "trixie/sid\n"}}).version_codename(),
            "trixie");
  EXPECT_EQ(DetectOperatingSystem({{"etc/alpine-release", "3.19.1\n"}}).osv_ecosystem(),
            "Alpine:v3.19");
  const v1::OperatingSystem alma = DetectOperatingSystem(
      {{"usr/lib/os-release", "ID=\"almalinux\"\nVERSION_ID='9.3'\nNAME=\"Alma\\\"Linux\" # x\n"},
       {"etc/redhat-release", "AlmaLinux release 9.3 (Shamrock Pampas Cat)\n"}});
  EXPECT_EQ(alma.osv_ecosystem(), "AlmaLinux:9");
  EXPECT_EQ(alma.name(), "Alma\"Linux");
  EXPECT_EQ(DetectOperatingSystem({{"etc/centos-release", "CentOS Linux release 7.9.2009 (Core)"}})
                .version_id(),
            "7.9.2009");
  EXPECT_EQ(DetectOperatingSystem({{"etc/os-release", "garbage\n\xff=1\n"}}).id(), "");
}

}  // namespace
}  // namespace bulwark::sbom
