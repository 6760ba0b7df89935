// The fanotify guard on a tmpfs mounted by the test (in a private mount namespace): opens and
// execs of files there by child processes are refused with EPERM when a rule with a deny
// response or a deny path prefix matches, allowed otherwise, only audited when the guard is off,
// and allowed when no decision comes in time. Needs root; skipped otherwise.
#include "bulwark/runtime/fanotify_guard.h"

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/fanotify.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::runtime {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kRules[] = R"(
- rule: Secret read
  desc: t
  condition: evt.type = openat and fd.name endswith /secret.txt
  output: "%proc.name opened %fd.name"
  priority: WARNING
- rule: Miner run
  desc: t
  condition: evt.type = execve and proc.name = miner
  output: "%proc.exe"
  priority: CRITICAL
- rule: Any open
  desc: an alerting rule without a deny response must not hide the deny rule after it
  condition: evt.type = openat and fd.name startswith /
  output: "%fd.name"
  priority: DEBUG
)";

// Runs `argv` in a child; its exit status, or 200 + errno when execv itself failed.
int RunChild(const std::vector<std::string>& argv) {
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(200 + errno);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Starts a guard on a new thread whose system call `nr` fails with EINVAL when its argument
// `arg` has one of `bits` (a seccomp filter on that thread only): a kernel without the feature.
absl::Status StartWithoutKernelFeature(long nr, int arg, uint32_t bits,
                                       const FanotifyGuardOptions& options) {
  absl::Status status;
  std::thread([&] {
    sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, static_cast<uint32_t>(nr), 0, 3),
        // The low 32 bits of the argument (little-endian layout of the 64-bit slot).
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                 static_cast<uint32_t>(offsetof(seccomp_data, args) + 8 * arg)),
        BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, bits, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EINVAL),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    sock_fprog program{static_cast<unsigned short>(std::size(filter)), filter};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) != 0) {
      status = absl::InternalError(absl::StrCat("seccomp: ", std::strerror(errno)));
      return;
    }
    status = FanotifyGuard::Start([](const v1::Event&) { return std::string(); }, options).status();
  }).join();
  return status;
}

constexpr char kContainerId[] = "feedc0de5ca1ab1efeedc0de5ca1ab1efeedc0de5ca1ab1efeedc0de5ca1ab1e";

// A cgroup named like a docker container's systemd scope, created in the first writable
// hierarchy; "" when none is writable.
std::string DockerScope() {
  for (const char* root : {"/sys/fs/cgroup/pids", "/sys/fs/cgroup/unified", "/sys/fs/cgroup"}) {
    if (access(absl::StrCat(root, "/cgroup.procs").c_str(), W_OK) != 0) continue;
    const std::string scope = absl::StrCat(root, "/system.slice/docker-", kContainerId, ".scope");
    std::error_code error;
    std::filesystem::create_directories(scope, error);
    return error ? "" : scope;
  }
  return "";
}

class FanotifyGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "fanotify permission events and mount need root";
    // A private mount namespace keeps the tmpfs away from the host (each test unshares again,
    // which is harmless; no guard thread runs between tests).
    if (unshare(CLONE_NEWNS) != 0 || mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr)) {
      GTEST_SKIP() << "cannot make a private mount namespace: " << std::strerror(errno);
    }
    dir_ = std::filesystem::path(::testing::TempDir()) / "guarded";
    std::filesystem::create_directories(dir_);
    ASSERT_EQ(mount("tmpfs", dir_.c_str(), "tmpfs", 0, "size=8m"), 0) << std::strerror(errno);
    std::ofstream(dir_ / "secret.txt") << "s3cret\n";
    std::ofstream(dir_ / "public.txt") << "hello\n";
    std::filesystem::copy_file("/bin/true", dir_ / "miner");
    std::filesystem::permissions(dir_ / "miner", std::filesystem::perms::owner_all);
    auto rules = RuleSet::LoadContents({{"guard.yaml", kRules}});
    ASSERT_THAT(rules, IsOk());
    rules_ = *std::move(rules);
    policy_.enabled = true;
    for (const char* rule : {"Secret read", "Miner run"}) {
      policy_.rules.push_back(
          {.rule = rule, .only_in_containers = false, .action = ResponseAction::kDeny});
    }
  }
  void TearDown() override {
    if (!dir_.empty()) umount2(dir_.c_str(), MNT_DETACH);
  }

  FanotifyGuardOptions Options(bool enabled) {
    FanotifyGuardOptions options;
    options.mounts = {dir_.string()};
    options.enabled = enabled;
    options.audit = [this](const GuardVerdict& verdict) {
      std::lock_guard<std::mutex> lock(mutex_);
      verdicts_.push_back(verdict);
    };
    return options;
  }
  std::vector<GuardVerdict> Verdicts() {
    std::lock_guard<std::mutex> lock(mutex_);
    return verdicts_;
  }
  std::string Cat(const std::string& name) { return (dir_ / name).string(); }

  std::filesystem::path dir_;
  std::unique_ptr<const RuleSet> rules_;
  ResponsePolicy policy_;
  std::mutex mutex_;
  std::vector<GuardVerdict> verdicts_;
};

TEST_F(FanotifyGuardTest, DeniesOpensAndExecsThatADenyRuleMatches) {
  auto guard = FanotifyGuard::Start(*rules_, policy_, Options(/*enabled=*/true));
  ASSERT_THAT(guard, IsOk());
  EXPECT_EQ(RunChild({"/bin/cat", Cat("secret.txt")}), 1);  // cat: ...: Operation not permitted
  EXPECT_EQ(RunChild({"/bin/cat", Cat("public.txt")}), 0);
  EXPECT_EQ(RunChild({Cat("miner")}), 200 + EPERM);
  EXPECT_EQ(RunChild({"/bin/sh", "-c", absl::StrCat("exec 3<", Cat("public.txt"))}), 0);
  (*guard)->Stop();
  EXPECT_EQ((*guard)->denied(), 2u);
  EXPECT_EQ((*guard)->timed_out(), 0u);
  EXPECT_EQ(RunChild({"/bin/cat", Cat("secret.txt")}), 0);  // Stopped: nothing is held.

  std::vector<std::string> denied, allowed;
  for (const GuardVerdict& v : Verdicts()) {
    EXPECT_FALSE(v.timed_out);
    (v.denied ? denied : allowed)
        .push_back(absl::StrCat(v.rule, " ", v.event.fd().name(), v.event.exec().filename()));
  }
  EXPECT_THAT(denied,
              ::testing::UnorderedElementsAre(absl::StrCat("Secret read ", Cat("secret.txt")),
                                              absl::StrCat("Miner run ", Cat("miner"))));
  EXPECT_THAT(allowed, ::testing::Contains(absl::StrCat(" ", Cat("public.txt"))));
}

TEST_F(FanotifyGuardTest, DeniesOpensAndExecsBelowADenyPath) {
  std::filesystem::create_directory(dir_ / "private");
  std::ofstream(dir_ / "private" / "key.pem") << "key\n";
  std::filesystem::create_directory(dir_ / "privateer");
  std::ofstream(dir_ / "privateer" / "notes.txt") << "notes\n";
  std::filesystem::copy_file("/bin/true", dir_ / "private" / "tool");
  std::filesystem::permissions(dir_ / "private" / "tool", std::filesystem::perms::owner_all);
  // This test's children are host processes: the scope must include them.
  auto paths = GuardPathPolicy::Create({Cat("private") + "/"}, /*only_in_containers=*/false);
  ASSERT_THAT(paths, IsOk());
  auto guard = FanotifyGuard::Start(FanotifyGuard::PathDecision(*std::move(paths)),
                                    Options(/*enabled=*/true));
  ASSERT_THAT(guard, IsOk());
  EXPECT_EQ(RunChild({"/bin/cat", Cat("private/key.pem")}), 1);
  EXPECT_EQ(RunChild({Cat("private/tool")}), 200 + EPERM);
  EXPECT_EQ(RunChild({"/bin/cat", Cat("privateer/notes.txt")}), 0);
  EXPECT_EQ(RunChild({"/bin/cat", Cat("secret.txt")}), 0);  // No rules: only the prefix denies.
  (*guard)->Stop();
  EXPECT_EQ((*guard)->denied(), 2u);
  std::vector<std::string> denied;
  for (const GuardVerdict& v : Verdicts()) {
    if (v.denied) denied.push_back(absl::StrCat(v.rule, ": ", GuardAccessPath(v.event)));
  }
  EXPECT_THAT(denied, ::testing::UnorderedElementsAre(
                          absl::StrCat("deny path ", Cat("private"), ": ", Cat("private/key.pem")),
                          absl::StrCat("deny path ", Cat("private"), ": ", Cat("private/tool"))));
}

TEST_F(FanotifyGuardTest, ContainerScopedDenyPathDeniesContainerProcessesOnly) {
  std::filesystem::create_directory(dir_ / "private");
  std::ofstream(dir_ / "private" / "key.pem") << "key\n";
  auto paths = GuardPathPolicy::Create({Cat("private")});  // Containers only, the default.
  ASSERT_THAT(paths, IsOk());
  auto guard = FanotifyGuard::Start(FanotifyGuard::PathDecision(*std::move(paths)),
                                    Options(/*enabled=*/true));
  ASSERT_THAT(guard, IsOk());
  EXPECT_EQ(RunChild({"/bin/cat", Cat("private/key.pem")}), 0);  // This test is on the host.
  const std::string scope = DockerScope();
  if (scope.empty()) {
    (*guard)->Stop();
    GTEST_SKIP() << "no writable cgroup hierarchy to make a container process";
  }
  // A child that joins a cgroup named like a docker container's, then opens.
  EXPECT_EQ(RunChild({"/bin/sh", "-c",
                      absl::StrCat("echo 0 > ", scope, "/cgroup.procs && exec /bin/cat ",
                                   Cat("private/key.pem"))}),
            1);
  (*guard)->Stop();
  rmdir(scope.c_str());
  EXPECT_EQ((*guard)->denied(), 1u);
  std::vector<std::string> containers;
  for (const GuardVerdict& v : Verdicts()) {
    if (GuardAccessPath(v.event) == Cat("private/key.pem")) {
      containers.push_back(
          absl::StrCat(v.event.process().container_id(), v.denied ? " denied" : ""));
    }
  }
  EXPECT_THAT(containers, ::testing::UnorderedElementsAre(
                              "host", absl::StrCat(std::string(kContainerId, 12), " denied")));
}

TEST_F(FanotifyGuardTest, OffByDefaultOnlyAudits) {
  EXPECT_FALSE(FanotifyGuardOptions{}.enabled);
  auto guard = FanotifyGuard::Start(*rules_, policy_, Options(/*enabled=*/false));
  ASSERT_THAT(guard, IsOk());
  EXPECT_EQ(RunChild({"/bin/cat", Cat("secret.txt")}), 0);
  EXPECT_EQ(RunChild({Cat("miner")}), 0);
  EXPECT_EQ((*guard)->denied(), 0u);
  guard->reset();
  size_t would_deny = 0;
  for (const GuardVerdict& v : Verdicts()) {
    EXPECT_FALSE(v.denied);
    would_deny += v.deny;
  }
  EXPECT_EQ(would_deny, 2u);
}

TEST_F(FanotifyGuardTest, FailsOpenWhenNoDecisionComesInTime) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  FanotifyGuardOptions options = Options(/*enabled=*/true);
  options.response_timeout = absl::Milliseconds(50);
  // A decision that never comes until the test says so, and would deny.
  auto guard = FanotifyGuard::Start(
      [released](const v1::Event&) {
        released.wait();
        return std::string("Stuck rule");
      },
      options);
  ASSERT_THAT(guard, IsOk());
  EXPECT_EQ(RunChild({"/bin/cat", Cat("secret.txt")}), 0);
  EXPECT_GE((*guard)->timed_out(), 1u);
  EXPECT_EQ((*guard)->denied(), 0u);
  release.set_value();
  guard->reset();
  std::vector<GuardVerdict> verdicts = Verdicts();
  ASSERT_FALSE(verdicts.empty());
  EXPECT_TRUE(verdicts[0].timed_out);
  EXPECT_EQ(verdicts[0].event.fd().name(), Cat("secret.txt"));
}

TEST_F(FanotifyGuardTest, SaysWhenTheKernelHasNoPermissionEvents) {
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
  GTEST_SKIP() << "the seccomp filter reads the low half of arguments on little-endian only";
#endif
  EXPECT_THAT(StartWithoutKernelFeature(SYS_fanotify_init, 0, FAN_CLASS_CONTENT, Options(true)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("no fanotify permission events (FAN_OPEN_PERM needs "
                                 "CONFIG_FANOTIFY_ACCESS_PERMISSIONS)")));
  EXPECT_THAT(StartWithoutKernelFeature(SYS_fanotify_mark, 2, FAN_OPEN_EXEC_PERM, Options(true)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("no FAN_OPEN_EXEC_PERM (Linux 5.0+); guard opens only")));
  // Opens alone need no exec permission events.
  FanotifyGuardOptions opens_only = Options(true);
  opens_only.execs = false;
  EXPECT_THAT(StartWithoutKernelFeature(SYS_fanotify_mark, 2, FAN_OPEN_EXEC_PERM, opens_only),
              IsOk());
}

v1::Event OpenBy(const std::string& path, const std::string& container_id) {
  v1::Event event;
  event.set_type(v1::EVENT_TYPE_OPENAT);
  event.mutable_process()->set_container_id(container_id);
  event.mutable_fd()->set_name(path);
  return event;
}

TEST(PathDecisionTest, PathsFirstThenTheOtherDecision) {
  auto paths = GuardPathPolicy::Create({"/srv/private"});
  ASSERT_THAT(paths, IsOk());
  int asked = 0;
  FanotifyGuard::Decide decide =
      FanotifyGuard::PathDecision(*paths, [&asked](const v1::Event& event) {
        ++asked;
        return event.fd().name() == "/srv/secret.txt" ? std::string("Secret read") : "";
      });
  EXPECT_EQ(decide(OpenBy("/srv/private/key.pem", "4f0c5dd16e5b")), "deny path /srv/private");
  EXPECT_EQ(asked, 0);  // Denied by the prefix without asking the rules.
  EXPECT_EQ(decide(OpenBy("/srv/privateer/key.pem", "4f0c5dd16e5b")), "");
  EXPECT_EQ(decide(OpenBy("/srv/secret.txt", "4f0c5dd16e5b")), "Secret read");
  EXPECT_EQ(decide(OpenBy("/srv/private/key.pem", "host")), "");  // Host: the rules decide.
  EXPECT_EQ(asked, 3);
  FanotifyGuard::Decide labelled = FanotifyGuard::PathDecision(*paths, nullptr, "--deny ");
  EXPECT_EQ(labelled(OpenBy("/srv/private", "4f0c5dd16e5b")), "--deny /srv/private");
  EXPECT_EQ(labelled(OpenBy("/srv/secret.txt", "4f0c5dd16e5b")), "");
}

TEST(FanotifyGuardOptionsTest, NeedsMountsAndRoot) {
  auto decide = [](const v1::Event&) { return std::string(); };
  if (geteuid() != 0) {
    EXPECT_THAT(FanotifyGuard::Start(decide, {.mounts = {"/"}}),
                StatusIs(absl::StatusCode::kPermissionDenied));
    return;
  }
  EXPECT_THAT(FanotifyGuard::Start(decide, {}), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FanotifyGuard::Start(decide, {.mounts = {"/"}, .opens = false, .execs = false}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FanotifyGuard::Start(decide, {.mounts = {"/nonexistent/mount"}}),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace bulwark::runtime
