// Engine throughput and latency with the three upstream Falco rule files and Bulwark's own rules
// loaded, against the same
// event stream with no rules (what the rules themselves cost). The event mix is generated:
// container and host processes doing execve, openat, connect, clone/exit, read/close.
//   BULWARK_SHARED_DIR=$PWD/../shared bazel run -c opt //runtime:engine_benchmark
#include <fcntl.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "bulwark/runtime/engine.h"
#include "bulwark/runtime/rule_set.h"

namespace bulwark::runtime {
namespace {

constexpr int kProcesses = 400;
constexpr size_t kEvents = 200'000;

std::vector<v1::Event> GenerateEvents() {
  std::mt19937_64 random(42);
  std::vector<v1::Event> events;
  const char* container_cgroup =
      "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1.slice/"
      "cri-containerd-4f0c5dd16e5bb3f2e0c1d3ddd8c0b6f5a43bcb7b0d0d5f8b8e1a2c3d4e5f6a7b.scope";
  const std::vector<std::pair<const char*, const char*>> programs = {
      {"nginx", "/usr/sbin/nginx"},
      {"python3", "/usr/bin/python3"},
      {"java", "/usr/bin/java"},
      {"node", "/usr/local/bin/node"},
      {"sh", "/bin/sh"},
      {"postgres", "/usr/lib/postgresql/bin/postgres"},
      {"systemd", "/lib/systemd/systemd"},
      {"sshd", "/usr/sbin/sshd"}};
  const std::vector<const char*> paths = {"/usr/lib/x86_64-linux-gnu/libc.so.6",
                                          "/etc/ld.so.cache",
                                          "/proc/self/status",
                                          "/var/log/nginx/access.log",
                                          "/tmp/upload.bin",
                                          "/app/static/index.html",
                                          "/etc/hosts",
                                          "/etc/resolv.conf",
                                          "/var/lib/postgresql/data/base/1/1259",
                                          "/usr/share/zoneinfo/UTC",
                                          "/dev/null",
                                          "/etc/passwd"};
  for (int pid = 100; pid < 100 + kProcesses; ++pid) {
    v1::Event e;
    e.set_pid(pid);
    v1::Process* p = e.mutable_process();
    p->set_pid(pid);
    p->set_ppid(pid > 100 ? 100 + (pid - 100) / 4 : 1);
    const auto& program = programs[pid % programs.size()];
    p->set_name(program.first);
    p->set_exe(program.second);
    p->set_exepath(program.second);
    p->add_args("--serve");
    p->set_uid(pid % 3 == 0 ? 0 : 1000);
    p->set_loginuid(-1);
    if (pid % 2 == 0) p->add_cgroups(container_cgroup);
    events.push_back(e);
  }
  int64_t next_pid = 10'000;
  while (events.size() < kEvents) {
    const int64_t pid = 100 + static_cast<int64_t>(random() % kProcesses);
    const int kind = static_cast<int>(random() % 100);
    uint64_t now = 1'700'000'000'000'000'000ull + events.size() * 1000;
    if (kind < 10) {  // clone + execve + exit of a short-lived child
      v1::Event clone;
      clone.set_type(v1::EVENT_TYPE_CLONE);
      clone.set_pid(pid);
      clone.set_result(next_pid);
      clone.set_timestamp_ns(now);
      events.push_back(clone);
      v1::Event exec;
      exec.set_type(v1::EVENT_TYPE_EXECVE);
      exec.set_pid(next_pid);
      exec.set_timestamp_ns(now + 1);
      const auto& program = programs[random() % programs.size()];
      exec.mutable_exec()->set_filename(program.second);
      exec.mutable_exec()->add_args("-c");
      exec.mutable_exec()->add_args("true");
      events.push_back(exec);
      v1::Event exit;
      exit.set_type(v1::EVENT_TYPE_PROCEXIT);
      exit.set_pid(next_pid);
      exit.set_timestamp_ns(now + 2);
      events.push_back(exit);
      ++next_pid;
    } else if (kind < 65) {
      v1::Event open;
      open.set_type(v1::EVENT_TYPE_OPENAT);
      open.set_pid(pid);
      open.set_timestamp_ns(now);
      open.set_result(5);
      const char* path = paths[random() % paths.size()];
      open.mutable_file()->set_path(path);
      open.mutable_file()->set_flags(random() % 4 == 0 ? (O_WRONLY | O_CREAT | O_TRUNC) : O_RDONLY);
      open.mutable_fd()->set_num(5);
      open.mutable_fd()->set_type(v1::FD_TYPE_FILE);
      open.mutable_fd()->set_name(path);
      events.push_back(open);
    } else if (kind < 80) {
      v1::Event connect;
      connect.set_type(v1::EVENT_TYPE_CONNECT);
      connect.set_pid(pid);
      connect.set_timestamp_ns(now);
      v1::FileDescriptor* fd = connect.mutable_fd();
      fd->set_num(6);
      fd->set_type(v1::FD_TYPE_IPV4);
      fd->set_l4proto("tcp");
      fd->set_client_ip("10.0.0.5");
      fd->set_client_port(40000 + random() % 20000);
      fd->set_server_ip(random() % 2 ? "10.0.1.10" : "93.184.216.34");
      fd->set_server_port(random() % 2 ? 5432 : 443);
      fd->set_connected(true);
      events.push_back(connect);
    } else {
      v1::Event io;
      io.set_type(kind < 90 ? v1::EVENT_TYPE_READ : v1::EVENT_TYPE_CLOSE);
      io.set_pid(pid);
      io.set_timestamp_ns(now);
      io.mutable_fd()->set_num(5);
      io.mutable_fd()->set_type(v1::FD_TYPE_FILE);
      io.mutable_fd()->set_name(paths[random() % paths.size()]);
      events.push_back(io);
    }
  }
  return events;
}

const std::vector<v1::Event>& Events() {
  static const auto* const events = new std::vector<v1::Event>(GenerateEvents());
  return *events;
}

std::unique_ptr<const RuleSet> LoadRules(bool upstream) {
  if (!upstream) return *RuleSet::LoadContents({});
  absl::StatusOr<std::string> dir =
      core::testing::SharedDataPath("conformance/runtime/falco-rules");
  if (!dir.ok()) return nullptr;
  auto rules = RuleSet::Load(
      {absl::StrCat(*dir, "/falco_rules.yaml"), absl::StrCat(*dir, "/falco-incubating_rules.yaml"),
       absl::StrCat(*dir, "/falco-sandbox_rules.yaml"), "runtime/rules/bulwark_rules.yaml"});
  return rules.ok() ? *std::move(rules) : nullptr;
}

// Events per second through Engine::Process on one thread. Arg 1: all rules; 0: none.
void BM_Process(benchmark::State& state) {
  std::unique_ptr<const RuleSet> rules = LoadRules(state.range(0) == 1);
  if (rules == nullptr) {
    state.SkipWithError("../shared/conformance/runtime/falco-rules not found");
    return;
  }
  const std::vector<v1::Event>& events = Events();
  size_t alerts = 0;
  auto sink = [&alerts](v1::Alert&&) { ++alerts; };
  for (auto _ : state) {
    Engine engine(*rules);
    for (const v1::Event& event : events) engine.Process(event, sink);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * events.size()));
  state.counters["rules"] = static_cast<double>(rules->enabled_rule_count());
  state.counters["alerts_per_pass"] = static_cast<double>(alerts) / state.iterations();
}
BENCHMARK(BM_Process)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// Per-event latency distribution (steady_clock around each call): p50, p99, p99.9 in ns.
void BM_Latency(benchmark::State& state) {
  std::unique_ptr<const RuleSet> rules = LoadRules(state.range(0) == 1);
  if (rules == nullptr) {
    state.SkipWithError("../shared/conformance/runtime/falco-rules not found");
    return;
  }
  const std::vector<v1::Event>& events = Events();
  std::vector<int64_t> nanos;
  nanos.reserve(events.size());
  auto sink = [](v1::Alert&&) {};
  for (auto _ : state) {
    Engine engine(*rules);
    nanos.clear();
    for (const v1::Event& event : events) {
      auto start = std::chrono::steady_clock::now();
      engine.Process(event, sink);
      nanos.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count());
    }
  }
  std::sort(nanos.begin(), nanos.end());
  auto at = [&nanos](double q) {
    return static_cast<double>(nanos[static_cast<size_t>(q * (nanos.size() - 1))]);
  };
  state.counters["p50_ns"] = at(0.50);
  state.counters["p99_ns"] = at(0.99);
  state.counters["p999_ns"] = at(0.999);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * events.size()));
}
BENCHMARK(BM_Latency)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace bulwark::runtime
