// Runs real processes under the live collector: one on the host and one inside unshare'd
// namespaces placed in a cgroup named like a docker container's systemd scope, and checks the
// exec events, their container ids, and that a built-in rule fires. Needs root; skipped (with
// the PermissionDenied message checked) otherwise.
#include "bulwark/runtime/collector.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/runtime/engine.h"
#include "bulwark/runtime/rule_set.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::runtime {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;

constexpr char kContainerId[] = "b0a1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1";

// A cgroup v1 or v2 directory we may create, or "" when none is writable.
std::string CgroupRoot() {
  for (const char* root : {"/sys/fs/cgroup/pids", "/sys/fs/cgroup/unified", "/sys/fs/cgroup"}) {
    if (access(absl::StrCat(root, "/cgroup.procs").c_str(), W_OK) == 0) return root;
  }
  return "";
}

pid_t Spawn(const std::vector<std::string>& argv) {
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

TEST(CollectorTest, NeedsRoot) {
  if (geteuid() == 0) GTEST_SKIP() << "running as root; the PermissionDenied path needs a user";
  EXPECT_THAT(Collector::Start(), StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST(CollectorTest, SeesRealExecsWithContainerIdsAndBuiltInRulesFire) {
  if (geteuid() != 0) GTEST_SKIP() << "the live collector needs root";
  const std::string cgroup_root = CgroupRoot();
  if (cgroup_root.empty()) GTEST_SKIP() << "no writable cgroup hierarchy";
  const std::string scope =
      absl::StrCat(cgroup_root, "/system.slice/docker-", kContainerId, ".scope");
  std::filesystem::create_directories(scope);

  // TempDir() ends with '/'; the kernel reports paths without doubled slashes.
  const std::string tmp =
      std::filesystem::path(testing::TempDir()).lexically_normal().parent_path();
  // A package manager's name for sleep: comm is the basename of the executed path.
  const std::string apt_get = absl::StrCat(tmp, "/apt-get");
  std::filesystem::remove(apt_get);
  std::filesystem::create_symlink("/bin/sleep", apt_get);

  absl::StatusOr<std::unique_ptr<Collector>> collector =
      Collector::Start({.snapshot = true, .file_mounts = {tmp}});
  ASSERT_THAT(collector, IsOk());

  absl::StatusOr<std::unique_ptr<const RuleSet>> rules =
      RuleSet::Load({"runtime/rules/bulwark_rules.yaml"});
  ASSERT_THAT(rules, IsOk());
  EngineOptions engine_options;
  engine_options.matching = EngineOptions::Matching::kAll;
  Engine engine(**rules, engine_options);

  // On the host: a plain process.
  const pid_t host = Spawn({"/bin/sleep", "3"});
  // In a container: new pid/mount/uts/ipc namespaces, moved into the docker scope before exec.
  const std::string script =
      absl::StrCat("echo 0 > ", scope, "/cgroup.procs && exec ", apt_get, " 2");
  const pid_t contained = Spawn({"/usr/bin/unshare", "--pid", "--fork", "--mount", "--uts", "--ipc",
                                 "/bin/sh", "-c", script});
  // A file written on the watched mount, by another process (the collector ignores its own).
  const pid_t writer = Spawn({"/bin/sh", "-c", absl::StrCat("echo data > ", tmp, "/written.txt")});

  std::vector<v1::Event> execs;
  std::vector<v1::Alert> alerts;
  size_t snapshot_events = 0;
  bool saw_file_open = false;
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (absl::Now() < deadline) {
    ASSERT_THAT((*collector)
                    ->Poll(absl::Milliseconds(100),
                           [&](v1::Event&& event) {
                             if (event.type() == v1::EVENT_TYPE_UNSPECIFIED) ++snapshot_events;
                             if (event.type() == v1::EVENT_TYPE_EXECVE) execs.push_back(event);
                             if (event.type() == v1::EVENT_TYPE_OPENAT &&
                                 event.fd().name() == absl::StrCat(tmp, "/written.txt")) {
                               saw_file_open = true;
                             }
                             for (v1::Alert& alert : engine.Process(event))
                               alerts.push_back(std::move(alert));
                           }),
                IsOk());
    bool found = false;
    for (const v1::Alert& a : alerts) found |= a.rule() == "Package Manager In Container";
    if (found && saw_file_open) break;
  }
  int status = 0;
  waitpid(host, &status, 0);
  waitpid(contained, &status, 0);
  waitpid(writer, &status, 0);
  rmdir(scope.c_str());

  EXPECT_GT(snapshot_events, 1u);  // At least this test and its parents.
  std::cout << "lost notifications: " << (*collector)->lost_notifications() << "\n";
  EXPECT_TRUE(saw_file_open);
  const v1::Event* host_exec = nullptr;
  const v1::Event* container_exec = nullptr;
  for (const v1::Event& e : execs) {
    if (e.pid() == host) host_exec = &e;
    if (e.process().name() == "apt-get") container_exec = &e;
  }
  ASSERT_NE(host_exec, nullptr);
  EXPECT_EQ(host_exec->process().name(), "sleep");
  EXPECT_EQ(host_exec->process().exe(), "/bin/sleep");
  EXPECT_THAT(host_exec->process().args(), ::testing::ElementsAre("3"));
  EXPECT_EQ(host_exec->process().ppid(), getpid());
  ASSERT_NE(container_exec, nullptr);
  EXPECT_EQ(container_exec->process().vpid(), 1);  // pid 1 of the new pid namespace
  EXPECT_NE(container_exec->pid(), 1);
  bool container_id_seen = false;
  for (const std::string& line : container_exec->process().cgroups()) {
    container_id_seen |= line.find(kContainerId) != std::string::npos;
  }
  EXPECT_TRUE(container_id_seen);
  const v1::Alert* package_manager = nullptr;
  for (const v1::Alert& a : alerts) {
    if (a.rule() == "Package Manager In Container") package_manager = &a;
  }
  ASSERT_NE(package_manager, nullptr);
  EXPECT_EQ(package_manager->event().process().container_id(), std::string(kContainerId, 12));
  EXPECT_EQ(package_manager->event().pid(), container_exec->pid());
}

}  // namespace
}  // namespace bulwark::runtime
