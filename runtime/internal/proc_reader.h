// Reads what /proc says about a process into a v1::Process: comm, exe, argv, cwd, parent,
// real/effective ids, capabilities, login uid, session, tty, start time, namespace pid, namespace
// ids (/proc/<pid>/ns/*) and cgroup lines. Thread safety: pure functions (they read /proc).
#ifndef BULWARK_RUNTIME_INTERNAL_PROC_READER_H_
#define BULWARK_RUNTIME_INTERNAL_PROC_READER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bulwark/runtime/event.pb.h"

namespace bulwark::runtime::internal {

// The process `pid` as /proc/<proc_root>/<pid> shows it. NotFound when it is gone (short-lived
// processes often are); fields whose files vanish mid-read are left empty.
absl::StatusOr<v1::Process> ReadProcProcess(int64_t pid, const std::string& proc_root = "/proc");

// Start time (epoch nanoseconds, clock-tick resolution) of process `pid` from
// /proc/<pid>/stat, or nullopt when it is gone.
std::optional<uint64_t> ReadProcStartTime(int64_t pid, const std::string& proc_root = "/proc");

// Thread-group ids of every process in `proc_root`.
std::vector<int64_t> ListProcPids(const std::string& proc_root = "/proc");

// Epoch nanoseconds of a CLOCK_MONOTONIC reading (the kernel's proc connector timestamps).
uint64_t MonotonicToEpochNanos(uint64_t monotonic_ns);

}  // namespace bulwark::runtime::internal

#endif  // BULWARK_RUNTIME_INTERNAL_PROC_READER_H_
