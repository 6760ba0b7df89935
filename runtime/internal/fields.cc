#include "bulwark/runtime/internal/fields.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <utility>

#include "absl/base/attributes.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "bulwark/runtime/event_types.h"
#include "bulwark/runtime/internal/linux_names.h"
#include "bulwark/runtime/namespaces.h"

namespace bulwark::runtime::internal {
namespace {

enum class F {
  // evt.*
  kEvtType,
  kEvtNum,
  kEvtTime,
  kEvtTimeIso8601,
  kEvtRawtime,
  kEvtDir,
  kEvtRes,
  kEvtRawres,
  kEvtFailed,
  kEvtArg,
  kEvtRawarg,
  kEvtArgs,
  kEvtIsOpenRead,
  kEvtIsOpenWrite,
  kEvtIsOpenExec,
  kEvtBuffer,
  kEvtHostname,
  kEvtSource,
  kEvtCategory,
  // proc.* and thread.*
  kProcName,
  kProcExe,
  kProcExepath,
  kProcPname,
  kProcPexe,
  kProcPexepath,
  kProcAname,
  kProcAexe,
  kProcAexepath,
  kProcCmdline,
  kProcPcmdline,
  kProcArgs,
  kProcPid,
  kProcPpid,
  kProcApid,
  kProcVpid,
  kProcSid,
  kProcSname,
  kProcVpgid,
  kProcIsVpgidLeader,
  kProcTty,
  kProcCwd,
  kProcEnv,
  kProcDuration,
  kProcIsExeUpperLayer,
  kProcIsExeFromMemfd,
  kProcIsExeWritable,
  kProcStartTs,
  kProcExeIno,
  kProcExeInoCtime,
  kProcExeInoMtime,
  kProcExeInoCtimeDurationProcStart,
  kThreadTid,
  kThreadVtid,
  kThreadCapEffective,
  kThreadCapPermitted,
  kThreadCapInheritable,
  // user.* and group.*
  kUserUid,
  kUserName,
  kUserLoginuid,
  kUserLoginname,
  kGroupGid,
  kGroupName,
  // fd.*
  kFdNum,
  kFdType,
  kFdTypechar,
  kFdName,
  kFdNameraw,
  kFdDirectory,
  kFdFilename,
  kFdIp,
  kFdCip,
  kFdSip,
  kFdLip,
  kFdRip,
  kFdPort,
  kFdCport,
  kFdSport,
  kFdLport,
  kFdRport,
  kFdL4proto,
  kFdSockfamily,
  kFdNet,
  kFdCnet,
  kFdSnet,
  kFdLnet,
  kFdRnet,
  kFdConnected,
  kFdNameChanged,
  kFdCipName,
  kFdSipName,
  kFdLipName,
  kFdRipName,
  // container.* and k8s.*
  kContainerId,
  kContainerName,
  kContainerImage,
  kContainerImageRepository,
  kContainerImageTag,
  kContainerImageDigest,
  kContainerType,
  kContainerPrivileged,
  kContainerMounts,
  kContainerMountDest,
  kContainerMountSource,
  kContainerStartTs,
  kK8sPodName,
  kK8sNsName,
  kK8sPodUid,
  kK8sPodLabel,
  // Namespaces (Bulwark's; libsinsp has no counterpart).
  kProcNs,
  kProcNsIsHost,
};

enum class Arg { kNone, kOptionalIndex, kRequiredIndex, kRequiredKey, kOptionalKey, kIndexOrKey };

struct Spec {
  absl::string_view name;
  F id;
  FieldType type;
  Arg arg;
};

using T = FieldType;
constexpr Spec kFields[] = {
    {"evt.type", F::kEvtType, T::kString, Arg::kNone},
    {"evt.num", F::kEvtNum, T::kNumber, Arg::kNone},
    {"evt.time", F::kEvtTime, T::kString, Arg::kNone},
    {"evt.time.iso8601", F::kEvtTimeIso8601, T::kString, Arg::kNone},
    {"evt.rawtime", F::kEvtRawtime, T::kNumber, Arg::kNone},
    {"evt.dir", F::kEvtDir, T::kString, Arg::kNone},
    {"evt.res", F::kEvtRes, T::kString, Arg::kNone},
    {"evt.rawres", F::kEvtRawres, T::kNumber, Arg::kNone},
    {"evt.failed", F::kEvtFailed, T::kBool, Arg::kNone},
    {"evt.arg", F::kEvtArg, T::kString, Arg::kIndexOrKey},
    {"evt.rawarg", F::kEvtRawarg, T::kString, Arg::kIndexOrKey},
    {"evt.args", F::kEvtArgs, T::kString, Arg::kNone},
    {"evt.is_open_read", F::kEvtIsOpenRead, T::kBool, Arg::kNone},
    {"evt.is_open_write", F::kEvtIsOpenWrite, T::kBool, Arg::kNone},
    {"evt.is_open_exec", F::kEvtIsOpenExec, T::kBool, Arg::kNone},
    {"evt.buffer", F::kEvtBuffer, T::kString, Arg::kNone},
    {"evt.hostname", F::kEvtHostname, T::kString, Arg::kNone},
    {"evt.source", F::kEvtSource, T::kString, Arg::kNone},
    {"evt.category", F::kEvtCategory, T::kString, Arg::kNone},
    {"proc.name", F::kProcName, T::kString, Arg::kNone},
    {"proc.exe", F::kProcExe, T::kString, Arg::kNone},
    {"proc.exepath", F::kProcExepath, T::kString, Arg::kNone},
    {"proc.pname", F::kProcPname, T::kString, Arg::kNone},
    {"proc.pexe", F::kProcPexe, T::kString, Arg::kNone},
    {"proc.pexepath", F::kProcPexepath, T::kString, Arg::kNone},
    {"proc.aname", F::kProcAname, T::kString, Arg::kOptionalIndex},
    {"proc.aexe", F::kProcAexe, T::kString, Arg::kOptionalIndex},
    {"proc.aexepath", F::kProcAexepath, T::kString, Arg::kOptionalIndex},
    {"proc.cmdline", F::kProcCmdline, T::kString, Arg::kNone},
    {"proc.pcmdline", F::kProcPcmdline, T::kString, Arg::kNone},
    {"proc.args", F::kProcArgs, T::kString, Arg::kNone},
    {"proc.pid", F::kProcPid, T::kNumber, Arg::kNone},
    {"proc.ppid", F::kProcPpid, T::kNumber, Arg::kNone},
    {"proc.apid", F::kProcApid, T::kNumber, Arg::kOptionalIndex},
    {"proc.vpid", F::kProcVpid, T::kNumber, Arg::kNone},
    {"proc.sid", F::kProcSid, T::kNumber, Arg::kNone},
    {"proc.sname", F::kProcSname, T::kString, Arg::kNone},
    {"proc.vpgid", F::kProcVpgid, T::kNumber, Arg::kNone},
    {"proc.is_vpgid_leader", F::kProcIsVpgidLeader, T::kBool, Arg::kNone},
    {"proc.tty", F::kProcTty, T::kNumber, Arg::kNone},
    {"proc.cwd", F::kProcCwd, T::kString, Arg::kNone},
    {"proc.env", F::kProcEnv, T::kString, Arg::kOptionalKey},
    {"proc.duration", F::kProcDuration, T::kNumber, Arg::kNone},
    {"proc.is_exe_upper_layer", F::kProcIsExeUpperLayer, T::kBool, Arg::kNone},
    {"proc.is_exe_from_memfd", F::kProcIsExeFromMemfd, T::kBool, Arg::kNone},
    {"proc.is_exe_writable", F::kProcIsExeWritable, T::kBool, Arg::kNone},
    {"proc.start_ts", F::kProcStartTs, T::kNumber, Arg::kNone},
    {"proc.exe_ino", F::kProcExeIno, T::kNumber, Arg::kNone},
    {"proc.exe_ino.ctime", F::kProcExeInoCtime, T::kNumber, Arg::kNone},
    {"proc.exe_ino.mtime", F::kProcExeInoMtime, T::kNumber, Arg::kNone},
    {"proc.exe_ino.ctime_duration_proc_start", F::kProcExeInoCtimeDurationProcStart, T::kNumber,
     Arg::kNone},
    {"thread.tid", F::kThreadTid, T::kNumber, Arg::kNone},
    {"thread.vtid", F::kThreadVtid, T::kNumber, Arg::kNone},
    {"thread.cap_effective", F::kThreadCapEffective, T::kString, Arg::kNone},
    {"thread.cap_permitted", F::kThreadCapPermitted, T::kString, Arg::kNone},
    {"thread.cap_inheritable", F::kThreadCapInheritable, T::kString, Arg::kNone},
    {"user.uid", F::kUserUid, T::kNumber, Arg::kNone},
    {"user.name", F::kUserName, T::kString, Arg::kNone},
    {"user.loginuid", F::kUserLoginuid, T::kNumber, Arg::kNone},
    {"user.loginname", F::kUserLoginname, T::kString, Arg::kNone},
    {"group.gid", F::kGroupGid, T::kNumber, Arg::kNone},
    {"group.name", F::kGroupName, T::kString, Arg::kNone},
    {"fd.num", F::kFdNum, T::kNumber, Arg::kNone},
    {"fd.type", F::kFdType, T::kString, Arg::kNone},
    {"fd.typechar", F::kFdTypechar, T::kString, Arg::kNone},
    {"fd.name", F::kFdName, T::kString, Arg::kNone},
    {"fd.nameraw", F::kFdNameraw, T::kString, Arg::kNone},
    {"fd.directory", F::kFdDirectory, T::kString, Arg::kNone},
    {"fd.filename", F::kFdFilename, T::kString, Arg::kNone},
    {"fd.ip", F::kFdIp, T::kIpAddr, Arg::kNone},
    {"fd.cip", F::kFdCip, T::kIpAddr, Arg::kNone},
    {"fd.sip", F::kFdSip, T::kIpAddr, Arg::kNone},
    {"fd.lip", F::kFdLip, T::kIpAddr, Arg::kNone},
    {"fd.rip", F::kFdRip, T::kIpAddr, Arg::kNone},
    {"fd.port", F::kFdPort, T::kNumber, Arg::kNone},
    {"fd.cport", F::kFdCport, T::kNumber, Arg::kNone},
    {"fd.sport", F::kFdSport, T::kNumber, Arg::kNone},
    {"fd.lport", F::kFdLport, T::kNumber, Arg::kNone},
    {"fd.rport", F::kFdRport, T::kNumber, Arg::kNone},
    {"fd.l4proto", F::kFdL4proto, T::kString, Arg::kNone},
    {"fd.sockfamily", F::kFdSockfamily, T::kString, Arg::kNone},
    {"fd.net", F::kFdNet, T::kIpNet, Arg::kNone},
    {"fd.cnet", F::kFdCnet, T::kIpNet, Arg::kNone},
    {"fd.snet", F::kFdSnet, T::kIpNet, Arg::kNone},
    {"fd.lnet", F::kFdLnet, T::kIpNet, Arg::kNone},
    {"fd.rnet", F::kFdRnet, T::kIpNet, Arg::kNone},
    {"fd.connected", F::kFdConnected, T::kBool, Arg::kNone},
    {"fd.name_changed", F::kFdNameChanged, T::kBool, Arg::kNone},
    {"fd.cip.name", F::kFdCipName, T::kString, Arg::kNone},
    {"fd.sip.name", F::kFdSipName, T::kString, Arg::kNone},
    {"fd.lip.name", F::kFdLipName, T::kString, Arg::kNone},
    {"fd.rip.name", F::kFdRipName, T::kString, Arg::kNone},
    {"container.id", F::kContainerId, T::kString, Arg::kNone},
    {"container.name", F::kContainerName, T::kString, Arg::kNone},
    {"container.image", F::kContainerImage, T::kString, Arg::kNone},
    {"container.image.repository", F::kContainerImageRepository, T::kString, Arg::kNone},
    {"container.image.tag", F::kContainerImageTag, T::kString, Arg::kNone},
    {"container.image.digest", F::kContainerImageDigest, T::kString, Arg::kNone},
    {"container.type", F::kContainerType, T::kString, Arg::kNone},
    {"container.privileged", F::kContainerPrivileged, T::kBool, Arg::kNone},
    {"container.mounts", F::kContainerMounts, T::kString, Arg::kNone},
    {"container.mount.dest", F::kContainerMountDest, T::kString, Arg::kRequiredKey},
    {"container.mount.source", F::kContainerMountSource, T::kString, Arg::kRequiredKey},
    {"container.start_ts", F::kContainerStartTs, T::kNumber, Arg::kNone},
    {"k8s.pod.name", F::kK8sPodName, T::kString, Arg::kNone},
    {"k8s.ns.name", F::kK8sNsName, T::kString, Arg::kNone},
    {"k8s.pod.uid", F::kK8sPodUid, T::kString, Arg::kNone},
    {"k8s.pod.label", F::kK8sPodLabel, T::kString, Arg::kRequiredKey},
    {"proc.ns", F::kProcNs, T::kNumber, Arg::kRequiredKey},
    {"proc.ns_is_host", F::kProcNsIsHost, T::kBool, Arg::kRequiredKey},
};

const absl::flat_hash_map<absl::string_view, int>& FieldIndex() {
  static const auto* const index = [] {
    auto* map = new absl::flat_hash_map<absl::string_view, int>;
    for (size_t i = 0; i < std::size(kFields); ++i) map->emplace(kFields[i].name, i);
    return map;
  }();
  return *index;
}

// ---- Event arguments (evt.arg.<name>, evt.arg[N]) ---------------------------------------------

enum class A {
  kRes,
  kFd,
  kPath,
  kTarget,
  kDirfd,
  kFlags,
  kMode,
  kUid,
  kGid,
  kEuid,
  kSuid,
  kEgid,
  kSgid,
  kRequest,
  kArgs,
  kData,
  kTuple,
  kBacklog,
  kDomain,
  kSockType,
  kProtocol,
  kFsType,
  kNsType,
  kCmd,
  kPid,
  kName,
  kParams,
  kStatus,
  kSig,
  kCapEffective,
  kCapPermitted,
  kCapInheritable,
  kOption,
  kCpu,
  kPerfType,
  kChildPid,
  kAddr,
};

struct EventArg {
  absl::string_view name;
  A source;
};

const std::vector<EventArg>& ArgsOf(v1::EventType type) {
  static const auto* const table = [] {
    auto* t = new absl::flat_hash_map<int, std::vector<EventArg>>;
    auto set = [t](std::initializer_list<v1::EventType> types, std::vector<EventArg> args) {
      for (v1::EventType type : types) (*t)[type] = args;
    };
    using E = A;
    set({v1::EVENT_TYPE_OPEN},
        {{"fd", E::kRes}, {"name", E::kPath}, {"flags", E::kFlags}, {"mode", E::kMode}});
    set({v1::EVENT_TYPE_OPENAT, v1::EVENT_TYPE_OPENAT2}, {{"fd", E::kRes},
                                                          {"dirfd", E::kDirfd},
                                                          {"name", E::kPath},
                                                          {"flags", E::kFlags},
                                                          {"mode", E::kMode}});
    set({v1::EVENT_TYPE_CREAT}, {{"fd", E::kRes}, {"name", E::kPath}, {"mode", E::kMode}});
    set({v1::EVENT_TYPE_EXECVE, v1::EVENT_TYPE_EXECVEAT},
        {{"res", E::kRes}, {"exe", E::kPath}, {"args", E::kArgs}, {"filename", E::kPath}});
    set({v1::EVENT_TYPE_CLONE, v1::EVENT_TYPE_CLONE3, v1::EVENT_TYPE_FORK, v1::EVENT_TYPE_VFORK},
        {{"res", E::kRes}, {"pid", E::kChildPid}, {"flags", E::kFlags}});
    set({v1::EVENT_TYPE_PROCEXIT}, {{"status", E::kStatus}, {"sig", E::kSig}});
    set({v1::EVENT_TYPE_RENAME, v1::EVENT_TYPE_LINK},
        {{"res", E::kRes}, {"oldpath", E::kPath}, {"newpath", E::kTarget}});
    set({v1::EVENT_TYPE_RENAMEAT, v1::EVENT_TYPE_RENAMEAT2, v1::EVENT_TYPE_LINKAT},
        {{"res", E::kRes},
         {"olddirfd", E::kDirfd},
         {"oldpath", E::kPath},
         {"newdirfd", E::kDirfd},
         {"newpath", E::kTarget},
         {"flags", E::kFlags}});
    set({v1::EVENT_TYPE_UNLINK, v1::EVENT_TYPE_RMDIR, v1::EVENT_TYPE_TRUNCATE},
        {{"res", E::kRes}, {"path", E::kPath}});
    set({v1::EVENT_TYPE_UNLINKAT},
        {{"res", E::kRes}, {"dirfd", E::kDirfd}, {"name", E::kPath}, {"flags", E::kFlags}});
    set({v1::EVENT_TYPE_CHMOD}, {{"res", E::kRes}, {"filename", E::kPath}, {"mode", E::kMode}});
    set({v1::EVENT_TYPE_FCHMOD}, {{"res", E::kRes}, {"fd", E::kFd}, {"mode", E::kMode}});
    set({v1::EVENT_TYPE_FCHMODAT},
        {{"res", E::kRes}, {"dirfd", E::kDirfd}, {"filename", E::kPath}, {"mode", E::kMode}});
    set({v1::EVENT_TYPE_CHOWN, v1::EVENT_TYPE_LCHOWN},
        {{"res", E::kRes}, {"path", E::kPath}, {"uid", E::kUid}, {"gid", E::kGid}});
    set({v1::EVENT_TYPE_FCHOWN},
        {{"res", E::kRes}, {"fd", E::kFd}, {"uid", E::kUid}, {"gid", E::kGid}});
    set({v1::EVENT_TYPE_FCHOWNAT}, {{"res", E::kRes},
                                    {"dirfd", E::kDirfd},
                                    {"pathname", E::kPath},
                                    {"uid", E::kUid},
                                    {"gid", E::kGid},
                                    {"flags", E::kFlags}});
    set({v1::EVENT_TYPE_SYMLINK},
        {{"res", E::kRes}, {"target", E::kPath}, {"linkpath", E::kTarget}});
    set({v1::EVENT_TYPE_SYMLINKAT}, {{"res", E::kRes},
                                     {"target", E::kPath},
                                     {"linkdirfd", E::kDirfd},
                                     {"linkpath", E::kTarget}});
    set({v1::EVENT_TYPE_MKDIR}, {{"res", E::kRes}, {"path", E::kPath}, {"mode", E::kMode}});
    set({v1::EVENT_TYPE_MKDIRAT},
        {{"res", E::kRes}, {"dirfd", E::kDirfd}, {"path", E::kPath}, {"mode", E::kMode}});
    set({v1::EVENT_TYPE_FTRUNCATE, v1::EVENT_TYPE_CLOSE, v1::EVENT_TYPE_FSTAT},
        {{"res", E::kRes}, {"fd", E::kFd}});
    set({v1::EVENT_TYPE_WRITE, v1::EVENT_TYPE_READ},
        {{"res", E::kRes}, {"data", E::kData}, {"fd", E::kFd}});
    set({v1::EVENT_TYPE_DUP, v1::EVENT_TYPE_DUP2, v1::EVENT_TYPE_DUP3},
        {{"res", E::kRes}, {"oldfd", E::kFd}, {"flags", E::kFlags}});
    set({v1::EVENT_TYPE_IOCTL}, {{"res", E::kRes}, {"fd", E::kFd}, {"request", E::kRequest}});
    set({v1::EVENT_TYPE_SOCKET, v1::EVENT_TYPE_SOCKETPAIR},
        {{"fd", E::kRes}, {"domain", E::kDomain}, {"type", E::kSockType}, {"proto", E::kProtocol}});
    set({v1::EVENT_TYPE_CONNECT}, {{"res", E::kRes}, {"tuple", E::kTuple}, {"fd", E::kFd}});
    set({v1::EVENT_TYPE_ACCEPT, v1::EVENT_TYPE_ACCEPT4}, {{"fd", E::kRes}, {"tuple", E::kTuple}});
    set({v1::EVENT_TYPE_BIND}, {{"res", E::kRes}, {"addr", E::kTuple}, {"fd", E::kFd}});
    set({v1::EVENT_TYPE_LISTEN}, {{"res", E::kRes}, {"fd", E::kFd}, {"backlog", E::kBacklog}});
    set({v1::EVENT_TYPE_SENDTO, v1::EVENT_TYPE_SENDMSG, v1::EVENT_TYPE_RECVFROM,
         v1::EVENT_TYPE_RECVMSG},
        {{"res", E::kRes}, {"data", E::kData}, {"tuple", E::kTuple}, {"fd", E::kFd}});
    set({v1::EVENT_TYPE_SETUID}, {{"res", E::kRes}, {"uid", E::kUid}});
    set({v1::EVENT_TYPE_SETGID}, {{"res", E::kRes}, {"gid", E::kGid}});
    set({v1::EVENT_TYPE_SETREUID}, {{"res", E::kRes}, {"ruid", E::kUid}, {"euid", E::kEuid}});
    set({v1::EVENT_TYPE_SETREGID}, {{"res", E::kRes}, {"rgid", E::kGid}, {"egid", E::kEgid}});
    set({v1::EVENT_TYPE_SETRESUID},
        {{"res", E::kRes}, {"ruid", E::kUid}, {"euid", E::kEuid}, {"suid", E::kSuid}});
    set({v1::EVENT_TYPE_SETRESGID},
        {{"res", E::kRes}, {"rgid", E::kGid}, {"egid", E::kEgid}, {"sgid", E::kSgid}});
    set({v1::EVENT_TYPE_CAPSET}, {{"res", E::kRes},
                                  {"cap_inheritable", E::kCapInheritable},
                                  {"cap_permitted", E::kCapPermitted},
                                  {"cap_effective", E::kCapEffective}});
    set({v1::EVENT_TYPE_PTRACE}, {{"res", E::kRes}, {"request", E::kRequest}, {"pid", E::kPid}});
    set({v1::EVENT_TYPE_MOUNT}, {{"res", E::kRes},
                                 {"dev", E::kPath},
                                 {"dir", E::kTarget},
                                 {"type", E::kFsType},
                                 {"flags", E::kFlags}});
    set({v1::EVENT_TYPE_UMOUNT, v1::EVENT_TYPE_UMOUNT2},
        {{"res", E::kRes}, {"name", E::kTarget}, {"flags", E::kFlags}});
    set({v1::EVENT_TYPE_SETNS}, {{"res", E::kRes}, {"fd", E::kFd}, {"nstype", E::kNsType}});
    set({v1::EVENT_TYPE_UNSHARE}, {{"res", E::kRes}, {"flags", E::kNsType}});
    set({v1::EVENT_TYPE_CHROOT}, {{"res", E::kRes}, {"path", E::kPath}});
    set({v1::EVENT_TYPE_PIVOT_ROOT},
        {{"res", E::kRes}, {"new_root", E::kPath}, {"put_old", E::kTarget}});
    set({v1::EVENT_TYPE_INIT_MODULE},
        {{"res", E::kRes}, {"name", E::kName}, {"uargs", E::kParams}});
    set({v1::EVENT_TYPE_FINIT_MODULE},
        {{"res", E::kRes}, {"fd", E::kFd}, {"uargs", E::kParams}, {"flags", E::kFlags}});
    set({v1::EVENT_TYPE_DELETE_MODULE},
        {{"res", E::kRes}, {"name", E::kName}, {"flags", E::kFlags}});
    set({v1::EVENT_TYPE_BPF}, {{"res_or_fd", E::kRes}, {"cmd", E::kCmd}});
    set({v1::EVENT_TYPE_PERF_EVENT_OPEN}, {{"fd", E::kRes},
                                           {"type", E::kPerfType},
                                           {"pid", E::kPid},
                                           {"cpu", E::kCpu},
                                           {"flags", E::kFlags}});
    set({v1::EVENT_TYPE_USERFAULTFD}, {{"res", E::kRes}, {"flags", E::kFlags}});
    set({v1::EVENT_TYPE_MEMFD_CREATE}, {{"fd", E::kRes}, {"name", E::kName}, {"flags", E::kFlags}});
    set({v1::EVENT_TYPE_KEYCTL}, {{"res", E::kRes}, {"operation", E::kCmd}});
    set({v1::EVENT_TYPE_PRCTL}, {{"res", E::kRes}, {"option", E::kOption}});
    return t;
  }();
  static const std::vector<EventArg> kEmpty;
  auto it = table->find(type);
  return it == table->end() ? kEmpty : it->second;
}

bool IsOpenFamily(v1::EventType type) {
  return type == v1::EVENT_TYPE_OPEN || type == v1::EVENT_TYPE_OPENAT ||
         type == v1::EVENT_TYPE_OPENAT2 || type == v1::EVENT_TYPE_CREAT;
}

bool IsChmodFamily(v1::EventType type) {
  return type == v1::EVENT_TYPE_CHMOD || type == v1::EVENT_TYPE_FCHMOD ||
         type == v1::EVENT_TYPE_FCHMODAT || type == v1::EVENT_TYPE_MKDIR ||
         type == v1::EVENT_TYPE_MKDIRAT;
}

std::string Tuple(const v1::FileDescriptor& fd) {
  if (fd.type() == v1::FD_TYPE_UNIX) return fd.name();
  if (fd.client_ip().empty() && fd.server_ip().empty()) return fd.name();
  return absl::StrCat(fd.client_ip(), ":", fd.client_port(), "->", fd.server_ip(), ":",
                      fd.server_port());
}

// Appends one event argument as Falco formats it (raw: numbers stay numbers).
void ExtractArg(A source, bool raw, ExtractContext& context, FieldValues& out) {
  const v1::Event& e = context.event();
  auto number = [&out](int64_t n) { out.push_back(FieldValue{.is_number = true, .number = n}); };
  auto text = [&out](absl::string_view s) { out.push_back(FieldValue{.text = s}); };
  auto owned = [&](std::string s) { text(context.Own(std::move(s))); };
  switch (source) {
    case A::kRes:
      if (raw) return number(e.result());
      if (e.result() < 0) return owned(RenderResult(e.result()));
      return number(e.result());
    case A::kFd:
      if (e.file().fd() != 0 || !e.has_fd()) return number(e.file().fd());
      return number(e.fd().num());
    case A::kPath:
      if (e.has_exec()) return text(e.exec().filename());
      if (e.has_mount()) return text(e.mount().source());
      if (e.has_root_change()) return text(e.root_change().path());
      if (e.has_module()) return text(e.module().path());
      return text(e.file().path());
    case A::kTarget:
      if (e.has_mount()) return text(e.mount().target());
      if (e.has_root_change()) return text(e.root_change().put_old());
      return text(e.file().target_path());
    case A::kDirfd:
      return number(e.file().dirfd());
    case A::kFlags: {
      if (IsOpenFamily(e.type())) {
        return raw ? number(e.file().flags()) : owned(RenderOpenFlags(e.file().flags()));
      }
      uint64_t flags = 0;
      if (e.has_file()) flags = e.file().flags();
      if (e.has_mount()) flags = e.mount().flags();
      if (e.has_module()) flags = e.module().flags();
      if (e.has_clone()) flags = e.clone().flags();
      if (e.has_userfaultfd()) flags = e.userfaultfd().flags();
      if (e.has_memfd_create()) flags = e.memfd_create().flags();
      if (e.has_perf_event_open()) flags = e.perf_event_open().flags();
      return number(static_cast<int64_t>(flags));
    }
    case A::kMode:
      if (raw || !IsChmodFamily(e.type())) {
        if (raw) return number(e.file().mode());
        return owned(absl::StrFormat("0%o", e.file().mode()));
      }
      return owned(RenderModeFlags(e.file().mode()));
    case A::kUid:
      return number(e.has_credentials() ? e.credentials().uid() : e.file().uid());
    case A::kGid:
      return number(e.has_credentials() ? e.credentials().gid() : e.file().gid());
    case A::kEuid:
      return number(e.credentials().euid());
    case A::kSuid:
      return number(e.credentials().suid());
    case A::kEgid:
      return number(e.credentials().egid());
    case A::kSgid:
      return number(e.credentials().sgid());
    case A::kRequest:
      if (e.has_ptrace()) {
        return raw ? number(e.ptrace().request())
                   : owned(RenderPtraceRequest(e.ptrace().request()));
      }
      return number(static_cast<int64_t>(e.file().request()));
    case A::kArgs:
      return owned(absl::StrJoin(e.exec().args(), " "));
    case A::kData:
      return text(e.file().buffer());
    case A::kTuple:
      if (context.fd() == nullptr) return;
      return owned(Tuple(*context.fd()));
    case A::kBacklog:
      return number(e.network().backlog());
    case A::kDomain:
      return raw ? number(e.socket().domain()) : owned(RenderSocketFamily(e.socket().domain()));
    case A::kSockType:
      return number(e.socket().type());
    case A::kProtocol:
      return number(e.socket().protocol());
    case A::kFsType:
      return text(e.mount().fstype());
    case A::kNsType:
      return raw ? number(static_cast<int64_t>(e.namespace_op().flags()))
                 : owned(RenderNamespaceFlags(e.namespace_op().flags()));
    case A::kCmd:
      if (e.has_keyctl()) return number(e.keyctl().operation());
      return number(e.bpf().cmd());
    case A::kPid:
      if (e.has_perf_event_open()) return number(e.perf_event_open().target_pid());
      return number(e.ptrace().target_pid());
    case A::kName:
      if (e.has_memfd_create()) return text(e.memfd_create().name());
      return text(e.module().name());
    case A::kParams:
      return text(e.module().params());
    case A::kStatus:
      return number(e.exit().status());
    case A::kSig:
      return number(e.exit().signal());
    case A::kCapEffective:
      return owned(RenderCapabilities(e.credentials().cap_effective()));
    case A::kCapPermitted:
      return owned(RenderCapabilities(e.credentials().cap_permitted()));
    case A::kCapInheritable:
      return owned(RenderCapabilities(e.credentials().cap_inheritable()));
    case A::kOption:
      return number(e.prctl().option());
    case A::kCpu:
      return number(e.perf_event_open().cpu());
    case A::kPerfType:
      return number(e.perf_event_open().type());
    case A::kChildPid:
      return number(e.clone().child_pid() != 0 ? e.clone().child_pid() : e.result());
    case A::kAddr:
      return;
  }
}

// ---- fd helpers --------------------------------------------------------------------------------

bool IsSocket(const v1::FileDescriptor& fd) {
  return fd.type() == v1::FD_TYPE_IPV4 || fd.type() == v1::FD_TYPE_IPV6;
}

absl::string_view FdTypeName(v1::FdType type) {
  switch (type) {
    case v1::FD_TYPE_FILE:
      return "file";
    case v1::FD_TYPE_DIRECTORY:
      return "directory";
    case v1::FD_TYPE_IPV4:
      return "ipv4";
    case v1::FD_TYPE_IPV6:
      return "ipv6";
    case v1::FD_TYPE_UNIX:
      return "unix";
    case v1::FD_TYPE_PIPE:
      return "pipe";
    case v1::FD_TYPE_EVENT:
      return "event";
    case v1::FD_TYPE_SIGNALFD:
      return "signalfd";
    case v1::FD_TYPE_EVENTPOLL:
      return "eventpoll";
    case v1::FD_TYPE_INOTIFY:
      return "inotify";
    case v1::FD_TYPE_TIMERFD:
      return "timerfd";
    case v1::FD_TYPE_NETLINK:
      return "netlink";
    case v1::FD_TYPE_BPF:
      return "bpf";
    case v1::FD_TYPE_USERFAULTFD:
      return "userfaultfd";
    case v1::FD_TYPE_IO_URING:
      return "io_uring";
    case v1::FD_TYPE_MEMFD:
      return "memfd";
    case v1::FD_TYPE_PACKET:
      return "packet";
    default:
      return "";
  }
}

absl::string_view FdTypeChar(v1::FdType type) {
  switch (type) {
    case v1::FD_TYPE_FILE:
      return "f";
    case v1::FD_TYPE_DIRECTORY:
      return "d";
    case v1::FD_TYPE_IPV4:
      return "4";
    case v1::FD_TYPE_IPV6:
      return "6";
    case v1::FD_TYPE_UNIX:
      return "u";
    case v1::FD_TYPE_PIPE:
      return "p";
    case v1::FD_TYPE_EVENT:
      return "e";
    case v1::FD_TYPE_SIGNALFD:
      return "s";
    case v1::FD_TYPE_EVENTPOLL:
      return "l";
    case v1::FD_TYPE_INOTIFY:
      return "i";
    case v1::FD_TYPE_TIMERFD:
      return "t";
    case v1::FD_TYPE_NETLINK:
      return "n";
    case v1::FD_TYPE_BPF:
      return "b";
    case v1::FD_TYPE_USERFAULTFD:
      return "U";
    case v1::FD_TYPE_IO_URING:
      return "r";
    case v1::FD_TYPE_MEMFD:
      return "m";
    case v1::FD_TYPE_PACKET:
      return "k";
    default:
      return "";
  }
}

// The path an event names when it has no fd (unlink, rename, chmod, mkdir, exec ...).
absl::string_view FdNameOf(const v1::Event& e, ExtractContext& context) {
  const v1::FileDescriptor* fd = context.fd();
  if (fd != nullptr && !fd->name().empty()) return fd->name();
  if (fd != nullptr && IsSocket(*fd)) return context.Own(Tuple(*fd));
  if (e.has_file()) return e.file().path();
  return "";
}

}  // namespace

const v1::FileDescriptor* ExtractContext::fd() const {
  if (state_ != nullptr && state_->EventFd() != nullptr) return state_->EventFd();
  return event_.has_fd() ? &event_.fd() : nullptr;
}

const ProcessInfo* ExtractContext::Ancestor(int generation) const {
  if (generation <= 0) return process_;
  if (generation > kMaxAncestors) return nullptr;
  while (ancestors_known_ < generation && !ancestors_complete_) {
    const ProcessInfo* child = ancestors_known_ == 0 ? process_ : ancestors_[ancestors_known_ - 1];
    const ProcessInfo* parent = nullptr;
    if (child != nullptr && state_ != nullptr) {
      const int64_t ppid = child->process.ppid();
      if (ppid > 0 && ppid != child->process.pid()) parent = state_->FindProcess(ppid);
    }
    if (parent == nullptr) {
      ancestors_complete_ = true;
      break;
    }
    ancestors_[ancestors_known_++] = parent;
  }
  return generation <= ancestors_known_ ? ancestors_[generation - 1] : nullptr;
}

absl::StatusOr<BoundField> BindField(const FieldExpr& expr) {
  BoundField bound;
  bound.name = expr.has_arg ? absl::StrCat(expr.name, "[", expr.arg, "]") : expr.name;
  bound.transformers = expr.transformers;
  const auto& index = FieldIndex();
  auto it = index.find(expr.name);
  std::string arg = expr.arg;
  bool has_arg = expr.has_arg;
  if (it == index.end()) {
    // evt.arg.<name> and evt.rawarg.<name>.
    for (absl::string_view prefix : {"evt.arg.", "evt.rawarg."}) {
      if (absl::StartsWith(expr.name, prefix) && !expr.has_arg &&
          expr.name.size() > prefix.size()) {
        it = index.find(prefix.substr(0, prefix.size() - 1));
        arg = expr.name.substr(prefix.size());
        has_arg = true;
        break;
      }
    }
  }
  if (it == index.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("filter_check called with nonexistent field ", expr.name));
  }
  const Spec& spec = kFields[it->second];
  bound.id = it->second;
  bound.type = spec.type;
  bound.has_arg = has_arg;
  switch (spec.arg) {
    case Arg::kNone:
      if (has_arg) {
        return absl::InvalidArgumentError(absl::StrCat("field ", expr.name, " takes no argument"));
      }
      break;
    case Arg::kOptionalIndex:
    case Arg::kRequiredIndex:
      if (has_arg && (!absl::SimpleAtoi(arg, &bound.index) || bound.index < 0)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "field ", expr.name, " needs a non-negative number in [], got '", arg, "'"));
      }
      if (!has_arg && spec.arg == Arg::kRequiredIndex) {
        return absl::InvalidArgumentError(absl::StrCat("field ", expr.name, " needs an argument"));
      }
      break;
    case Arg::kRequiredKey:
    case Arg::kIndexOrKey:
      if (!has_arg || arg.empty()) {
        return absl::InvalidArgumentError(absl::StrCat("field ", expr.name, " needs an argument"));
      }
      if (spec.arg == Arg::kIndexOrKey && !absl::SimpleAtoi(arg, &bound.index)) bound.index = -1;
      bound.key = arg;
      break;
    case Arg::kOptionalKey:
      bound.key = arg;
      break;
  }
  if (spec.id == F::kProcNs || spec.id == F::kProcNsIsHost) {
    bound.namespace_field = NamespaceField(bound.key);
  }
  if ((spec.id == F::kProcNs || spec.id == F::kProcNsIsHost) && bound.namespace_field == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("field ", expr.name, " needs a namespace kind (",
                                                   absl::StrJoin(NamespaceKinds(), ", "),
                                                   "), got '", bound.key, "'"));
  }
  for (const std::string& transformer : bound.transformers) {
    if (transformer == "len") bound.type = FieldType::kNumber;
  }
  return bound;
}

namespace {

// The numeric fields of the event itself that have at most one value: what ExtractRaw yields for
// them, shared with ScalarNumber() so the two cannot differ.
std::optional<int64_t> EventScalar(F id, const v1::Event& e, const v1::FileDescriptor* fd) {
  switch (id) {
    case F::kEvtRawres:
      return e.result();
    case F::kEvtFailed:
      return e.result() < 0 ? 1 : 0;
    case F::kEvtIsOpenRead:
      if (!IsOpenFamily(e.type())) return 0;
      return (e.file().flags() & O_ACCMODE) != O_WRONLY && e.type() != v1::EVENT_TYPE_CREAT;
    case F::kEvtIsOpenWrite:
      if (!IsOpenFamily(e.type())) return 0;
      return (e.file().flags() & O_ACCMODE) != O_RDONLY || e.type() == v1::EVENT_TYPE_CREAT;
    case F::kFdNum:
      if (fd != nullptr) return fd->num();
      if (IsOpenFamily(e.type())) return e.result();
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

bool IsEventScalar(F id) {
  return id == F::kEvtRawres || id == F::kEvtFailed || id == F::kEvtIsOpenRead ||
         id == F::kEvtIsOpenWrite || id == F::kFdNum;
}

void ExtractRaw(const BoundField& field, ExtractContext& context, FieldValues& out) {
  const v1::Event& e = context.event();
  const ProcessInfo* info = context.process();
  const v1::Process* p = info != nullptr ? &info->process : nullptr;
  const v1::Container* c = context.container();
  auto number = [&out](int64_t n) { out.push_back(FieldValue{.is_number = true, .number = n}); };
  auto text = [&out](absl::string_view s) { out.push_back(FieldValue{.text = s}); };
  auto owned = [&](std::string s) { text(context.Own(std::move(s))); };
  auto boolean = [&number](bool b) { number(b ? 1 : 0); };
  const v1::FileDescriptor* known_fd = context.fd();
  const bool has_fd = known_fd != nullptr;
  const v1::FileDescriptor& fd = has_fd ? *known_fd : v1::FileDescriptor::default_instance();
  const bool local_is_server = fd.local_is_server();

  switch (kFields[field.id].id) {
    case F::kEvtRawres:
    case F::kEvtFailed:
    case F::kEvtIsOpenRead:
    case F::kEvtIsOpenWrite:
    case F::kFdNum:
      if (std::optional<int64_t> value = EventScalar(kFields[field.id].id, e, known_fd)) {
        number(*value);
      }
      return;
    case F::kEvtType:
      return text(EventTypeName(e.type()));
    case F::kEvtNum:
      return number(static_cast<int64_t>(e.num()));
    case F::kEvtTime:
      return owned(absl::FormatTime("%H:%M:%E9S", absl::FromUnixNanos(e.timestamp_ns()),
                                    absl::UTCTimeZone()));
    case F::kEvtTimeIso8601:
      return owned(absl::FormatTime("%Y-%m-%dT%H:%M:%E9SZ", absl::FromUnixNanos(e.timestamp_ns()),
                                    absl::UTCTimeZone()));
    case F::kEvtRawtime:
      return number(static_cast<int64_t>(e.timestamp_ns()));
    case F::kEvtDir:
      return text("<");
    case F::kEvtRes:
      if (absl::string_view name = StaticResultName(e.result()); !name.empty()) return text(name);
      return owned(RenderResult(e.result()));
    case F::kEvtArg:
    case F::kEvtRawarg: {
      const std::vector<EventArg>& args = ArgsOf(e.type());
      const bool raw = kFields[field.id].id == F::kEvtRawarg;
      if (field.index >= 0) {
        if (static_cast<size_t>(field.index) < args.size()) {
          ExtractArg(args[field.index].source, raw, context, out);
        }
        return;
      }
      for (const EventArg& arg : args) {
        if (arg.name == field.key) return ExtractArg(arg.source, raw, context, out);
      }
      return;
    }
    case F::kEvtArgs: {
      std::vector<std::string> parts;
      for (const EventArg& arg : ArgsOf(e.type())) {
        FieldValues values;
        ExtractArg(arg.source, false, context, values);
        if (values.empty()) continue;
        parts.push_back(absl::StrCat(
            arg.name, "=",
            values[0].is_number ? absl::StrCat(values[0].number) : std::string(values[0].text)));
      }
      return owned(absl::StrJoin(parts, " "));
    }
    case F::kEvtIsOpenExec:
      return boolean(false);
    case F::kEvtBuffer:
      return text(e.file().buffer());
    case F::kEvtHostname:
      return;
    case F::kEvtSource:
      return text("syscall");
    case F::kEvtCategory:
      return;

    case F::kProcName:
      if (info) text(info->name);
      return;
    case F::kProcExe:
      if (p) text(p->exe());
      return;
    case F::kProcExepath:
      if (p) text(p->exepath());
      return;
    case F::kProcCmdline:
      if (info) text(info->cmdline);
      return;
    case F::kProcArgs:
      if (info) text(info->args);
      return;
    case F::kProcNs:
      if (p) {
        const uint64_t id = NamespaceIdOf(p->namespaces(), *field.namespace_field);
        if (id != 0) number(static_cast<int64_t>(id));
      }
      return;
    case F::kProcNsIsHost: {
      if (!p || context.state() == nullptr) return;
      const uint64_t id = NamespaceIdOf(p->namespaces(), *field.namespace_field);
      const uint64_t host =
          NamespaceIdOf(context.state()->host_namespaces(), *field.namespace_field);
      if (id != 0 && host != 0) boolean(id == host);
      return;
    }
    case F::kProcPid:
      if (p) number(p->pid());
      return;
    case F::kProcPpid:
      if (p) number(p->ppid());
      return;
    case F::kProcVpid:
      if (p) number(p->vpid());
      return;
    case F::kProcSid:
      if (p) number(p->sid());
      return;
    case F::kProcVpgid:
      if (p) number(p->vpgid());
      return;
    case F::kProcIsVpgidLeader:
      if (p) boolean(p->vpid() != 0 && p->vpid() == p->vpgid());
      return;
    case F::kProcTty:
      if (p) number(p->tty());
      return;
    case F::kProcCwd:
      if (p) text(p->cwd());
      return;
    case F::kProcDuration:
      if (p && p->start_time_ns() != 0 && e.timestamp_ns() >= p->start_time_ns()) {
        number(static_cast<int64_t>(e.timestamp_ns() - p->start_time_ns()));
      }
      return;
    case F::kProcStartTs:
      if (p) number(static_cast<int64_t>(p->start_time_ns()));
      return;
    case F::kProcExeIno:
      if (p && p->exe_ino() != 0) number(static_cast<int64_t>(p->exe_ino()));
      return;
    case F::kProcExeInoCtime:
      if (p && p->exe_ino_ctime_ns() != 0) number(static_cast<int64_t>(p->exe_ino_ctime_ns()));
      return;
    case F::kProcExeInoMtime:
      if (p && p->exe_ino_mtime_ns() != 0) number(static_cast<int64_t>(p->exe_ino_mtime_ns()));
      return;
    case F::kProcExeInoCtimeDurationProcStart:
      if (p && p->exe_ino_ctime_ns() != 0 && p->start_time_ns() >= p->exe_ino_ctime_ns()) {
        number(static_cast<int64_t>(p->start_time_ns() - p->exe_ino_ctime_ns()));
      }
      return;
    case F::kProcIsExeUpperLayer:
      if (p) boolean(p->exe_upper_layer());
      return;
    case F::kProcIsExeFromMemfd:
      if (p) boolean(p->exe_from_memfd());
      return;
    case F::kProcIsExeWritable:
      if (p) boolean(p->exe_writable());
      return;
    case F::kProcEnv: {
      if (!p) return;
      if (field.key.empty()) return owned(absl::StrJoin(p->env(), " "));
      for (const std::string& entry : p->env()) {
        absl::string_view view = entry;
        if (absl::ConsumePrefix(&view, field.key) && absl::ConsumePrefix(&view, "="))
          return text(view);
      }
      return;
    }
    case F::kProcSname: {
      if (!p || context.state() == nullptr) return;
      const ProcessInfo* leader = context.state()->FindProcess(p->sid());
      if (leader != nullptr) text(leader->name);
      return;
    }
    case F::kProcPname:
    case F::kProcPexe:
    case F::kProcPexepath:
    case F::kProcPcmdline: {
      const ProcessInfo* parent = context.Ancestor(1);
      if (parent == nullptr) return;
      F id = kFields[field.id].id;
      if (id == F::kProcPname) return text(parent->name);
      if (id == F::kProcPexe) return text(parent->process.exe());
      if (id == F::kProcPexepath) return text(parent->process.exepath());
      return text(parent->cmdline);
    }
    case F::kProcAname:
    case F::kProcAexe:
    case F::kProcAexepath:
    case F::kProcApid: {
      F id = kFields[field.id].id;
      auto emit = [&](const ProcessInfo& a) {
        if (id == F::kProcAname)
          text(a.name);
        else if (id == F::kProcAexe)
          text(a.process.exe());
        else if (id == F::kProcAexepath)
          text(a.process.exepath());
        else
          number(a.process.pid());
      };
      if (field.index >= 0) {
        if (const ProcessInfo* a = context.Ancestor(static_cast<int>(field.index))) emit(*a);
        return;
      }
      // No index: every ancestor (Falco's proc.aname matches any of them).
      for (int generation = 1; generation <= ExtractContext::kMaxAncestors; ++generation) {
        const ProcessInfo* a = context.Ancestor(generation);
        if (a == nullptr) break;
        emit(*a);
      }
      return;
    }
    case F::kThreadTid:
      return number(e.tid() != 0 ? e.tid() : (p ? p->tid() : 0));
    case F::kThreadVtid:
      if (p) number(p->vtid());
      return;
    case F::kThreadCapEffective:
      if (p) owned(RenderCapabilities(p->cap_effective()));
      return;
    case F::kThreadCapPermitted:
      if (p) owned(RenderCapabilities(p->cap_permitted()));
      return;
    case F::kThreadCapInheritable:
      if (p) owned(RenderCapabilities(p->cap_inheritable()));
      return;

    case F::kUserUid:
      if (p) number(p->uid());
      return;
    case F::kUserName:
      if (p && !p->user_name().empty()) text(p->user_name());
      return;
    case F::kUserLoginuid:
      if (p) number(p->loginuid());
      return;
    case F::kUserLoginname:
      if (p && !p->login_name().empty()) text(p->login_name());
      return;
    case F::kGroupGid:
      if (p) number(p->gid());
      return;
    case F::kGroupName:
      if (p && !p->group_name().empty()) text(p->group_name());
      return;

    case F::kFdType: {
      if (has_fd) return text(FdTypeName(fd.type()));
      if (IsOpenFamily(e.type()) && e.result() >= 0) return text("file");
      return;
    }
    case F::kFdTypechar: {
      if (has_fd) return text(FdTypeChar(fd.type()));
      if (IsOpenFamily(e.type()) && e.result() >= 0) return text("f");
      return;
    }
    case F::kFdName: {
      absl::string_view name = FdNameOf(e, context);
      if (!name.empty()) text(name);
      return;
    }
    case F::kFdNameraw:
      if (!fd.name_raw().empty()) return text(fd.name_raw());
      if (e.has_file()) return text(e.file().path());
      return;
    case F::kFdDirectory:
    case F::kFdFilename: {
      if (has_fd && IsSocket(fd)) return;
      absl::string_view name = FdNameOf(e, context);
      if (name.empty()) return;
      size_t slash = name.rfind('/');
      if (slash == absl::string_view::npos) return;
      if (kFields[field.id].id == F::kFdFilename) return text(name.substr(slash + 1));
      return text(slash == 0 ? name.substr(0, 1) : name.substr(0, slash));
    }
    case F::kFdIp:
    case F::kFdNet:
      if (!IsSocket(fd)) return;
      text(fd.client_ip());
      text(fd.server_ip());
      return;
    case F::kFdCip:
    case F::kFdCnet:
      if (IsSocket(fd)) text(fd.client_ip());
      return;
    case F::kFdSip:
    case F::kFdSnet:
      if (IsSocket(fd)) text(fd.server_ip());
      return;
    case F::kFdLip:
    case F::kFdLnet:
      if (IsSocket(fd)) text(local_is_server ? fd.server_ip() : fd.client_ip());
      return;
    case F::kFdRip:
    case F::kFdRnet:
      if (IsSocket(fd)) text(local_is_server ? fd.client_ip() : fd.server_ip());
      return;
    case F::kFdPort:
      if (!IsSocket(fd)) return;
      number(fd.client_port());
      number(fd.server_port());
      return;
    case F::kFdCport:
      if (IsSocket(fd)) number(fd.client_port());
      return;
    case F::kFdSport:
      if (IsSocket(fd)) number(fd.server_port());
      return;
    case F::kFdLport:
      if (IsSocket(fd)) number(local_is_server ? fd.server_port() : fd.client_port());
      return;
    case F::kFdRport:
      if (IsSocket(fd)) number(local_is_server ? fd.client_port() : fd.server_port());
      return;
    case F::kFdL4proto:
      if (has_fd && !fd.l4proto().empty()) text(fd.l4proto());
      return;
    case F::kFdSockfamily:
      if (IsSocket(fd)) return text("ip");
      if (fd.type() == v1::FD_TYPE_UNIX) return text("unix");
      return;
    case F::kFdConnected:
      if (has_fd) boolean(fd.connected());
      return;
    case F::kFdNameChanged:
      return boolean(false);
    case F::kFdCipName:
      if (!fd.client_hostname().empty()) text(fd.client_hostname());
      return;
    case F::kFdSipName:
      if (!fd.server_hostname().empty()) text(fd.server_hostname());
      return;
    case F::kFdLipName: {
      const std::string& name = local_is_server ? fd.server_hostname() : fd.client_hostname();
      if (!name.empty()) text(name);
      return;
    }
    case F::kFdRipName: {
      const std::string& name = local_is_server ? fd.client_hostname() : fd.server_hostname();
      if (!name.empty()) text(name);
      return;
    }

    case F::kContainerId:
      if (info) text(info->container_id);
      return;
    case F::kContainerName:
      if (info && info->container_id == "host") return text("host");
      if (c && !c->name().empty()) text(c->name());
      return;
    case F::kContainerImage:
      if (c && !c->image().empty()) text(c->image());
      return;
    case F::kContainerImageRepository:
      if (c && !c->image_repository().empty()) text(c->image_repository());
      return;
    case F::kContainerImageTag:
      if (c && !c->image_tag().empty()) text(c->image_tag());
      return;
    case F::kContainerImageDigest:
      if (c && !c->image_digest().empty()) text(c->image_digest());
      return;
    case F::kContainerType:
      if (c && !c->runtime().empty()) text(c->runtime());
      return;
    case F::kContainerPrivileged:
      if (c) boolean(c->privileged());
      return;
    case F::kContainerMounts: {
      if (!c) return;
      std::vector<std::string> parts;
      for (const v1::Mount& m : c->mounts()) {
        parts.push_back(absl::StrCat(m.source(), ":", m.destination(), ":", m.mode(), ":",
                                     m.read_write() ? "true" : "false", ":", m.propagation()));
      }
      return owned(absl::StrJoin(parts, ","));
    }
    case F::kContainerMountDest:
    case F::kContainerMountSource: {
      // container.mount.dest[<source>] gives the destination of the mount whose source matches
      // (a glob), and container.mount.source[<dest>] the source whose destination matches.
      if (!c) return;
      const bool want_dest = kFields[field.id].id == F::kContainerMountDest;
      for (const v1::Mount& m : c->mounts()) {
        const std::string& match = want_dest ? m.source() : m.destination();
        if (fnmatch(field.key.c_str(), match.c_str(), 0) == 0) {
          return text(want_dest ? m.destination() : m.source());
        }
      }
      return;
    }
    case F::kContainerStartTs:
      if (c) number(static_cast<int64_t>(c->start_time_ns()));
      return;
    case F::kK8sPodName:
      if (c && !c->k8s_pod_name().empty()) text(c->k8s_pod_name());
      return;
    case F::kK8sNsName:
      if (c && !c->k8s_namespace().empty()) text(c->k8s_namespace());
      return;
    case F::kK8sPodUid:
      if (c && !c->k8s_pod_uid().empty()) text(c->k8s_pod_uid());
      return;
    case F::kK8sPodLabel: {
      if (!c) return;
      auto it = c->k8s_pod_labels().find(field.key);
      if (it != c->k8s_pod_labels().end()) text(it->second);
      return;
    }
  }
}

std::string ValueText(const FieldValue& value) {
  return value.is_number ? absl::StrCat(value.number) : std::string(value.text);
}

}  // namespace

namespace {
void ApplyTransformers(const BoundField& field, ExtractContext& context, const FieldValues& raw,
                       FieldValues& out);

// `raw` with the field's transformers applied, in `scratch`. Out of line so that the common path
// of ExtractFieldValuesSlow (no transformers) carries no FieldValues of its own.
ABSL_ATTRIBUTE_NOINLINE const FieldValues& TransformedValues(const BoundField& field,
                                                             ExtractContext& context,
                                                             const FieldValues& raw,
                                                             FieldValues& scratch) {
  FieldValues transformed;
  ApplyTransformers(field, context, raw, transformed);
  scratch = std::move(transformed);
  return scratch;
}
}  // namespace

FieldCache::FieldCache() : stamps_(std::size(kFields), 0), values_(std::size(kFields)) {}

bool HasScalarNumber(const BoundField& field) {
  return !field.has_arg && field.transformers.empty() && IsEventScalar(kFields[field.id].id);
}

std::optional<int64_t> ScalarNumber(const BoundField& field, const ExtractContext& context) {
  return EventScalar(kFields[field.id].id, context.event(), context.fd());
}

const FieldValues& ExtractFieldValuesSlow(const BoundField& field, ExtractContext& context,
                                          FieldValues& scratch) {
  const FieldValues* raw = &scratch;
  FieldCache* cache = context.field_cache();
  if (cache != nullptr && !field.has_arg) {
    raw = cache->Find(field.id);
    if (raw == nullptr) {
      FieldValues& entry = cache->Store(field.id);
      ExtractRaw(field, context, entry);
      raw = &entry;
    }
  } else {
    ExtractRaw(field, context, scratch);
  }
  if (field.transformers.empty()) return *raw;
  return TransformedValues(field, context, *raw, scratch);
}

void ExtractField(const BoundField& field, ExtractContext& context, FieldValues& out) {
  FieldValues scratch;
  const FieldValues& values = ExtractFieldValues(field, context, scratch);
  out.insert(out.end(), values.begin(), values.end());
}

namespace {

void ApplyTransformers(const BoundField& field, ExtractContext& context, const FieldValues& raw,
                       FieldValues& out) {
  for (FieldValue value : raw) {
    for (auto it = field.transformers.rbegin(); it != field.transformers.rend(); ++it) {
      const std::string& t = *it;
      if (t == "val") continue;
      std::string s = ValueText(value);
      if (t == "tolower") {
        value = FieldValue{.text = context.Own(absl::AsciiStrToLower(s))};
      } else if (t == "toupper") {
        value = FieldValue{.text = context.Own(absl::AsciiStrToUpper(s))};
      } else if (t == "b64") {
        std::string decoded;
        if (!absl::Base64Unescape(s, &decoded)) decoded = s;
        value = FieldValue{.text = context.Own(std::move(decoded))};
      } else if (t == "basename") {
        size_t slash = s.rfind('/');
        value =
            FieldValue{.text = context.Own(slash == std::string::npos ? s : s.substr(slash + 1))};
      } else if (t == "len") {
        value = FieldValue{.is_number = true, .number = static_cast<int64_t>(s.size())};
      }
    }
    out.push_back(value);
  }
}

}  // namespace

void AppendRenderedField(const BoundField& field, ExtractContext& context, std::string& out) {
  FieldValues scratch;
  const FieldValues& values = ExtractFieldValues(field, context, scratch);
  if (values.empty()) {
    out += "<NA>";
    return;
  }
  for (size_t i = 0; i < values.size(); ++i) {
    const FieldValue& value = values[i];
    if (i > 0) out += ',';
    if (value.is_number && field.type == FieldType::kBool) {
      out += value.number != 0 ? "true" : "false";
    } else if (value.is_number) {
      absl::StrAppend(&out, value.number);
    } else {
      out.append(value.text.data(), value.text.size());
    }
  }
}

std::string RenderField(const BoundField& field, ExtractContext& context) {
  std::string out;
  AppendRenderedField(field, context, out);
  return out;
}

std::vector<std::string> KnownFieldNames() {
  std::vector<std::string> names;
  for (const Spec& spec : kFields) names.emplace_back(spec.name);
  return names;
}

}  // namespace bulwark::runtime::internal
