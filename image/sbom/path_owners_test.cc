#include "bulwark/image/sbom/path_owners.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "bulwark/core/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::sbom {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

v1::Package* AddPackage(v1::Sbom& sbom, const std::string& type, const std::string& name,
                        const std::string& location, const std::vector<std::string>& files) {
  v1::Package* package = sbom.add_packages();
  package->set_type(type);
  package->set_name(name);
  package->add_locations()->set_path(location);
  for (const std::string& file : files) package->add_files(file);
  return package;
}

// dpkg-like: two packages share directories, a third lists nothing; a Python package and a Go
// executable with two modules own their declaring files.
v1::Sbom TestSbom() {
  v1::Sbom sbom;
  AddPackage(sbom, "deb", "bash", "/var/lib/dpkg/status", {"/.", "/bin", "/bin/bash", "/usr"});
  AddPackage(sbom, "deb", "coreutils", "/var/lib/dpkg/status", {"/.", "/bin", "/bin/ls"});
  AddPackage(sbom, "deb", "tzdata", "/var/lib/dpkg/status", {});
  AddPackage(sbom, "pypi", "jinja2",
             "/usr/lib/python3/dist-packages/Jinja2-3.1.2.dist-info/METADATA", {});
  AddPackage(sbom, "golang", "github.com/a/app", "/usr/bin/app", {});
  AddPackage(sbom, "golang", "stdlib", "/usr/bin/app", {});
  return sbom;
}

std::vector<uint32_t> Owners(const PathOwners& owners, const std::string& path) {
  absl::StatusOr<std::vector<uint32_t>> found = owners.Find(path);
  EXPECT_THAT(found, IsOk()) << path;
  return found.ok() ? *found : std::vector<uint32_t>();
}

TEST(PathOwnersTest, FindsEveryPackageThatListsAPath) {
  const PathOwners owners(TestSbom());
  EXPECT_THAT(Owners(owners, "/bin/bash"), ElementsAre(0));
  EXPECT_THAT(Owners(owners, "/bin/ls"), ElementsAre(1));
  EXPECT_THAT(Owners(owners, "/bin"), ElementsAre(0, 1));
  EXPECT_THAT(Owners(owners, "/"), ElementsAre(0, 1));
  EXPECT_THAT(Owners(owners, "/usr/bin/app"), ElementsAre(4, 5));
  EXPECT_THAT(Owners(owners, "/usr/lib/python3/dist-packages/Jinja2-3.1.2.dist-info/METADATA"),
              ElementsAre(3));
}

TEST(PathOwnersTest, SharedPackageDatabasesOwnNothing) {
  const PathOwners owners(TestSbom());
  EXPECT_THAT(Owners(owners, "/var/lib/dpkg/status"), IsEmpty());
  EXPECT_THAT(Owners(owners, "/bin/sh"), IsEmpty());
  EXPECT_THAT(Owners(owners, "/usr/bin"), IsEmpty());
}

TEST(PathOwnersTest, NormalisesThePathAsked) {
  const PathOwners owners(TestSbom());
  EXPECT_THAT(Owners(owners, "bin/bash"), ElementsAre(0));
  EXPECT_THAT(Owners(owners, "//bin/./bash"), ElementsAre(0));
  EXPECT_THAT(Owners(owners, "/bin/"), ElementsAre(0, 1));
  EXPECT_THAT(Owners(owners, "/."), ElementsAre(0, 1));
  EXPECT_THAT(Owners(owners, ""), ElementsAre(0, 1));
  EXPECT_EQ(owners.size(), 7);
}

TEST(PathOwnersTest, RejectsPathsThatCannotBeNormalised) {
  const PathOwners owners(TestSbom());
  EXPECT_THAT(owners.Find("/usr/../bin/bash"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("/usr/../bin/bash")));
  EXPECT_THAT(owners.Find(std::string("/bin/ba\0sh", 10)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("NUL")));
}

TEST(PathOwnersTest, IgnoresPackagePathsThatCannotBeNormalised) {
  v1::Sbom sbom;
  AddPackage(sbom, "deb", "evil", "/var/lib/dpkg/status", {"/../etc/passwd", "/ok"});
  const PathOwners owners(sbom);
  EXPECT_EQ(owners.size(), 1);
  EXPECT_THAT(Owners(owners, "/ok"), ElementsAre(0));
}

// Both ends of a diversion find it; owners stay those of the listed (original) path.
TEST(PathOwnersTest, FindsTheDiversionOfEitherEnd) {
  v1::Sbom sbom = TestSbom();
  AddPackage(sbom, "deb", "dash", "/var/lib/dpkg/status", {"/bin/sh"});
  v1::Diversion* diversion = sbom.add_diversions();
  diversion->set_path("/bin/sh");
  diversion->set_diverted_to("/bin/sh.distrib");
  diversion->set_package("dash");
  v1::Diversion* local = sbom.add_diversions();
  local->set_path("/usr/bin/x");
  local->set_diverted_to("/usr/bin/x.orig");
  local->set_path("/usr/bin/../bin/x");  // Not normalisable: left out, like package paths.
  const PathOwners owners(sbom);
  for (const char* path : {"/bin/sh", "bin/sh.distrib/", "//bin/sh"}) {
    auto found = owners.FindDiversion(path);
    ASSERT_THAT(found, IsOk());
    ASSERT_TRUE(found->has_value()) << path;
    EXPECT_EQ((*found)->path(), "/bin/sh");
    EXPECT_EQ((*found)->diverted_to(), "/bin/sh.distrib");
    EXPECT_EQ((*found)->package(), "dash");
  }
  EXPECT_THAT(*owners.Find("/bin/sh"), ElementsAre(6));
  EXPECT_THAT(*owners.Find("/bin/sh.distrib"), IsEmpty());
  EXPECT_FALSE(owners.FindDiversion("/bin/bash")->has_value());
  EXPECT_TRUE(owners.FindDiversion("/usr/bin/x.orig")->has_value());
  EXPECT_FALSE(owners.FindDiversion("/usr/bin/x")->has_value());
  EXPECT_THAT(owners.FindDiversion("/bin/../sh"), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace bulwark::sbom
