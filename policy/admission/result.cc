#include "bulwark/policy/admission/result.h"

#include <algorithm>

namespace bulwark::policy {

absl::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPass:
      return "pass";
    case Outcome::kFail:
      return "fail";
    case Outcome::kWarn:
      return "warn";
    case Outcome::kAudit:
      return "audit";
    case Outcome::kError:
      return "error";
    case Outcome::kSkip:
      return "skip";
  }
  return "unknown";
}

bool Result::Denies() const {
  if (outcome == Outcome::kFail) return true;
  return outcome == Outcome::kError &&
         std::find(validation_actions.begin(), validation_actions.end(), "Deny") !=
             validation_actions.end();
}

int Result::FailedValidationIndex() const {
  for (const ValidationFailure& failure : failures) {
    if (failure.index >= 0 && !failure.is_error) return failure.index;
  }
  return -1;
}

core::Value Result::ToDocument() const {
  core::ValueMap map;
  auto add = [&map](std::string key, core::Value value) {
    map.push_back({std::move(key), std::move(value)});
  };
  add("policy", core::Value(policy));
  add("policyKind", core::Value(policy_kind));
  if (!binding.empty()) add("binding", core::Value(binding));
  if (!rule.empty()) add("rule", core::Value(rule));
  if (!param.empty()) add("param", core::Value(param));
  add("resource", core::Value(resource));
  add("result", core::Value(std::string(OutcomeName(outcome))));
  core::ValueList actions;
  for (const std::string& action : validation_actions) actions.emplace_back(action);
  add("validationActions", core::Value(std::move(actions)));
  if (!message.empty()) add("message", core::Value(message));
  if (int index = FailedValidationIndex(); index >= 0) {
    add("failedValidationIndex", core::Value(index));
  }
  core::ValueList failures_list;
  for (const ValidationFailure& failure : failures) {
    core::ValueMap item;
    if (failure.index >= 0) item.push_back({"index", core::Value(failure.index)});
    item.push_back({"message", core::Value(failure.message)});
    item.push_back({"reason", core::Value(failure.reason)});
    item.push_back({"error", core::Value(failure.is_error)});
    failures_list.emplace_back(std::move(item));
  }
  if (!failures_list.empty()) add("failures", core::Value(std::move(failures_list)));
  if (!audit_annotations.empty()) {
    core::ValueMap annotations;
    for (const auto& [key, value] : audit_annotations)
      annotations.push_back({key, core::Value(value)});
    add("auditAnnotations", core::Value(std::move(annotations)));
  }
  if (!exceptions.empty()) {
    core::ValueList names;
    for (const std::string& name : exceptions) names.emplace_back(name);
    add("exceptions", core::Value(std::move(names)));
  }
  return core::Value(std::move(map));
}

}  // namespace bulwark::policy
