// GuardPathPolicy: which prefixes it accepts and how it writes them, whole-component matching,
// the container-only scope, and the path a guard event stands for. The live guard applying it
// is tested in fanotify_guard_test.cc.
#include "bulwark/runtime/guard_path_policy.h"

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "bulwark/core/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::runtime {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kContainer[] = "4f0c5dd16e5b";

GuardPathPolicy Policy(const std::vector<std::string>& prefixes, bool only_in_containers = true) {
  absl::StatusOr<GuardPathPolicy> policy = GuardPathPolicy::Create(prefixes, only_in_containers);
  EXPECT_THAT(policy, IsOk());
  return policy.ok() ? *std::move(policy) : GuardPathPolicy();
}

TEST(NormalizeGuardPathPrefixTest, WritesEachPrefixOneWay) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/srv/private", "/srv/private"},
      {"/srv/private/", "/srv/private"},
      {"/srv//private///", "/srv/private"},
      {"/srv/./private/.", "/srv/private"},
      {"/", "/"},
      {"//", "/"},
      {"/./", "/"},
      {"/srv/...", "/srv/..."},
      {"/srv/.hidden", "/srv/.hidden"},
  };
  for (const auto& [prefix, normalized] : cases) {
    absl::StatusOr<std::string> result = NormalizeGuardPathPrefix(prefix);
    ASSERT_THAT(result, IsOk()) << prefix;
    EXPECT_EQ(*result, normalized) << prefix;
  }
}

TEST(NormalizeGuardPathPrefixTest, RefusesWhatCannotBeComparedWithKernelPaths) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "guard path prefix '': must not be empty"},
      {"srv/private", "guard path prefix 'srv/private': must be an absolute path"},
      {"./srv", "must be an absolute path"},
      {"~/keys", "must be an absolute path"},
      {"/srv/../etc", "guard path prefix '/srv/../etc': must not contain '..'"},
      {"/srv/private/..", "must not contain '..'"},
      {std::string("/srv/a\0b", 8), "'/srv/a\\000b': contains a NUL byte"},
      {"/" + std::string(5000, 'a'), "is longer than 4096 bytes"},
  };
  for (const auto& [prefix, message] : cases) {
    EXPECT_THAT(NormalizeGuardPathPrefix(prefix),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(message)))
        << prefix;
  }
  EXPECT_THAT(GuardPathPolicy::Create({"/srv", "relative"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'relative'")));
}

TEST(GuardPathPolicyTest, MatchesWholeComponentsOnly) {
  const GuardPathPolicy policy = Policy({"/srv/private/"});
  EXPECT_THAT(policy.prefixes(), ElementsAre("/srv/private"));
  for (const char* path :
       {"/srv/private", "/srv/private/", "/srv/private/key.pem", "/srv/private/a/b/c"}) {
    EXPECT_EQ(policy.DenyingPrefix(path, kContainer), "/srv/private") << path;
  }
  for (const char* path : {"/srv/privateer", "/srv/privateer/key.pem", "/srv/private.txt",
                           "/srv/privat", "/srv", "/", "srv/private", "", "/other/srv/private"}) {
    EXPECT_EQ(policy.DenyingPrefix(path, kContainer), "") << path;
  }
}

TEST(GuardPathPolicyTest, RootCoversEveryAbsolutePathAndTheFirstPrefixWins) {
  const GuardPathPolicy root = Policy({"/"});
  EXPECT_EQ(root.DenyingPrefix("/etc/shadow", kContainer), "/");
  EXPECT_EQ(root.DenyingPrefix("/", kContainer), "/");
  EXPECT_EQ(root.DenyingPrefix("relative", kContainer), "");
  const GuardPathPolicy both = Policy({"/srv/a", "/srv"});
  EXPECT_EQ(both.DenyingPrefix("/srv/a/x", kContainer), "/srv/a");
  EXPECT_EQ(both.DenyingPrefix("/srv/b", kContainer), "/srv");
  EXPECT_TRUE(GuardPathPolicy().empty());
  EXPECT_EQ(GuardPathPolicy().DenyingPrefix("/srv/a", kContainer), "");
}

TEST(GuardPathPolicyTest, ContainerScopeSparesHostProcesses) {
  const GuardPathPolicy containers = Policy({"/srv/private"});
  EXPECT_TRUE(containers.only_in_containers());
  EXPECT_EQ(containers.DenyingPrefix("/srv/private/a", kContainer), "/srv/private");
  EXPECT_EQ(containers.DenyingPrefix("/srv/private/a", "host"), "");
  EXPECT_EQ(containers.DenyingPrefix("/srv/private/a", ""), "");
  const GuardPathPolicy all = Policy({"/srv/private"}, /*only_in_containers=*/false);
  EXPECT_EQ(all.DenyingPrefix("/srv/private/a", "host"), "/srv/private");
  EXPECT_EQ(all.DenyingPrefix("/srv/private/a", ""), "/srv/private");
}

TEST(GuardPathPolicyTest, JudgesTheEventsTheGuardBuilds) {
  const GuardPathPolicy policy = Policy({"/srv/private"});
  v1::Event open;
  open.set_type(v1::EVENT_TYPE_OPENAT);
  open.mutable_process()->set_container_id(kContainer);
  open.mutable_fd()->set_name("/srv/private/key.pem");
  EXPECT_EQ(GuardAccessPath(open), "/srv/private/key.pem");
  EXPECT_EQ(policy.DenyingPrefix(open), "/srv/private");
  open.mutable_process()->set_container_id("host");
  EXPECT_EQ(policy.DenyingPrefix(open), "");

  v1::Event exec;
  exec.set_type(v1::EVENT_TYPE_EXECVE);
  exec.mutable_process()->set_container_id(kContainer);
  exec.mutable_exec()->set_filename("/srv/private/tool");
  EXPECT_EQ(policy.DenyingPrefix(exec), "/srv/private");
  // A timed-out verdict has only fd.name, for execs too.
  exec.mutable_exec()->clear_filename();
  exec.mutable_fd()->set_name("/srv/privateer/tool");
  EXPECT_EQ(GuardAccessPath(exec), "/srv/privateer/tool");
  EXPECT_EQ(policy.DenyingPrefix(exec), "");
}

TEST(GuardPathPolicyTest, ResolvesSymlinksAsTheKernelDoes) {
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / "guard_path_policy_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "real");
  std::filesystem::create_directory_symlink("real", dir / "link");
  const std::string real = std::filesystem::canonical(dir / "real").string();
  // The part below the link does not exist: kept as written.
  const GuardPathPolicy policy = Policy({(dir / "link" / "keys").string() + "/"});
  EXPECT_THAT(policy.prefixes(), ElementsAre(real + "/keys"));
  EXPECT_EQ(policy.DenyingPrefix(real + "/keys/a.pem", kContainer), real + "/keys");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace bulwark::runtime
