// Linux constants by name, both ways: open flags, file modes, clone flags, capabilities, socket
// families and types, ptrace requests, errno and signal names. Falco's renderings (evt.arg.flags
// "O_WRONLY|O_TRUNC", thread.cap_effective "CAP_CHOWN CAP_KILL") and the importers' parsing of
// Tracee/Tetragon text ("O_WRONLY|O_CREAT", "CAP_SYS_ADMIN", "AF_INET", "SIGKILL") share these
// tables. Thread safety: pure functions over constant tables.
#ifndef BULWARK_RUNTIME_INTERNAL_LINUX_NAMES_H_
#define BULWARK_RUNTIME_INTERNAL_LINUX_NAMES_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace bulwark::runtime::internal {

// "O_RDONLY", "O_WRONLY|O_CREAT|O_TRUNC", ... as Falco prints open flags.
std::string RenderOpenFlags(uint32_t flags);
// "S_IRUSR|S_ISUID", "0" when no bit is set.
std::string RenderModeFlags(uint32_t mode);
// The CLONE_NEW* bits of `flags` ("CLONE_NEWNS|CLONE_NEWPID"), "0" when none.
std::string RenderNamespaceFlags(uint64_t flags);
// "PTRACE_ATTACH", or the number.
std::string RenderPtraceRequest(int64_t request);
// "AF_PACKET", or the number.
std::string RenderSocketFamily(int64_t family);
// Names of the set capability bits joined by ' ' ("CAP_CHOWN CAP_KILL").
std::string RenderCapabilities(uint64_t caps);
// Falco's evt.res: "SUCCESS" for results >= 0, the errno name ("ENOENT"), or "" when unnamed.
absl::string_view StaticResultName(int64_t result);
// StaticResultName, or the number when it has no name.
std::string RenderResult(int64_t result);

// Parses '|'-separated flag names, or a decimal/0x number. nullopt when a name is unknown.
std::optional<uint32_t> ParseOpenFlags(absl::string_view text);   // O_* (O_LARGEFILE too)
std::optional<uint32_t> ParseModeFlags(absl::string_view text);   // S_I* or octal digits
std::optional<uint64_t> ParseCloneFlags(absl::string_view text);  // CLONE_*
// Capability number of "CAP_SYS_ADMIN" (also without the "CAP_" prefix, as some Tetragon
// versions print DAC_OVERRIDE).
std::optional<int> CapabilityNumber(absl::string_view name);
std::optional<int> SocketFamilyNumber(absl::string_view name);  // "AF_INET" -> 2
std::optional<int> SocketTypeNumber(absl::string_view name);    // "SOCK_STREAM" -> 1
std::optional<int> SignalNumber(absl::string_view name);        // "SIGKILL" -> 9
std::optional<int> ErrnoNumber(absl::string_view name);         // "ENOENT" -> 2

}  // namespace bulwark::runtime::internal

#endif  // BULWARK_RUNTIME_INTERNAL_LINUX_NAMES_H_
