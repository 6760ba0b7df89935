// One compiled Program evaluated from 8 threads at once. CI runs this target under
// ThreadSanitizer as well (bazel/test.sh: `bazel test --config=tsan
// //policy/cel:concurrency_test`); it binds JSON documents only, because Debian's libprotobuf is
// not TSan-instrumented (see docs/cel.md, "Thread safety").
#include <thread>
#include <vector>

#include "bulwark/core/document.h"
#include "bulwark/policy/cel/cel.h"
#include "gtest/gtest.h"

namespace bulwark::cel {
namespace {

constexpr char kPod[] = R"({
  "metadata": {"name": "web", "labels": {"app": "web", "tier": "frontend"}},
  "spec": {"containers": [
    {"name": "a", "image": "nginx:1.25", "securityContext": {"privileged": false}},
    {"name": "b", "image": "busybox"},
    {"name": "c", "image": "evil", "securityContext": {"privileged": true}}
  ]}
})";

TEST(ConcurrencyTest, OneProgramFromEightThreads) {
  absl::StatusOr<core::Value> pod = core::ParseJson(kPod);
  ASSERT_TRUE(pod.ok()) << pod.status();
  Env env;
  env.DeclareVariable("object");
  // Document selection and quantifiers (per-call slots), list and string building, regular
  // expressions, and the Kubernetes format library's shared pattern cache.
  auto program = Compile(
      "object.spec.containers.exists(c, c.image.startsWith('nginx')) && "
      "!object.spec.containers.all(c, !has(c.securityContext) || "
      "c.securityContext.privileged != true) && "
      "object.spec.containers.map(c, c.name).join(',') == 'a,b,c' && "
      "object.metadata.labels.all(k, v, k.matches('^[a-z]+$') && v.size() > 0) && "
      "format.dns1123Label().validate(object.metadata.name) == optional.none() && "
      "{'k': [1, 2u, 3.0]}.k.all(x, x > 0)",
      env);
  ASSERT_TRUE(program.ok()) << program.status();
  std::vector<std::thread> threads;
  std::vector<int> ok(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        Activation activation;
        activation.BindDocument("object", *pod);
        absl::StatusOr<Value> r = (*program)->Evaluate(activation);
        if (r.ok() && r->is_bool() && r->bool_value()) ++ok[t];
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int t = 0; t < 8; ++t) EXPECT_EQ(ok[t], 500) << "thread " << t;
}

}  // namespace
}  // namespace bulwark::cel
