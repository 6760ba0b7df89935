// Cost of the admission layer over a bare CEL evaluation: the same privileged-container check
// evaluated as a compiled CEL program on a 10-container pod (the baseline), as a
// ValidatingAdmissionPolicy through PolicySet::Evaluate (request attributes, namespace object,
// activation, result), and as a Kyverno ValidatingPolicy on a Deployment (autogen rule).
//   bazel run -c opt //policy/admission:policy_set_benchmark
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "bulwark/core/document.h"
#include "bulwark/policy/admission/policy_set.h"
#include "bulwark/policy/cel/cel.h"

namespace bulwark::policy {
namespace {

constexpr char kCheck[] =
    "object.spec.containers.all(c, !has(c.securityContext) || "
    "c.securityContext.privileged != true)";

std::string PodSpec() {
  std::string containers;
  for (int i = 0; i < 10; ++i) {
    absl::StrAppend(&containers, i ? "," : "", R"({"name":"c)", i,
                    R"(","image":"nginx","securityContext":{"privileged":false}})");
  }
  return absl::StrCat(R"({"containers":[)", containers, "]}");
}

core::Value Pod() {
  return *core::ParseJson(absl::StrCat(
      R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default"},"spec":)",
      PodSpec(), "}"));
}

core::Value Deployment() {
  return *core::ParseJson(
      absl::StrCat(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},)",
                   R"("spec":{"template":{"metadata":{},"spec":)", PodSpec(), "}}}"));
}

std::unique_ptr<const PolicySet> Policies(const std::string& yaml) {
  std::vector<core::Value> parsed = *core::ParseYaml(yaml);
  std::vector<SourceDocument> docs;
  for (core::Value& doc : parsed) docs.push_back({"bench", std::move(doc)});
  return *PolicySet::FromDocuments(std::move(docs));
}

void BM_CelProgram(benchmark::State& state) {
  cel::Env env;
  env.DeclareVariable("object");
  auto program = *cel::Compile(kCheck, env);
  core::Value pod = Pod();
  for (auto _ : state) {
    cel::Activation activation;
    activation.BindDocument("object", pod);
    benchmark::DoNotOptimize(program->Evaluate(activation));
  }
}
BENCHMARK(BM_CelProgram);

void BM_ValidatingAdmissionPolicy(benchmark::State& state) {
  auto policies = Policies(absl::StrCat(R"(
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: p}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
  validations: [{expression: ")",
                                        kCheck, R"("}]
)"));
  core::Value pod = Pod();
  for (auto _ : state) benchmark::DoNotOptimize(policies->EvaluateObject(pod));
}
BENCHMARK(BM_ValidatingAdmissionPolicy);

void BM_KyvernoAutogenDeployment(benchmark::State& state) {
  auto policies = Policies(absl::StrCat(R"(
apiVersion: policies.kyverno.io/v1alpha1
kind: ValidatingPolicy
metadata: {name: k}
spec:
  validationActions: [Deny]
  matchConstraints:
    resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
  validations: [{expression: ")",
                                        kCheck, R"("}]
)"));
  core::Value deployment = Deployment();
  for (auto _ : state) benchmark::DoNotOptimize(policies->EvaluateObject(deployment));
}
BENCHMARK(BM_KyvernoAutogenDeployment);

}  // namespace
}  // namespace bulwark::policy
