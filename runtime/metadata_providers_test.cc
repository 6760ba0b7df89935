// Offline metadata providers over state directories and pod lists written by the test in the
// layouts Docker, containerd's CRI plugin, CRI-O and kubectl use, and through the engine.
#include "bulwark/runtime/metadata_providers.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "bulwark/core/status_matchers.h"
#include "bulwark/runtime/engine.h"
#include "bulwark/runtime/rule_set.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::runtime {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kDockerId[] = "4f0c5dd16e5bb3f2e0c1d3ddd8c0b6f5a43bcb7b0d0d5f8b8e1a2c3d4e5f6a7b";
constexpr char kContainerdId[] = "9a8b7c6d5e4f30211f2e3d4c5b6a79880a1b2c3d4e5f60718293a4b5c6d7e8f9";
constexpr char kCrioId[] = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00";

void Write(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

class MetadataProvidersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::path(::testing::TempDir()) / "metadata";
    std::filesystem::remove_all(root_);
    // Docker (cri-dockerd naming): config.v2.json and hostconfig.json.
    const std::filesystem::path docker = root_ / "docker/containers" / kDockerId;
    Write(docker / "config.v2.json", std::string(R"({"ID":")") + kDockerId + R"(",
      "Name":"/k8s_web_web-0_prod_1111_0","Image":"sha256:aaaabbbb",
      "Config":{"Image":"registry.example/shop/web:2.1","Labels":{
        "io.kubernetes.pod.name":"web-0","io.kubernetes.pod.namespace":"prod",
        "io.kubernetes.pod.uid":"1111","io.kubernetes.container.name":"web","team":"shop"}},
      "State":{"Running":true,"StartedAt":"2026-11-29T06:00:00.5Z"},
      "MountPoints":{"/var/run/docker.sock":{"Source":"/var/run/docker.sock",
        "Destination":"/var/run/docker.sock","RW":true,"Mode":"","Propagation":"rprivate"}}})");
    Write(docker / "hostconfig.json", R"({"Privileged":true,"Binds":[]})");
    // containerd CRI task bundle.
    Write(root_ / "k8s.io" / kContainerdId / "config.json", R"({"ociVersion":"1.1.0",
      "annotations":{"io.kubernetes.cri.container-type":"container",
        "io.kubernetes.cri.container-name":"api","io.kubernetes.cri.image-name":"ghcr.io/acme/api:v3",
        "io.kubernetes.cri.sandbox-name":"api-7d9f","io.kubernetes.cri.sandbox-namespace":"payments",
        "io.kubernetes.cri.sandbox-uid":"2222"},
      "mounts":[{"destination":"/etc/hosts","type":"bind","source":"/var/lib/kubelet/pods/2222/etc-hosts","options":["rbind","ro"]}]})");
    // CRI-O keeps the spec under userdata/.
    Write(root_ / "overlay-containers" / kCrioId / "userdata/config.json", R"({
      "annotations":{"io.kubernetes.pod.name":"db-0","io.kubernetes.pod.namespace":"data",
        "io.kubernetes.pod.uid":"3333","io.kubernetes.container.name":"postgres",
        "io.kubernetes.cri-o.ImageName":"docker.io/library/postgres:16",
        "io.kubernetes.cri-o.Labels":"{\"io.kubernetes.pod.name\":\"db-0\",\"tier\":\"db\"}"}})");
  }
  std::filesystem::path root_;
};

TEST_F(MetadataProvidersTest, DockerStateDirectory) {
  DockerStateProvider docker((root_ / "docker").string());
  absl::StatusOr<v1::Container> c = docker.Read(std::string(kDockerId, 12));
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->id(), "4f0c5dd16e5b");
  EXPECT_EQ(c->full_id(), kDockerId);
  EXPECT_EQ(c->runtime(), "docker");
  EXPECT_EQ(c->name(), "web");
  EXPECT_EQ(c->image(), "registry.example/shop/web:2.1");
  EXPECT_EQ(c->image_repository(), "registry.example/shop/web");
  EXPECT_EQ(c->image_tag(), "2.1");
  EXPECT_EQ(c->image_digest(), "sha256:aaaabbbb");
  EXPECT_TRUE(c->privileged());
  EXPECT_EQ(c->k8s_pod_name(), "web-0");
  EXPECT_EQ(c->k8s_namespace(), "prod");
  EXPECT_EQ(c->k8s_pod_uid(), "1111");
  EXPECT_EQ(c->labels().at("team"), "shop");
  EXPECT_EQ(c->start_time_ns(), 1795932000500000000u);
  ASSERT_EQ(c->mounts_size(), 1);
  EXPECT_EQ(c->mounts(0).destination(), "/var/run/docker.sock");
  EXPECT_TRUE(c->mounts(0).read_write());
  EXPECT_THAT(docker.Read("0123456789ab"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(docker.Read("../../etc/x"), StatusIs(absl::StatusCode::kInvalidArgument));
  Write(root_ / "docker/containers" / kCrioId / "config.v2.json", "{\"ID\": ");
  EXPECT_THAT(docker.Read(kCrioId), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_FALSE(docker.Lookup(kCrioId).has_value());
}

TEST_F(MetadataProvidersTest, OciBundlesOfContainerdAndCrio) {
  OciBundleProvider bundles({(root_ / "k8s.io").string(), (root_ / "overlay-containers").string()});
  absl::StatusOr<v1::Container> api = bundles.Read(std::string(kContainerdId, 12));
  ASSERT_THAT(api, IsOk());
  EXPECT_EQ(api->runtime(), "containerd");
  EXPECT_EQ(api->name(), "api");
  EXPECT_EQ(api->image_repository(), "ghcr.io/acme/api");
  EXPECT_EQ(api->k8s_pod_name(), "api-7d9f");
  EXPECT_EQ(api->k8s_namespace(), "payments");
  EXPECT_EQ(api->k8s_pod_uid(), "2222");
  ASSERT_EQ(api->mounts_size(), 1);
  EXPECT_FALSE(api->mounts(0).read_write());
  absl::StatusOr<v1::Container> db = bundles.Read(std::string(kCrioId, 12));
  ASSERT_THAT(db, IsOk());
  EXPECT_EQ(db->runtime(), "cri-o");
  EXPECT_EQ(db->name(), "postgres");
  EXPECT_EQ(db->image_tag(), "16");
  EXPECT_EQ(db->k8s_namespace(), "data");
  EXPECT_EQ(db->labels().at("tier"), "db");
}

constexpr char kPods[] = R"({"apiVersion":"v1","kind":"List","items":[
 {"metadata":{"name":"web-0","namespace":"prod","uid":"1111","labels":{"app":"web"}},
  "spec":{"containers":[{"name":"web","securityContext":{"privileged":true}},{"name":"sidecar"}]},
  "status":{"phase":"Running","containerStatuses":[
   {"name":"web","containerID":"docker://4f0c5dd16e5bb3f2e0c1d3ddd8c0b6f5a43bcb7b0d0d5f8b8e1a2c3d4e5f6a7b",
    "image":"registry.example/shop/web:2.1","imageID":"docker-pullable://registry.example/shop/web@sha256:cafe",
    "state":{"running":{"startedAt":"2026-11-29T06:00:00Z"}}},
   {"name":"sidecar","containerID":"containerd://9a8b7c6d5e4f30211f2e3d4c5b6a79880a1b2c3d4e5f60718293a4b5c6d7e8f9",
    "image":"envoy:1.30","imageID":""}]}},
 {"metadata":{"name":"pending","namespace":"prod"},"status":{"phase":"Pending",
  "containerStatuses":[{"name":"x","image":"x:1"}]}}]})";

TEST(PodListProviderTest, KubectlPodList) {
  absl::StatusOr<std::unique_ptr<PodListProvider>> pods = PodListProvider::FromJson(kPods);
  ASSERT_THAT(pods, IsOk());
  EXPECT_EQ((*pods)->container_count(), 2u);
  std::optional<v1::Container> web = (*pods)->Lookup("4f0c5dd16e5b");
  ASSERT_TRUE(web.has_value());
  EXPECT_EQ(web->runtime(), "docker");
  EXPECT_EQ(web->name(), "web");
  EXPECT_TRUE(web->privileged());
  EXPECT_EQ(web->image_digest(), "sha256:cafe");
  EXPECT_EQ(web->k8s_pod_labels().at("app"), "web");
  EXPECT_EQ(web->start_time_ns(), 1795932000000000000u);
  std::optional<v1::Container> sidecar = (*pods)->Lookup("9a8b7c6d5e4f");
  ASSERT_TRUE(sidecar.has_value());
  EXPECT_EQ(sidecar->runtime(), "containerd");
  EXPECT_FALSE(sidecar->privileged());
  EXPECT_EQ(sidecar->k8s_pod_name(), "web-0");
}

TEST(PodListProviderTest, ErrorsNamePositionAndPath) {
  EXPECT_THAT(PodListProvider::FromJson(R"({"items": [)", "pods.json"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("pods.json")));
  EXPECT_THAT(
      PodListProvider::FromJson("{\"items\":\n  {\"a\":1}}", "pods.json"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("pods.json:2:3: $.items must be")));
  EXPECT_THAT(
      PodListProvider::FromJson(R"({"items":[{"status":{"containerStatuses":[7]}}]})", "p.json"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("$.items[0].status.containerStatuses[0] must be an object")));
  core::Limits tiny;
  tiny.max_file_bytes = 8;
  EXPECT_THAT(PodListProvider::FromJson(kPods, "p.json", tiny), ::testing::Not(IsOk()));
}

TEST_F(MetadataProvidersTest, ChainFeedsKubernetesFieldsToRules) {
  absl::StatusOr<std::unique_ptr<PodListProvider>> pods = PodListProvider::FromJson(kPods);
  ASSERT_THAT(pods, IsOk());
  DockerStateProvider docker((root_ / "docker").string());
  ChainedProvider chain({pods->get(), &docker});
  std::optional<v1::Container> merged = chain.Lookup("4f0c5dd16e5b");
  ASSERT_TRUE(merged.has_value());
  EXPECT_EQ(merged->image_digest(), "sha256:cafe");  // The pod list comes first.
  EXPECT_EQ(merged->labels().at("team"), "shop");    // Only Docker knows the labels.
  EXPECT_EQ(merged->mounts_size(), 1);

  absl::StatusOr<std::unique_ptr<const RuleSet>> rules = RuleSet::LoadContents({{"k8s.yaml", R"yaml(
- rule: Shell in production pod
  desc: t
  condition: evt.type = execve and k8s.ns.name = prod and k8s.pod.label[app] = web
  output: "%proc.name in %k8s.ns.name/%k8s.pod.name (%container.image.repository)"
  priority: WARNING
)yaml"}});
  ASSERT_THAT(rules, IsOk());
  EngineOptions options;
  options.state.metadata_provider = &chain;
  Engine engine(**rules, options);
  v1::Event exec;
  exec.set_type(v1::EVENT_TYPE_EXECVE);
  exec.set_pid(77);
  exec.mutable_process()->set_name("sh");
  exec.mutable_process()->add_cgroups(std::string("0::/kubepods/besteffort/pod1111/") + kDockerId);
  std::vector<v1::Alert> alerts = engine.Process(exec);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].output(), "sh in prod/web-0 (registry.example/shop/web)");
}

}  // namespace
}  // namespace bulwark::runtime
