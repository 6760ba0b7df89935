// Fuzzes the Falco rule file loader: hostile YAML must load or give errors, never crash, hang or
// exhaust memory (the document limits are tightened as a caller with untrusted files would).
#include <cstdint>

#include "bulwark/runtime/engine.h"
#include "bulwark/runtime/rule_set.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  bulwark::runtime::LoadOptions options;
  options.limits.max_depth = 64;
  options.limits.max_entries = 100'000;
  auto validation = bulwark::runtime::RuleSet::Validate(
      {bulwark::runtime::RulesContent{"fuzz.yaml",
                                      std::string(reinterpret_cast<const char*>(data), size)}},
      options);
  if (validation.rule_set == nullptr) return 0;
  bulwark::runtime::Engine engine(*validation.rule_set);
  bulwark::runtime::v1::Event event;
  event.set_type(bulwark::runtime::v1::EVENT_TYPE_OPENAT);
  event.set_pid(1);
  event.mutable_process()->set_name("cat");
  event.mutable_file()->set_path("/etc/shadow");
  (void)engine.Process(event);
  return 0;
}
