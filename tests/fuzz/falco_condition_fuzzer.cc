// Fuzzes the Falco condition parser and compiler: any text must give a tree or an error, never a
// crash or a hang; a compiled condition must evaluate on an empty event.
#include <cstdint>

#include "bulwark/runtime/event.pb.h"
#include "bulwark/runtime/internal/compiled_condition.h"
#include "bulwark/runtime/internal/condition_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace internal = bulwark::runtime::internal;
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto ast = internal::ParseCondition(text);
  if (!ast.ok()) return 0;
  absl::flat_hash_map<std::string, std::vector<std::string>> lists = {{"shells", {"sh", "bash"}}};
  internal::CompileScope scope;
  scope.lists = &lists;
  auto node = internal::CompileCondition(**ast, scope, nullptr);
  if (!node.ok()) return 0;
  bulwark::runtime::v1::Event event;
  event.set_type(bulwark::runtime::v1::EVENT_TYPE_OPENAT);
  event.mutable_file()->set_path("/etc/shadow");
  internal::ExtractContext context(event, nullptr, nullptr, nullptr);
  (void)node->Evaluate(context);
  (void)node->EventTypes();
  return 0;
}
