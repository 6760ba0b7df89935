// The cost of the file-descriptor table inside the engine: the same event stream through an
// Engine with all upstream rules plus Bulwark's, with the table on (default) and off
// (StateOptions.fds.max_fds = 0). The stream is what a syscall source sends: open, then reads,
// writes and close naming only the descriptor number; socket, connect, sendto, close; clone,
// execve and exit; in containers and on the host.
//   bazel run -c opt //runtime:fd_table_benchmark -- --benchmark_filter=BM_Engine
#include <fcntl.h>
#include <sys/socket.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "bulwark/runtime/engine.h"
#include "bulwark/runtime/rule_set.h"

namespace bulwark::runtime {
namespace {

v1::Event Base(v1::EventType type, int64_t pid, int64_t result) {
  v1::Event event;
  event.set_type(type);
  event.set_pid(pid);
  event.set_tid(pid);
  event.set_result(result);
  return event;
}

std::vector<v1::Event> Stream() {
  constexpr const char* kPaths[] = {"/etc/hosts",       "/usr/lib/x86_64-linux-gnu/libc.so.6",
                                    "/var/log/app.log", "/etc/shadow",
                                    "/tmp/cache.bin",   "/proc/self/status"};
  std::vector<v1::Event> events;
  srandom(7);
  for (int64_t pid = 1000; pid < 1200; ++pid) {
    v1::Event exec = Base(v1::EVENT_TYPE_EXECVE, pid, 0);
    v1::Process* p = exec.mutable_process();
    p->set_pid(pid);
    p->set_ppid(1);
    p->set_name(pid % 3 == 0 ? "nginx" : "python3");
    p->set_exepath(pid % 3 == 0 ? "/usr/sbin/nginx" : "/usr/bin/python3");
    if (pid % 2 == 0) {
      p->add_cgroups(
          absl::StrCat("0::/system.slice/docker-", std::string(56, 'a'), pid, "abcdef.scope"));
    }
    events.push_back(exec);
  }
  for (int i = 0; i < 40'000; ++i) {
    const int64_t pid = 1000 + random() % 200;
    const int64_t fd = 3 + random() % 60;
    if (random() % 2 == 0) {
      v1::Event open = Base(v1::EVENT_TYPE_OPENAT, pid, fd);
      open.mutable_file()->set_path(kPaths[random() % 6]);
      open.mutable_file()->set_flags(random() % 4 == 0 ? O_WRONLY | O_CREAT : O_RDONLY);
      events.push_back(open);
      for (v1::EventType io : {v1::EVENT_TYPE_READ, v1::EVENT_TYPE_WRITE, v1::EVENT_TYPE_CLOSE}) {
        v1::Event e = Base(io, pid, io == v1::EVENT_TYPE_CLOSE ? 0 : 128);
        e.mutable_file()->set_fd(fd);
        events.push_back(e);
      }
    } else {
      v1::Event socket = Base(v1::EVENT_TYPE_SOCKET, pid, fd);
      socket.mutable_socket()->set_domain(AF_INET);
      socket.mutable_socket()->set_type(SOCK_STREAM);
      events.push_back(socket);
      v1::Event connect = Base(v1::EVENT_TYPE_CONNECT, pid, 0);
      v1::FileDescriptor* tuple = connect.mutable_fd();
      tuple->set_num(fd);
      tuple->set_client_ip("10.0.0.5");
      tuple->set_client_port(40000 + random() % 20000);
      tuple->set_server_ip(random() % 2 ? "10.0.1.10" : "93.184.216.34");
      tuple->set_server_port(random() % 2 ? 5432 : 443);
      events.push_back(connect);
      for (v1::EventType io : {v1::EVENT_TYPE_SENDTO, v1::EVENT_TYPE_CLOSE}) {
        v1::Event e = Base(io, pid, 0);
        e.mutable_fd()->set_num(fd);
        events.push_back(e);
      }
    }
  }
  return events;
}

// Events per second through Engine::Process. Arg 1: fd table on; 0: off.
void BM_EngineFdTable(benchmark::State& state) {
  absl::StatusOr<std::string> dir =
      core::testing::SharedDataPath("conformance/runtime/falco-rules");
  if (!dir.ok()) {
    state.SkipWithError("../shared/conformance/runtime/falco-rules not found");
    return;
  }
  absl::StatusOr<std::unique_ptr<const RuleSet>> rules = RuleSet::Load(
      {absl::StrCat(*dir, "/falco_rules.yaml"), absl::StrCat(*dir, "/falco-incubating_rules.yaml"),
       absl::StrCat(*dir, "/falco-sandbox_rules.yaml"), "runtime/rules/bulwark_rules.yaml"});
  if (!rules.ok()) {
    state.SkipWithError(std::string(rules.status().message()).c_str());
    return;
  }
  static const auto* const events = new std::vector<v1::Event>(Stream());
  EngineOptions options;
  if (state.range(0) == 0) options.state.fds.max_fds = 0;
  size_t alerts = 0;
  auto sink = [&alerts](v1::Alert&&) { ++alerts; };
  for (auto _ : state) {
    Engine engine(**rules, options);
    for (const v1::Event& event : *events) engine.Process(event, sink);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * events->size()));
  state.counters["alerts_per_pass"] = static_cast<double>(alerts) / state.iterations();
}
BENCHMARK(BM_EngineFdTable)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bulwark::runtime
