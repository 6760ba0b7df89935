// Cost of building core::Value documents over the parsers underneath: ParseJson against
// simdjson's DOM parser alone, and ParseYaml against yaml-cpp's YAML::Load alone, on the same
// bytes. bench/run reports the overhead ratios in docs/performance.md.
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "bulwark/core/document.h"
#include "simdjson.h"
#include "yaml-cpp/yaml.h"

namespace bulwark::core {
namespace {

// A Kubernetes-style PodList: nested maps, lists, strings, numbers and booleans as real
// admission payloads have them. `pods` controls the size (about 1 KiB per pod).
std::string PodListJson(int pods) {
  std::string json = R"({"apiVersion":"v1","kind":"PodList","items":[)";
  for (int i = 0; i < pods; ++i) {
    if (i > 0) json += ",";
    absl::StrAppend(
        &json, R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-)", i,
        R"(","namespace":"prod","uid":"4f1c)", i,
        R"(-a8e2","labels":{"app.kubernetes.io/name":"web","tier":"frontend","pod-template-hash":"7d9f)",
        i % 97,
        R"("},"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-28T12:00:00Z"}},)"
        R"("spec":{"serviceAccountName":"web","hostNetwork":false,"containers":[{"name":"app",)"
        R"("image":"registry.example/web@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",)"
        R"("ports":[{"containerPort":8080,"protocol":"TCP"}],"resources":{"limits":{"cpu":"500m",)"
        R"("memory":"256Mi"},"requests":{"cpu":0.25,"memory":"128Mi"}},"securityContext":)"
        R"({"runAsNonRoot":true,"runAsUser":10001,"allowPrivilegeEscalation":false,)"
        R"("capabilities":{"drop":["ALL"]},"readOnlyRootFilesystem":true},"env":[{"name":"MODE",)"
        R"("value":"production"},{"name":"REPLICA","value":")",
        i, R"("}]}]},"status":{"phase":"Running","restartCount":)", i % 5, "}}");
  }
  return json + "]}";
}

const std::string& Json() {
  static const std::string* const kJson = new std::string(PodListJson(8000));
  return *kJson;
}

// The same document as YAML (block style), made by yaml-cpp's emitter from the JSON text.
const std::string& Yaml() {
  static const std::string* const kYaml = [] {
    YAML::Emitter emitter;
    emitter << YAML::Load(PodListJson(800));
    return new std::string(emitter.c_str());
  }();
  return *kYaml;
}

void BM_ParseJsonToValue(benchmark::State& state) {
  const std::string& json = Json();
  for (auto _ : state) {
    auto value = ParseJson(json);
    if (!value.ok()) state.SkipWithError(std::string(value.status().message()).c_str());
    benchmark::DoNotOptimize(value);
  }
  state.SetBytesProcessed(state.iterations() * json.size());
}

// Baseline: simdjson's DOM parser alone (validates and builds its tape; no Value tree), with the
// same copy into a padded buffer that ParseJson makes.
void BM_SimdjsonDomOnly(benchmark::State& state) {
  const std::string& json = Json();
  simdjson::dom::parser parser;
  for (auto _ : state) {
    simdjson::padded_string padded(json.data(), json.size());
    auto element = parser.parse(padded);
    if (element.error()) state.SkipWithError("simdjson rejected the document");
    benchmark::DoNotOptimize(element);
  }
  state.SetBytesProcessed(state.iterations() * json.size());
}

void BM_ParseYamlToValue(benchmark::State& state) {
  const std::string& yaml = Yaml();
  for (auto _ : state) {
    auto documents = ParseYaml(yaml);
    if (!documents.ok()) state.SkipWithError(std::string(documents.status().message()).c_str());
    benchmark::DoNotOptimize(documents);
  }
  state.SetBytesProcessed(state.iterations() * yaml.size());
}

// Baseline: yaml-cpp's own node graph (YAML::Load), no Value tree.
void BM_YamlCppLoadOnly(benchmark::State& state) {
  const std::string& yaml = Yaml();
  for (auto _ : state) {
    YAML::Node node = YAML::Load(yaml);
    benchmark::DoNotOptimize(node);
  }
  state.SetBytesProcessed(state.iterations() * yaml.size());
}

BENCHMARK(BM_ParseJsonToValue)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SimdjsonDomOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseYamlToValue)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_YamlCppLoadOnly)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bulwark::core
