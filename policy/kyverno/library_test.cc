// Kyverno's CEL libraries on the examples of Kyverno's CEL library documentation, evaluated
// over supplied data (resources, image metadata, global context entries).
#include "bulwark/policy/kyverno/library.h"

#include <string>

#include "bulwark/core/document.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/policy/cel/cel.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::policy::kyverno {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kDigest[] =
    "sha256:6aefddb645ee6963afd681b1845c661d0ea4c3b20ab9db86d9e753b203d385f2";

core::Value Yaml(const std::string& text) {
  absl::StatusOr<std::vector<core::Value>> docs = core::ParseYaml(text);
  EXPECT_THAT(docs.status(), IsOk());
  return docs.ok() && !docs->empty() ? (*docs)[0] : core::Value();
}

class LibraryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_THAT(data_.AddContextDocument(Yaml(R"(
apiVersion: cli.kyverno.io/v1alpha1
kind: Context
spec:
  resources:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: clusterregistries, namespace: default}
    data: {registries: "ghcr.io"}
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web, namespace: team-a, labels: {env: prod}}
    spec: {replicas: 5}
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: worker, namespace: team-b, labels: {env: dev}}
    spec: {replicas: 1}
  - apiVersion: v1
    kind: Service
    metadata: {name: alpha, namespace: default}
  - apiVersion: v1
    kind: Service
    metadata: {name: beta, namespace: default}
  images:
  - image: nginx:1.21
    resolvedImage: index.docker.io/library/nginx@sha256:6aefddb645ee6963afd681b1845c661d0ea4c3b20ab9db86d9e753b203d385f2
    registry: index.docker.io
    repository: library/nginx
    tag: "1.21"
    config: {architecture: amd64, os: linux}
    manifest: {schemaVersion: 2, mediaType: application/vnd.docker.distribution.manifest.v2+json, layers: [{mediaType: application/vnd.docker.image.rootfs.diff.tar.gzip}]}
  globalContext:
    team-cluster-values: {someValue: enabled}
    deployment-count: 3
)"),
                                         "context.yaml"),
                IsOk());
    object_ = Yaml(R"(
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: team-a}
spec:
  containers:
  - {name: a, image: ghcr.io/org/a:1}
  - {name: b, image: "ghcr.io/org/b@sha256:6aefddb645ee6963afd681b1845c661d0ea4c3b20ab9db86d9e753b203d385f2"}
)");
  }

  absl::StatusOr<cel::Value> Eval(const std::string& expression,
                                  const ExceptionAllowances& allowances = {}) {
    cel::Env env;
    env.DeclareVariable("object");
    DeclareVariables(env);
    env.function_library = &Library();
    absl::StatusOr<std::shared_ptr<const cel::Program>> program = cel::Compile(expression, env);
    if (!program.ok()) return program.status();
    cel::Activation activation;
    activation.BindDocument("object", object_);
    BindVariables(&data_, allowances, activation);
    absl::StatusOr<cel::Value> value = (*program)->Evaluate(activation);
    if (!value.ok()) return value.status();
    return value->Detach();
  }

  void ExpectTrue(const std::string& expression) {
    absl::StatusOr<cel::Value> value = Eval(expression);
    ASSERT_THAT(value.status(), IsOk()) << expression;
    EXPECT_TRUE(value->is_bool() && value->bool_value())
        << expression << " = " << value->DebugString();
  }

  void ExpectString(const std::string& expression, const std::string& expected) {
    absl::StatusOr<cel::Value> value = Eval(expression);
    ASSERT_THAT(value.status(), IsOk()) << expression;
    ASSERT_TRUE(value->is_string()) << expression << " = " << value->DebugString();
    EXPECT_EQ(value->string_value(), expected) << expression;
  }

  ExternalData data_;
  core::Value object_;
};

TEST_F(LibraryTest, ImageLibrary) {
  ExpectString(R"(image("nginx:latest").registry())", "index.docker.io");
  ExpectString(R"(image("nginx:latest").repository())", "library/nginx");
  ExpectString(R"(image("nginx:latest").identifier())", "latest");
  ExpectString(R"(image("nginx:latest").tag())", "latest");
  ExpectString(std::string(R"(image("nginx@)") + kDigest + R"(").digest())", kDigest);
  ExpectTrue(R"(isImage("nginx:latest"))");
  ExpectTrue(R"(!isImage("registry.k8s.io/kube-apiserver-arm64:@"))");
  ExpectTrue(R"(!image("nginx:latest").containsDigest())");
  ExpectTrue(
      R"(parseImageReference("registry.k8s.io/kube-apiserver-arm64").registry() == "registry.k8s.io")");
  ExpectTrue(
      R"x(parseImageReference("registry.k8s.io/kube-apiserver-arm64").registry().matches("(registry.k8s.io|ghcr.io)"))x");
  ExpectTrue(
      R"(object.spec.containers.map(c, image(c.image)).map(i, i.registry()).all(r, r == "ghcr.io"))");
  ExpectTrue(R"(!object.spec.containers.map(c, image(c.image)).all(i, i.containsDigest()))");
  ExpectTrue(R"(object.spec.containers.map(c, image(c.image)).exists(i, i.containsDigest()))");
  ExpectTrue(R"(image("nginx") == image("nginx") && image("nginx") != image("redis"))");
  ExpectString(R"(string(image("nginx:1.2")))", "nginx:1.2");
  EXPECT_THAT(Eval(R"(parseImageReference("registry.k8s.io/kube-apiserver-arm64:@"))"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("could not parse reference: "
                                 "registry.k8s.io/kube-apiserver-arm64:@")));
  EXPECT_THAT(Eval("isImage(0)"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no such overload")));
}

TEST_F(LibraryTest, ResourceLibrary) {
  ExpectString(
      R"(resource.Get("v1", "configmaps", "default", "clusterregistries").data["registries"])",
      "ghcr.io");
  ExpectTrue(R"(resource.List("apps/v1", "deployments", "").items.size() == 2)");
  ExpectTrue(
      R"(resource.List("apps/v1", "deployments", object.metadata.namespace).items.exists(d, d.spec.replicas > 3))");
  ExpectTrue(
      R"(resource.List("apps/v1", "deployments", "team-b").items.all(d, d.spec.replicas < 3))");
  ExpectTrue(
      R"(resource.List("apps/v1", "deployments", "", {"env": "prod"}).items.map(d, d.metadata.name) == ["web"])");
  ExpectTrue(R"(resource.List("apps/v1", "deployments", "", {"env": "qa"}).items.size() == 0)");
  ExpectTrue(
      R"(resource.List("v1", "services", "default").items.map(s, s.metadata.name).isSorted())");
  ExpectTrue(R"(resource.List("v1", "secrets", "default").items.size() == 0)");
  EXPECT_THAT(Eval(R"(resource.Get("v1", "configmaps", "default", "missing"))"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("configmaps \"missing\" not found")));
  EXPECT_THAT(Eval(R"(resource.Get("apps/v1", "configmaps", "default", "clusterregistries"))"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(
      Eval(
          R"(resource.Post("authorization.k8s.io/v1", "subjectaccessreviews", {"kind": "SubjectAccessReview"}))"),
      StatusIs(absl::StatusCode::kUnimplemented, HasSubstr("not available offline")));
}

TEST_F(LibraryTest, GlobalContextLibrary) {
  ExpectTrue(R"(globalContext.Get("team-cluster-values", "").someValue == "enabled")");
  ExpectString(R"(globalContext.Get("team-cluster-values", "someValue"))", "enabled");
  ExpectTrue(R"(globalContext.Get("deployment-count", "") != 0)");
  ExpectTrue(R"(globalContext.Get("not-supplied", "") == null)");
  EXPECT_THAT(Eval(R"(globalContext.Get("team-cluster-values", "other"))"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("projection \"other\"")));
}

TEST_F(LibraryTest, ImageDataLibrary) {
  ExpectTrue(R"(image.GetMetadata("nginx:1.21").config.architecture == "amd64")");
  ExpectTrue(R"(image.GetMetadata("nginx:1.21").config.os == "linux")");
  ExpectTrue(R"(image.GetMetadata("nginx:1.21").manifest.schemaVersion == 2)");
  ExpectTrue(
      R"(image.GetMetadata("nginx:1.21").manifest.layers.all(l, l.mediaType.startsWith("application/vnd.docker")))");
  EXPECT_THAT(Eval(R"(image.GetMetadata("nginx:1.22").config.os)"),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("image data for nginx:1.22 not found in the context")));
  // `image` the variable and `image(...)` the function coexist.
  ExpectTrue(
      R"(image(image.GetMetadata("nginx:1.21").resolvedImage).repository() == "library/nginx")");
}

TEST_F(LibraryTest, HttpLibraryFailsOffline) {
  for (
      const char* expression : {
          R"(http.Get("https://internal.api/health").status == "ok")",
          R"(http.Get("https://internal.api/health", {"Authorization": "x"}))",
          R"(http.Post("https://audit.api/log", {"kind": object.kind}, {"Content-Type": "application/json"}).logged == true)",
      }) {
    EXPECT_THAT(Eval(expression),
                StatusIs(absl::StatusCode::kUnimplemented, HasSubstr("not available offline")))
        << expression;
  }
}

TEST_F(LibraryTest, UserLibrary) {
  ExpectString(
      R"(parseServiceAccount("system:serviceaccount:kube-system:replicaset-controller").Name)",
      "replicaset-controller");
  ExpectString(
      R"(parseServiceAccount("system:serviceaccount:kube-system:replicaset-controller").Namespace)",
      "kube-system");
  ExpectTrue(
      R"(parseServiceAccount("alice").Name == "" && parseServiceAccount("alice").Namespace == "")");
  ExpectTrue(R"(parseServiceAccount("system:serviceaccount:team-").Name == "")");
}

TEST_F(LibraryTest, ExceptionAllowances) {
  absl::StatusOr<cel::Value> value = Eval(
      R"(object.spec.containers.all(c, c.image.startsWith("ghcr.io/org/a") || c.image in exceptions.allowedImages))",
      {{"ghcr.io/org/b@sha256:6aefddb645ee6963afd681b1845c661d0ea4c3b20ab9db86d9e753b203d385f2"},
       {}});
  ASSERT_THAT(value.status(), IsOk());
  EXPECT_TRUE(value->bool_value());
  ExpectTrue("exceptions.allowedValues.size() == 0");
}

TEST_F(LibraryTest, NothingSupplied) {
  cel::Env env;
  DeclareVariables(env);
  env.function_library = &Library();
  auto program = cel::Compile(R"(resource.Get("v1", "configmaps", "default", "x"))", env);
  ASSERT_THAT(program.status(), IsOk());
  cel::Activation activation;
  BindVariables(nullptr, {}, activation);
  EXPECT_THAT((*program)->Evaluate(activation),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no resources were supplied")));
}

TEST_F(LibraryTest, OnlyEnvsNamingTheLibrarySeeIt) {
  cel::Env env;
  EXPECT_THAT(
      cel::Compile(R"(image("nginx").registry())", env),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("undeclared reference to 'image'")));
}

TEST(ContextDocumentTest, Errors) {
  ExternalData data;
  EXPECT_THAT(data.AddContextDocument(Yaml("apiVersion: v1\nkind: ConfigMap\n"), "c.yaml"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("c.yaml: kind")));
  EXPECT_THAT(data.AddContextDocument(Yaml(R"(
apiVersion: cli.kyverno.io/v1alpha1
kind: Context
spec:
  resources:
  - {apiVersion: v1, kind: ConfigMap, metadata: {namespace: x}}
)"),
                                      "c.yaml"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("spec.resources[0]")));
  EXPECT_THAT(data.AddContextDocument(Yaml(R"(
apiVersion: cli.kyverno.io/v1alpha1
kind: Context
spec:
  images: [{config: {}}]
)"),
                                      "c.yaml"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("spec.images[0].image")));
}

}  // namespace
}  // namespace bulwark::policy::kyverno
