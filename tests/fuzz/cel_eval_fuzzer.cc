// Fuzzes parse + check + estimate + plan + evaluate under a small cost budget with a document
// bound to `object`: nothing may crash and evaluation must stop within the budget (comprehension
// bombs, quadratic string building and deep structures end as ResourceExhausted errors). Inputs
// of odd length are type-checked against typed declarations, even ones run unchecked.
#include <cstdint>
#include <cstdlib>

#include "bulwark/core/document.h"
#include "bulwark/policy/cel/cel.h"

namespace {

const bulwark::core::Value& Object() {
  static const bulwark::core::Value* object = [] {
    auto parsed = bulwark::core::ParseJson(
        R"({"metadata":{"name":"web","labels":{"app":"web"}},"spec":{"replicas":3,)"
        R"("containers":[{"name":"a","image":"nginx","securityContext":{"privileged":true}},)"
        R"({"name":"b","image":"busybox","ports":[80,443]}]}})");
    return new bulwark::core::Value(*std::move(parsed));
  }();
  return *object;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view source(reinterpret_cast<const char*>(data), size);
  bulwark::cel::Env env;
  if (size % 2 == 1) {
    env.DeclareVariable("object", bulwark::cel::Type::Map(bulwark::cel::Type::String(),
                                                          bulwark::cel::Type::Dyn()));
    env.DeclareVariable("names", bulwark::cel::Type::List(bulwark::cel::Type::String()));
  } else {
    env.DeclareVariable("object");
    env.allow_undeclared = true;
  }
  env.parse_options.max_source_bytes = 10'000;
  env.limits.cost_budget = 100'000;
  env.limits.max_collection_size = 100'000;
  auto program = bulwark::cel::Compile(source, env);
  if (!program.ok()) return 0;
  bulwark::cel::Activation activation;
  activation.BindDocument("object", Object());
  activation.Bind("names", bulwark::cel::Value::List({bulwark::cel::Value::String("a")}));
  bulwark::cel::EvalDetails details;
  auto result = (*program)->Evaluate(activation, &details);
  if (result.ok()) {
    // Rendering walks the whole result; it must terminate too.
    (void)result->DebugString();
  }
  return 0;
}
