#include "bulwark/runtime/state.h"

#include "bulwark/runtime/cgroup.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::runtime {
namespace {

constexpr char kId[] = "4f0c5dd16e5bb3f2e0c1d3ddd8c0b6f5a43bcb7b0d0d5f8b8e1a2c3d4e5f6a7b";

TEST(CgroupTest, RuntimesAndLayouts) {
  struct Case {
    std::string cgroup;
    const char* runtime;
  };
  const std::string id = kId;
  for (const Case& c : {
           Case{"12:pids:/docker/" + id, "docker"},
           Case{"0::/system.slice/docker-" + id + ".scope", "docker"},
           Case{"0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1a2b.slice/"
                "cri-containerd-" +
                    id + ".scope",
                "containerd"},
           Case{"11:memory:/kubepods/besteffort/pod1a2b3c4d/" + id, "containerd"},
           Case{"0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1a2b.slice/"
                "crio-" +
                    id + ".scope",
                "cri-o"},
           Case{"0::/machine.slice/libpod-" + id + ".scope/container", "podman"},
           Case{"0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" + id +
                    ".scope",
                "podman"},
           Case{"/default/" + id, "containerd"},
       }) {
    std::optional<CgroupContainer> container = ContainerFromCgroup(c.cgroup);
    ASSERT_TRUE(container.has_value()) << c.cgroup;
    EXPECT_EQ(container->id, "4f0c5dd16e5b") << c.cgroup;
    EXPECT_EQ(container->full_id, id);
    EXPECT_EQ(container->runtime, c.runtime) << c.cgroup;
  }
  for (const std::string& host :
       std::vector<std::string>{"0::/init.scope", "0::/system.slice/sshd.service",
                                "0::/machine.slice/libpod-conmon-" + id + ".scope",
                                "0::/system.slice/docker-" + id.substr(1) + ".scope", ""}) {
    EXPECT_FALSE(ContainerFromCgroup(host).has_value()) << host;
  }
}

TEST(RuntimeStateTest, BoundedProcessTable) {
  RuntimeState state(StateOptions{.max_processes = 100});
  for (int pid = 1; pid <= 1000; ++pid) {
    v1::Event e;
    e.set_pid(pid);
    e.mutable_process()->set_name("p");
    state.Apply(e);
    state.FinishEvent();
  }
  EXPECT_EQ(state.process_count(), 100u);
  EXPECT_EQ(state.evicted_processes(), 900u);
  EXPECT_EQ(state.FindProcess(1), nullptr);
  ASSERT_NE(state.FindProcess(1000), nullptr);
  EXPECT_EQ(state.FindProcess(1000)->process.container_id(), "host");
}

TEST(RuntimeStateTest, HundredThousandLiveProcesses) {
  RuntimeState state;
  for (int pid = 1; pid <= 100'000; ++pid) {
    v1::Event e;
    e.set_pid(pid);
    e.mutable_process()->set_ppid(pid - 1);
    e.mutable_process()->set_name("worker");
    state.Apply(e);
  }
  EXPECT_EQ(state.process_count(), 100'000u);
  EXPECT_EQ(state.evicted_processes(), 0u);
}

TEST(RuntimeStateTest, CloneExecSetuidAndMetadataProvider) {
  class Provider : public ContainerMetadataProvider {
   public:
    std::optional<v1::Container> Lookup(absl::string_view id) override {
      v1::Container c;
      c.set_name("web");
      c.set_image_repository("docker.io/library/nginx");
      lookups.push_back(std::string(id));
      return c;
    }
    std::vector<std::string> lookups;
  } provider;
  RuntimeState state(StateOptions{.metadata_provider = &provider});
  v1::Event parent;
  parent.set_pid(10);
  parent.mutable_process()->set_name("sh");
  parent.mutable_process()->add_cgroups(std::string("0::/docker/") + kId);
  parent.mutable_process()->set_uid(1000);
  state.Apply(parent);
  v1::Event clone;
  clone.set_type(v1::EVENT_TYPE_CLONE);
  clone.set_pid(10);
  clone.set_result(11);
  state.Apply(clone);
  v1::Event exec;
  exec.set_type(v1::EVENT_TYPE_EXECVE);
  exec.set_pid(11);
  exec.mutable_exec()->set_filename("/usr/bin/id");
  exec.mutable_exec()->add_args("-u");
  state.Apply(exec);
  v1::Event setuid;
  setuid.set_type(v1::EVENT_TYPE_SETUID);
  setuid.set_pid(11);
  setuid.mutable_credentials()->set_uid(0);
  state.Apply(setuid);
  EXPECT_EQ(state.FindProcess(11)->process.uid(), 1000);  // Until the call completes.
  state.FinishEvent();
  const ProcessInfo* child = state.FindProcess(11);
  ASSERT_NE(child, nullptr);
  EXPECT_EQ(child->process.ppid(), 10);
  EXPECT_EQ(child->process.name(), "id");
  EXPECT_EQ(child->cmdline, "id -u");
  EXPECT_EQ(child->process.uid(), 0);
  EXPECT_EQ(child->process.container_id(), "4f0c5dd16e5b");
  EXPECT_THAT(provider.lookups, ::testing::ElementsAre("4f0c5dd16e5b"));
  ASSERT_NE(state.FindContainer("4f0c5dd16e5b"), nullptr);
  EXPECT_EQ(state.FindContainer("4f0c5dd16e5b")->name(), "web");
}

// Entries of exited processes are reused for new ones: nothing of the old process may show.
TEST(RuntimeStateTest, ExitedProcessLeavesNothingToTheNextOne) {
  RuntimeState state;
  auto apply = [&state](const v1::Event& event) {
    state.Apply(event);
    state.FinishEvent();
  };
  v1::Event parent;
  parent.set_pid(10);
  v1::Process* p = parent.mutable_process();
  p->set_name("nginx");
  p->set_cwd("/srv");
  p->set_uid(33);
  p->add_env("SECRET=1");
  p->add_args("--serve");
  p->add_cgroups(std::string("0::/docker/") + kId);
  p->mutable_namespaces()->set_mnt(4026532555);
  apply(parent);
  for (int64_t child = 11; child <= 13; ++child) {
    v1::Event clone;
    clone.set_type(v1::EVENT_TYPE_CLONE);
    clone.set_pid(10);
    clone.set_result(child);
    clone.set_timestamp_ns(child);
    apply(clone);
    v1::Event exit;
    exit.set_type(v1::EVENT_TYPE_PROCEXIT);
    exit.set_pid(child);
    apply(exit);
    EXPECT_EQ(state.FindProcess(child), nullptr);
  }
  // A new process known only by its name, then a clone of it.
  v1::Event bare;
  bare.set_pid(20);
  bare.mutable_process()->set_name("cron");
  apply(bare);
  v1::Event clone;
  clone.set_type(v1::EVENT_TYPE_CLONE);
  clone.set_pid(20);
  clone.set_result(21);
  clone.set_timestamp_ns(99);
  apply(clone);
  for (int64_t pid : {20, 21}) {
    const ProcessInfo* info = state.FindProcess(pid);
    ASSERT_NE(info, nullptr) << pid;
    EXPECT_EQ(info->process.pid(), pid);
    EXPECT_EQ(info->process.name(), "cron");
    EXPECT_EQ(info->name, "cron");
    EXPECT_EQ(info->cmdline, "cron");
    EXPECT_EQ(info->args, "");
    EXPECT_EQ(info->process.container_id(), "host");
    EXPECT_EQ(info->container_id, "host");
    EXPECT_EQ(info->process.cwd(), "");
    EXPECT_EQ(info->process.uid(), 0);
    EXPECT_THAT(info->process.env(), ::testing::IsEmpty());
    EXPECT_THAT(info->process.cgroups(), ::testing::IsEmpty());
    EXPECT_FALSE(info->process.has_namespaces());
  }
  EXPECT_EQ(state.FindProcess(21)->process.ppid(), 20);
  EXPECT_EQ(state.FindProcess(21)->process.start_time_ns(), 99u);
  // The long-lived parent kept its own data.
  const ProcessInfo* nginx = state.FindProcess(10);
  ASSERT_NE(nginx, nullptr);
  EXPECT_EQ(nginx->cmdline, "nginx --serve");
  EXPECT_EQ(nginx->process.container_id(), "4f0c5dd16e5b");
  EXPECT_THAT(nginx->process.env(), ::testing::ElementsAre("SECRET=1"));
}

}  // namespace
}  // namespace bulwark::runtime
