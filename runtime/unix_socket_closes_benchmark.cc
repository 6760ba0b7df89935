// What Unix socket closes cost the live collector per connection_interval, next to the dump it
// already makes: the unix_diag dump of the host's sockets (with 2 * state.range(0) extra Unix
// sockets this process opens as socketpairs), the socket table's diff of two dumps (what finding
// closes adds), one /proc/<pid>/fd scan of every process (what the owner lookup costs), and a
// readlink of each extra socket's /proc/self/fd link (the per-holder check that per-descriptor
// closes would need every interval). Needs no root (the dump lists the caller's namespace).
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "bulwark/runtime/internal/proc_fds.h"
#include "bulwark/runtime/internal/sock_diag.h"
#include "bulwark/runtime/internal/socket_table.h"

namespace bulwark::runtime::internal {
namespace {

// `pairs` Unix socketpairs, closed on destruction.
class ExtraSockets {
 public:
  explicit ExtraSockets(int64_t pairs) {
    for (int64_t i = 0; i < pairs; ++i) {
      int pair[2];
      if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) break;
      fds_.push_back(pair[0]);
      fds_.push_back(pair[1]);
    }
  }
  ~ExtraSockets() {
    for (int fd : fds_) close(fd);
  }
  const std::vector<int>& fds() const { return fds_; }

 private:
  std::vector<int> fds_;
};

constexpr size_t kMaxSockets = 10'000'000;

void BM_Dump(benchmark::State& state) {
  ExtraSockets extra(state.range(0));
  std::unique_ptr<SockDiag> diag = *SockDiag::Open();
  size_t sockets = 0;
  for (auto _ : state) sockets = diag->Dump(kMaxSockets)->size();
  state.counters["sockets"] = static_cast<double>(sockets);
}

// Two dumps that differ in the extra sockets (the second lacks every other pair): each Update
// diffs against the other, so half the extra sockets are closed and half new each time.
void BM_TableDiff(benchmark::State& state) {
  ExtraSockets extra(state.range(0));
  std::unique_ptr<SockDiag> diag = *SockDiag::Open();
  const std::vector<SocketInfo> full = *diag->Dump(kMaxSockets);
  std::vector<SocketInfo> fewer;
  for (size_t i = 0; i < full.size(); ++i) {
    if (full[i].family != AF_UNIX || i % 4 > 1) fewer.push_back(full[i]);
  }
  SocketTable table;
  size_t closed = 0;
  for (auto _ : state) {
    table.Update(full);
    table.Update(fewer);
    closed = table.closed_unix().size();
  }
  state.counters["sockets"] = static_cast<double>(full.size());
  state.counters["closed_per_diff"] = static_cast<double>(closed);
}

void BM_ScanSocketOwners(benchmark::State& state) {
  ExtraSockets extra(state.range(0));
  size_t owners = 0;
  for (auto _ : state) owners = ScanSocketOwners(kMaxSockets).size();
  state.counters["sockets_owned"] = static_cast<double>(owners);
}

void BM_ReadlinkEachHolder(benchmark::State& state) {
  ExtraSockets extra(state.range(0));
  std::vector<std::string> links;
  for (int fd : extra.fds()) links.push_back(absl::StrCat("/proc/self/fd/", fd));
  char target[64];
  for (auto _ : state) {
    for (const std::string& link : links) {
      benchmark::DoNotOptimize(readlink(link.c_str(), target, sizeof(target)));
    }
  }
  state.counters["links"] = static_cast<double>(links.size());
}

BENCHMARK(BM_Dump)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TableDiff)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ScanSocketOwners)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ReadlinkEachHolder)->Arg(1000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace bulwark::runtime::internal
