// The admission check every Kubernetes CEL engine runs most:
//   object.spec.containers.all(c, !has(c.securityContext) || c.securityContext.privileged != true)
// on a 10-container pod (core::Value from JSON). Compared in the same process with the same
// condition written by hand in C++ (the floor) and with compiling (parse [+ check] + plan) from
// source on every call.
// Results go to docs/performance.md ("CEL" section); bench/cel_npm.sh adds the npm engines.
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "bulwark/core/document.h"
#include "bulwark/policy/cel/cel.h"

namespace bulwark::cel {
namespace {

constexpr char kExpression[] =
    "object.spec.containers.all(c, !has(c.securityContext) || "
    "c.securityContext.privileged != true)";

// Ten containers; every other one has a securityContext with privileged: false, so the whole
// list is walked and the result is true.
const core::Value& Pod() {
  static const core::Value* pod = [] {
    std::string json = R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},"spec":{"containers":[)";
    for (int i = 0; i < 10; ++i) {
      if (i > 0) json += ",";
      absl::StrAppend(&json, R"({"name":"c)", i, R"(","image":"registry.example/app:)", i, R"(")");
      if (i % 2 == 0) json += R"(,"securityContext":{"privileged":false,"runAsNonRoot":true})";
      json += "}";
    }
    json += "]}}";
    auto parsed = core::ParseJson(json);
    return new core::Value(*std::move(parsed));
  }();
  return *pod;
}

Env PodEnv() {
  Env env;
  env.DeclareVariable("object");
  return env;
}

void BM_CelCompiledEvaluate(benchmark::State& state) {
  auto program = Compile(kExpression, PodEnv());
  if (!program.ok()) {
    state.SkipWithError(std::string(program.status().message()).c_str());
    return;
  }
  const core::Value& pod = Pod();
  for (auto _ : state) {
    Activation activation;
    activation.BindDocument("object", pod);
    absl::StatusOr<Value> result = (*program)->Evaluate(activation);
    benchmark::DoNotOptimize(result);
    if (!result.ok() || !result->bool_value()) state.SkipWithError("unexpected result");
  }
}
BENCHMARK(BM_CelCompiledEvaluate);

// The same condition written by hand over the same document.
void BM_HandWrittenCheck(benchmark::State& state) {
  const core::Value& pod = Pod();
  for (auto _ : state) {
    bool ok = true;
    const core::Value* spec = pod.Find("spec");
    const core::Value* containers = spec != nullptr ? spec->Find("containers") : nullptr;
    if (containers != nullptr && containers->is_list()) {
      for (const core::Value& c : containers->list_value()) {
        const core::Value* sc = c.Find("securityContext");
        if (sc == nullptr) continue;
        const core::Value* privileged = sc->Find("privileged");
        if (privileged != nullptr && privileged->is_bool() && privileged->bool_value()) {
          ok = false;
          break;
        }
      }
    }
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK(BM_HandWrittenCheck);

// Parse, plan and evaluate from source on every call (arg 1: type-check too, with `object`
// declared as map(string, dyn)).
void BM_CelCompileAndEvaluate(benchmark::State& state) {
  const core::Value& pod = Pod();
  Env env = PodEnv();
  if (state.range(0) == 1) env.DeclareVariable("object", Type::Map(Type::String(), Type::Dyn()));
  for (auto _ : state) {
    auto program = Compile(kExpression, env);
    Activation activation;
    activation.BindDocument("object", pod);
    absl::StatusOr<Value> result = (*program)->Evaluate(activation);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_CelCompileAndEvaluate)->Arg(0)->Arg(1);

}  // namespace
}  // namespace bulwark::cel
