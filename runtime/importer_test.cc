// The Tetragon and Tracee importers over the upstream samples in
// ../shared/conformance/runtime/samples (Tetragon's testdata and docs, Tracee's docs): every
// asserted value is read from those files.
#include "bulwark/runtime/importer.h"

#include <fcntl.h>
#include <sched.h>

#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "bulwark/runtime/engine.h"
#include "bulwark/runtime/rule_set.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::runtime {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

std::vector<v1::Event> Import(ImportFormat format, const std::string& path,
                              ImportStats* stats = nullptr) {
  absl::StatusOr<std::vector<v1::Event>> events = ImportEventsFile(format, path, {}, stats);
  EXPECT_THAT(events, IsOk()) << path;
  return events.ok() ? *std::move(events) : std::vector<v1::Event>{};
}

constexpr uint64_t kCap(int bit) { return uint64_t{1} << bit; }

TEST(TetragonImportTest, ProcessExecWithPodAndCapabilities) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/runtime/samples/tetragon/docs-soe");
  std::vector<v1::Event> events =
      Import(ImportFormat::kTetragon, dir + "/00_four_golden_signals__process_exec.json");
  ASSERT_THAT(events, SizeIs(1));
  const v1::Event& e = events[0];
  EXPECT_EQ(e.type(), v1::EVENT_TYPE_EXECVE);
  EXPECT_EQ(e.timestamp_ns(), 1642609741861000000u);  // 2022-01-19T16:29:01.861Z
  EXPECT_EQ(e.pid(), 115153);
  const v1::Process& p = e.process();
  EXPECT_EQ(p.pid(), 115153);
  EXPECT_EQ(p.ppid(), 114757);
  EXPECT_EQ(p.uid(), 0);
  EXPECT_EQ(p.loginuid(), 4294967295);
  EXPECT_EQ(p.cwd(), "/usr/share/elasticsearch/");
  EXPECT_EQ(p.exepath(), "/usr/bin/curl");
  EXPECT_EQ(p.name(), "curl");
  EXPECT_THAT(p.args(), ElementsAre("www.google.com"));
  EXPECT_EQ(p.start_time_ns(), 1642609741861000000u);
  EXPECT_EQ(p.vpid(), 131);  // pod.container.pid
  EXPECT_EQ(p.container_id(), "86eb9e29a77d");
  // 14 capabilities, "DAC_OVERRIDE" spelled without its prefix by this Tetragon version.
  const uint64_t expected_caps = kCap(0) | kCap(1) | kCap(3) | kCap(4) | kCap(5) | kCap(6) |
                                 kCap(7) | kCap(8) | kCap(10) | kCap(13) | kCap(18) | kCap(27) |
                                 kCap(29) | kCap(31);
  EXPECT_EQ(p.cap_permitted(), expected_caps);
  EXPECT_EQ(p.cap_effective(), expected_caps);
  EXPECT_EQ(p.cap_inheritable(), expected_caps);
  EXPECT_EQ(e.exec().filename(), "/usr/bin/curl");
  EXPECT_THAT(e.exec().args(), ElementsAre("www.google.com"));
  const v1::Container& c = e.container();
  EXPECT_EQ(c.id(), "86eb9e29a77d");
  EXPECT_EQ(c.full_id(), "86eb9e29a77d432afc7a15b424db1d24a382f3caae26f860ab22df8cb5e96054");
  EXPECT_EQ(c.runtime(), "docker");
  EXPECT_EQ(c.name(), "elasticsearch");
  EXPECT_EQ(c.image(), "quay.io/isovalent/jobs-app-elasticsearch:latest");
  EXPECT_EQ(c.image_repository(), "quay.io/isovalent/jobs-app-elasticsearch");
  EXPECT_EQ(c.image_tag(), "latest");
  EXPECT_EQ(c.image_digest(),
            "sha256:ff3aa5862fd17f8695984609743f4523188984adbcd25cf5ac4224b71084558c");
  EXPECT_EQ(c.start_time_ns(), 1642609676000000000u);  // 2022-01-19T16:27:56Z
  EXPECT_EQ(c.k8s_pod_name(), "elasticsearch-56f8fc6988-pb8c7");
  EXPECT_EQ(c.k8s_namespace(), "tenant-jobs");
  const v1::Process& parent = e.parent();
  EXPECT_EQ(parent.pid(), 114757);
  EXPECT_EQ(parent.exepath(), "/bin/bash");
  EXPECT_EQ(parent.vpid(), 111);
}

TEST(TetragonImportTest, JsonLinesWithPodLabelsAndQuotedArguments) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/runtime/samples/tetragon");
  ImportStats stats;
  std::vector<v1::Event> events =
      Import(ImportFormat::kTetragon, dir + "/testdata_events.jsonl", &stats);
  ASSERT_THAT(events, SizeIs(3));
  EXPECT_EQ(stats.records, 3u);
  EXPECT_EQ(stats.events, 3u);
  const v1::Event& e = events[0];
  EXPECT_EQ(e.process().exepath(), "/usr/bin/netserver");
  EXPECT_THAT(e.process().args(), ElementsAre("-D"));
  EXPECT_EQ(e.process().start_time_ns(), 1666062978273546829u);
  EXPECT_EQ(e.container().runtime(), "containerd");
  EXPECT_EQ(e.container().id(), "19a02291e106");
  EXPECT_EQ(e.container().image_digest(),
            "sha256:8e86f744bfea165fd4ce68caa05abc96500f40130b857773186401926af7e9e6");
  EXPECT_EQ(e.container().k8s_pod_labels().at("app.kubernetes.io/name"), "tiefighter");
  EXPECT_EQ(e.container().k8s_pod_labels().at("org"), "empire");
  EXPECT_EQ(e.parent().exepath(), "/usr/bin/containerd-shim-runc-v2");
  EXPECT_THAT(e.parent().args(), SizeIs(6));
  EXPECT_EQ(e.parent().container_id(), "host");

  std::vector<v1::Event> sh =
      Import(ImportFormat::kTetragon,
             dir + "/docs-soe/03_post_exploitation_techniques__merlin-agent-sh-exit.json");
  ASSERT_THAT(sh, SizeIs(1));
  EXPECT_EQ(sh[0].type(), v1::EVENT_TYPE_PROCEXIT);
  EXPECT_THAT(sh[0].process().args(), ElementsAre("-c", "7z a s3nsitiv3.7z ../ops_bank_accounts/"));
  // No pod: the container id comes from the "docker" field.
  EXPECT_EQ(sh[0].process().container_id(), "a51959123c3b");
  EXPECT_EQ(sh[0].container().id(), "a51959123c3b");
}

TEST(TetragonImportTest, ConnectListenAndClose) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/runtime/samples/tetragon/docs-soe");
  std::vector<v1::Event> connect =
      Import(ImportFormat::kTetragon, dir + "/02_persistance__merlin-agent-go-connect.json");
  ASSERT_THAT(connect, SizeIs(1));
  EXPECT_EQ(connect[0].type(), v1::EVENT_TYPE_CONNECT);
  const v1::FileDescriptor& fd = connect[0].fd();
  EXPECT_EQ(fd.type(), v1::FD_TYPE_IPV4);
  EXPECT_EQ(fd.l4proto(), "tcp");
  EXPECT_EQ(fd.client_ip(), "10.88.0.3");
  EXPECT_EQ(fd.client_port(), 43374u);
  EXPECT_EQ(fd.server_ip(), "34.116.205.187");
  EXPECT_EQ(fd.server_port(), 443u);

  std::vector<v1::Event> listen =
      Import(ImportFormat::kTetragon, dir + "/00_four_golden_signals__process_listen.json");
  ASSERT_THAT(listen, SizeIs(1));
  EXPECT_EQ(listen[0].type(), v1::EVENT_TYPE_LISTEN);
  EXPECT_EQ(listen[0].fd().server_ip(), "0.0.0.0");
  EXPECT_EQ(listen[0].fd().server_port(), 9080u);
  EXPECT_TRUE(listen[0].fd().local_is_server());

  std::vector<v1::Event> close =
      Import(ImportFormat::kTetragon, dir + "/00_four_golden_signals__process_close.json");
  ASSERT_THAT(close, SizeIs(1));
  EXPECT_EQ(close[0].type(), v1::EVENT_TYPE_CLOSE);
  EXPECT_FALSE(close[0].fd().server_ip().empty());
}

TEST(TetragonImportTest, KprobeWriteOfEtcPasswd) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/runtime/samples/tetragon/docs-soe");
  std::vector<v1::Event> events =
      Import(ImportFormat::kTetragon, dir + "/00_four_golden_signals__process_kprobe.json");
  ASSERT_THAT(events, SizeIs(1));
  const v1::Event& e = events[0];
  EXPECT_EQ(e.type(), v1::EVENT_TYPE_WRITE);  // __x64_sys_write
  EXPECT_EQ(e.file().path(), "/etc/passwd");  // "etc/passwd" in the sample
  EXPECT_EQ(e.fd().name(), "/etc/passwd");
  EXPECT_EQ(e.file().bytes(), 627u);
  EXPECT_THAT(e.file().buffer(),
              ::testing::StartsWith("daemon:x:2:2:daemon:/sbin:/sbin/nologin\n"));
  EXPECT_EQ(e.process().exepath(), "/usr/bin/vi");
  EXPECT_EQ(e.container().runtime(), "containerd");

  std::vector<v1::Event> read =
      Import(ImportFormat::kTetragon, dir + "/00_process_lifecycle__cat_process_kprobe.json");
  ASSERT_THAT(read, SizeIs(1));
  EXPECT_EQ(read[0].type(), v1::EVENT_TYPE_READ);
  EXPECT_EQ(read[0].file().path(), "/usr/share/elasticsearch/config/elasticsearch.keystore");
  EXPECT_EQ(read[0].file().bytes(), 65536u);
}

TEST(TetragonImportTest, EveryDocsSampleImports) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/runtime/samples/tetragon/docs-soe");
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    ImportStats stats;
    std::vector<v1::Event> events = Import(ImportFormat::kTetragon, entry.path(), &stats);
    EXPECT_THAT(events, SizeIs(1)) << entry.path();
    for (const v1::Event& e : events) {
      EXPECT_GT(e.pid(), 0) << entry.path();
      EXPECT_GT(e.timestamp_ns(), 0u) << entry.path();
      EXPECT_FALSE(e.process().exepath().empty()) << entry.path();
      EXPECT_GT(e.process().ppid(), 0) << entry.path();
    }
    ++files;
  }
  EXPECT_EQ(files, 40u);
}

// Tetragon's process.ns (api/v1 tetragon.Namespaces: inum and is_host per kind); the shared
// samples carry none, so the record is written here after Tetragon's protobuf definition.
TEST(TetragonImportTest, NamespacesWithHostMarks) {
  constexpr char kRecord[] = R"({"process_exec":{"process":{"pid":4242,"binary":"/usr/bin/nsenter",
    "ns":{"mnt":{"inum":4026531840,"is_host":true},"pid":{"inum":4026532279},
          "pid_for_children":{"inum":4026532279},"net":{"inum":4026531992,"is_host":true},
          "uts":{"inum":4026531838,"is_host":false}}}},"time":"2023-10-06T22:03:57.700327580Z"})";
  std::vector<v1::Event> events;
  ASSERT_THAT(ImportEvents(ImportFormat::kTetragon, kRecord, "ns.json", core::Limits(),
                           [&](v1::Event&& e) {
                             events.push_back(std::move(e));
                             return absl::OkStatus();
                           }),
              IsOk());
  ASSERT_THAT(events, SizeIs(1));
  const v1::Namespaces& ns = events[0].process().namespaces();
  EXPECT_EQ(ns.mnt(), 4026531840u);
  EXPECT_EQ(ns.pid(), 4026532279u);
  EXPECT_EQ(ns.net(), 4026531992u);
  EXPECT_EQ(ns.uts(), 4026531838u);
  EXPECT_THAT(ns.host_kinds(), ::testing::ElementsAre("mnt", "net"));
}

TEST(TraceeImportTest, ClassicSyscallEvents) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/runtime/samples/tracee");
  ImportStats stats;
  std::vector<v1::Event> events =
      Import(ImportFormat::kTracee, dir + "/tracee_docs_events.jsonl", &stats);
  EXPECT_EQ(stats.records, 17u);
  // 4 net_packet_tcp, 4 net_packet_dns and the "mine" signature have no counterpart.
  EXPECT_EQ(stats.skipped.at("net_packet_tcp"), 4u);
  EXPECT_EQ(stats.skipped.at("net_packet_dns"), 4u);
  EXPECT_EQ(stats.skipped.at("mine"), 1u);
  ASSERT_THAT(events, SizeIs(8));

  const v1::Event& open = events[0];  // security_file_open of /tmp/testing.txt
  EXPECT_EQ(open.type(), v1::EVENT_TYPE_OPENAT);
  EXPECT_EQ(open.timestamp_ns(), 1657321167356748797u);
  EXPECT_EQ(open.pid(), 2578238);
  EXPECT_EQ(open.process().ppid(), 2578237);
  EXPECT_EQ(open.process().name(), "bash");
  EXPECT_EQ(open.process().uid(), 1000);
  EXPECT_EQ(open.process().container_id(), "host");
  EXPECT_EQ(open.file().path(), "/tmp/testing.txt");
  EXPECT_EQ(open.fd().name(), "/tmp/testing.txt");
  EXPECT_EQ(open.process().namespaces().mnt(), 4026531840u);  // mountNamespace
  EXPECT_EQ(open.process().namespaces().pid(), 4026531836u);  // pidNamespace
  EXPECT_EQ(open.file().flags(), static_cast<uint32_t>(O_WRONLY | O_CREAT | O_TRUNC | 0100000));

  const v1::Event& openat = events[1];
  EXPECT_EQ(openat.type(), v1::EVENT_TYPE_OPENAT);
  EXPECT_EQ(openat.result(), 3);
  EXPECT_EQ(openat.file().dirfd(), -100);
  EXPECT_EQ(openat.file().mode(), 438u);
  EXPECT_EQ(openat.file().flags(), static_cast<uint32_t>(O_WRONLY | O_CREAT | O_TRUNC));

  const v1::Event& read = events[2];  // vfs_read in a pid namespace
  EXPECT_EQ(read.type(), v1::EVENT_TYPE_READ);
  EXPECT_EQ(read.pid(), 184128);
  EXPECT_EQ(read.process().vpid(), 182934);
  EXPECT_EQ(read.process().ppid(), 148293);
  EXPECT_EQ(read.file().bytes(), 131072u);
  EXPECT_EQ(read.result(), 17);

  const v1::Event& clone = events[4];
  EXPECT_EQ(clone.type(), v1::EVENT_TYPE_CLONE);
  EXPECT_EQ(clone.result(), 3331757);
  EXPECT_EQ(clone.clone().flags(),
            static_cast<uint64_t>(CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID));

  const v1::Event& close = events[5];
  EXPECT_EQ(close.type(), v1::EVENT_TYPE_CLOSE);
  EXPECT_EQ(close.file().fd(), 3);

  const v1::Event& exec = events[7];
  EXPECT_EQ(exec.type(), v1::EVENT_TYPE_EXECVE);
  EXPECT_EQ(exec.exec().filename(), "/opt/cni/bin/bridge");
  EXPECT_EQ(exec.process().exepath(), "/opt/cni/bin/bridge");
  EXPECT_EQ(exec.process().name(), "bridge");
  EXPECT_EQ(exec.process().start_time_ns(), 1684688250477064221u);
  EXPECT_THAT(exec.process().args(), SizeIs(0));
}

TEST(TraceeImportTest, V1beta1Event) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/runtime/samples/tracee");
  std::vector<v1::Event> events =
      Import(ImportFormat::kTracee, dir + "/tracee_v1beta1_event_example.json");
  ASSERT_THAT(events, SizeIs(1));
  const v1::Event& e = events[0];
  EXPECT_EQ(e.type(), v1::EVENT_TYPE_EXECVE);  // sched_process_exec
  EXPECT_EQ(e.timestamp_ns(), 1732454400123456789u);
  EXPECT_EQ(e.pid(), 12345);
  EXPECT_EQ(e.tid(), 12345);
  EXPECT_EQ(e.process().uid(), 1000);
  EXPECT_EQ(e.process().ppid(), 1234);
  EXPECT_EQ(e.process().exepath(), "/usr/bin/bash");
  EXPECT_EQ(e.process().start_time_ns(), 1732454350000000000u);
  EXPECT_EQ(e.exec().filename(), "/usr/bin/ls");
  EXPECT_THAT(e.exec().args(), ElementsAre("-la", "/tmp"));
  EXPECT_EQ(e.process().exe(), "ls");
  EXPECT_THAT(e.process().args(), ElementsAre("-la", "/tmp"));
}

TEST(ImportTest, ImportedEventsDriveTheEngine) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/runtime/samples/tetragon/docs-soe");
  std::vector<v1::Event> events =
      Import(ImportFormat::kTetragon,
             dir + "/01_reaching_the_host_namespace__privileged-pod-nsenter.json");
  absl::StatusOr<std::unique_ptr<const RuleSet>> rules = RuleSet::LoadContents({{"r.yaml", R"(
- rule: nsenter in a pod
  desc: t
  condition: evt.type = execve and proc.name = nsenter and container.id != host and k8s.ns.name = default and thread.cap_effective contains CAP_SYS_ADMIN
  output: "%proc.cmdline parent=%proc.pname pod=%k8s.pod.name image=%container.image.repository"
  priority: WARNING
)"}});
  ASSERT_THAT(rules, IsOk());
  Engine engine(**rules);
  std::vector<v1::Alert> alerts = engine.ProcessBatch(events);
  ASSERT_THAT(alerts, SizeIs(1));
  EXPECT_EQ(alerts[0].output(),
            "nsenter -t 1 -m -u -n -i -p bash parent=bash pod=privileged-pod image=nginx");
}

TEST(ImportTest, Errors) {
  EXPECT_THAT(ParseImportFormat("falco"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("tetragon or tracee")));
  auto run = [](ImportFormat format, absl::string_view text) {
    return ImportEvents(format, text, "in.json", {}, [](v1::Event&&) { return absl::OkStatus(); });
  };
  EXPECT_THAT(run(ImportFormat::kTetragon, "{\"node_name\": \"x\"}\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a Tetragon event")));
  EXPECT_THAT(run(ImportFormat::kTracee, "{\"eventName\": \"openat\"}\n[1]\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("in.json:2")));
  EXPECT_THAT(run(ImportFormat::kTracee, "{\"x\": 1}"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a Tracee event")));
  EXPECT_THAT(run(ImportFormat::kTetragon, "{\"process_exec\": {}}"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("has no process")));
  EXPECT_THAT(run(ImportFormat::kTracee, "{\n\"eventName\": "),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("in.json")));
  core::Limits limits;
  limits.max_entries = 1;
  EXPECT_THAT(ImportEvents(ImportFormat::kTracee, "{\"eventName\":\"a\"}\n{\"eventName\":\"b\"}\n",
                           "in.json", limits, [](v1::Event&&) { return absl::OkStatus(); }),
              StatusIs(absl::StatusCode::kResourceExhausted));
}

}  // namespace
}  // namespace bulwark::runtime
