#include "bulwark/policy/admission/internal/evaluator.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bulwark/policy/cel/value.h"
#include "bulwark/policy/kyverno/library.h"

namespace bulwark::policy::internal {
namespace {

// The value of `authorizer`: authorization checks need the cluster's authorizer, which an
// offline evaluation does not have, so any use of it fails with this error.
cel::Value OfflineAuthorizer() {
  return cel::Value::Error(absl::UnimplementedError(
      "authorizer is not available offline: authorization checks need a cluster"));
}

// The `variables` map: each variable is evaluated on first use and cached. A view only holds
// the variables declared before the one being evaluated, so a variable can reference earlier
// ones but never itself or later ones (as Kubernetes requires).
class LazyVariables : public cel::MapImpl {
 public:
  struct State {
    const std::vector<NamedExpression>* variables;
    const cel::Activation* base;  // object, request, ... without `variables`
    std::vector<std::optional<cel::Value>> cache;
  };

  LazyVariables(std::shared_ptr<State> state, size_t visible)
      : state_(std::move(state)), visible_(visible) {}

  size_t size() const override { return visible_; }

  std::optional<cel::Value> Find(const cel::Value& key) const override {
    if (!key.is_string()) return std::nullopt;
    for (size_t i = 0; i < visible_; ++i) {
      if ((*state_->variables)[i].name == key.string_value()) return Evaluate(i);
    }
    return std::nullopt;
  }

  std::vector<cel::Value> Keys() const override {
    std::vector<cel::Value> keys;
    for (size_t i = 0; i < visible_; ++i) {
      keys.push_back(cel::Value::String((*state_->variables)[i].name));
    }
    return keys;
  }

 private:
  cel::Value Evaluate(size_t index) const {
    std::optional<cel::Value>& cached = state_->cache[index];
    if (cached.has_value()) return *cached;
    cel::Activation activation = *state_->base;
    activation.Bind("variables", cel::Value::MapOf(std::make_shared<LazyVariables>(state_, index)));
    const NamedExpression& variable = (*state_->variables)[index];
    absl::StatusOr<cel::Value> value = variable.expression.program->Evaluate(activation);
    if (value.ok()) {
      cached = *std::move(value);
    } else {
      cached = cel::Value::Error(absl::Status(
          value.status().code(), absl::StrCat("variable '", variable.name,
                                              "' resulted in error: ", value.status().message())));
    }
    return *cached;
  }

  std::shared_ptr<State> state_;
  size_t visible_;
};

void Bind(cel::Activation& activation, const char* name, const core::Value* doc) {
  if (doc == nullptr || doc->is_null()) {
    activation.Bind(name, cel::Value::Null());
  } else {
    activation.BindDocument(name, *doc);
  }
}

bool HasAction(const Result& result, absl::string_view action) {
  return std::find(result.validation_actions.begin(), result.validation_actions.end(), action) !=
         result.validation_actions.end();
}

// The failure message: messageExpression's string when it evaluates to a usable one (not
// empty, not only spaces, no line breaks), else message, else "failed expression: X".
std::string FailureMessage(const CompiledValidation& validation,
                           const cel::Activation& activation) {
  if (validation.message_expression.has_value()) {
    absl::StatusOr<cel::Value> value = validation.message_expression->program->Evaluate(activation);
    if (value.ok() && value->is_string()) {
      absl::string_view text = value->string_value();
      if (!absl::StripAsciiWhitespace(text).empty() && !absl::StrContains(text, '\n')) {
        return std::string(text);
      }
    }
  }
  if (!validation.message.empty()) return validation.message;
  return absl::StrCat("failed expression: ",
                      absl::StripAsciiWhitespace(validation.expression.source));
}

std::string ErrorMessage(absl::string_view what, const CompiledExpression& expression,
                         const absl::Status& status) {
  return absl::StrCat(what, " '", absl::StripAsciiWhitespace(expression.source),
                      "' resulted in error: ", status.message());
}

// Evaluates a boolean expression; errors (and non-bool results) come back as a Status.
absl::StatusOr<bool> EvaluateBool(const CompiledExpression& expression,
                                  const cel::Activation& activation) {
  absl::StatusOr<cel::Value> value = expression.program->Evaluate(activation);
  if (!value.ok()) return value.status();
  if (!value->is_bool()) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected a bool, got ", cel::KindTypeName(value->kind())));
  }
  return value->bool_value();
}

// The result of a list of conditions: false as soon as one is false, otherwise the first
// evaluation error (a non-bool result counts as one), otherwise true.
struct ConditionsOutcome {
  bool holds = true;
  std::string false_condition;       // the name of the condition that is false
  std::optional<std::string> error;  // "<what> '<name>' resulted in error: ..."
};

ConditionsOutcome CheckConditions(const std::vector<NamedExpression>& conditions,
                                  const cel::Activation& activation, absl::string_view what) {
  ConditionsOutcome outcome;
  for (const NamedExpression& condition : conditions) {
    absl::StatusOr<bool> holds = EvaluateBool(condition.expression, activation);
    if (!holds.ok()) {
      if (!outcome.error.has_value()) {
        outcome.error = absl::StrCat(what, " '", condition.name,
                                     "' resulted in error: ", holds.status().message());
      }
      continue;
    }
    if (!*holds) {
      outcome.holds = false;
      outcome.false_condition = condition.name;
      outcome.error.reset();
      return outcome;
    }
  }
  return outcome;
}

// Kyverno: the PolicyExceptions whose match conditions hold for the request. Their allowances
// go to `allowances`. An exception whose conditions fail to evaluate counts under
// failurePolicy (Fail: the error is returned; Ignore: the exception does not match).
absl::StatusOr<std::vector<const CompiledException*>> MatchExceptions(
    const CompiledPolicy& policy, const RuleInputs& inputs, const cel::Activation& activation,
    kyverno::ExceptionAllowances& allowances) {
  std::vector<const CompiledException*> matched;
  for (const CompiledException* exception : inputs.exceptions) {
    ConditionsOutcome outcome =
        CheckConditions(exception->match_conditions, activation,
                        absl::StrCat("PolicyException '", exception->name, "' match condition"));
    if (outcome.error.has_value()) {
      if (policy.fail_closed) return absl::InvalidArgumentError(*outcome.error);
      continue;
    }
    if (!outcome.holds) continue;
    matched.push_back(exception);
    allowances.images.insert(allowances.images.end(), exception->images.begin(),
                             exception->images.end());
    allowances.values.insert(allowances.values.end(), exception->allowed_values.begin(),
                             exception->allowed_values.end());
  }
  return matched;
}

}  // namespace

void ConfigurationError(const CompiledPolicy& policy, std::string message, Result* result) {
  if (policy.fail_closed) {
    result->outcome = Outcome::kError;
    result->failures.push_back({-1, message, "Invalid", true});
    result->message = std::move(message);
  } else {
    result->outcome = Outcome::kSkip;
    result->message = absl::StrCat("ignored (failurePolicy Ignore): ", message);
  }
}

void EvaluateRule(const CompiledPolicy& policy, const PolicyRule& rule, const RuleInputs& inputs,
                  Result* result) {
  cel::Activation base;
  Bind(base, "object", &inputs.request->object);
  Bind(base, "oldObject", &inputs.request->old_object);
  Bind(base, "request", inputs.request_document);
  Bind(base, "params", inputs.params);
  Bind(base, "namespaceObject", inputs.namespace_object);
  base.Bind("authorizer", OfflineAuthorizer());

  if (policy.is_kyverno()) {
    // As Kyverno: PolicyExceptions first; an exception that allows nothing in particular
    // (no images, no values) excepts the resource from the policy.
    kyverno::ExceptionAllowances allowances;
    kyverno::BindVariables(inputs.external_data, allowances, base);
    absl::StatusOr<std::vector<const CompiledException*>> matched =
        MatchExceptions(policy, inputs, base, allowances);
    if (!matched.ok()) {
      ConfigurationError(policy, std::string(matched.status().message()), result);
      return;
    }
    if (!matched->empty() && allowances.images.empty() && allowances.values.empty()) {
      bool report_pass = matched->front()->report_pass;
      for (const CompiledException* exception : *matched) {
        result->exceptions.push_back(exception->name);
      }
      result->outcome = report_pass ? Outcome::kPass : Outcome::kSkip;
      result->message =
          absl::StrCat("rule is ", report_pass ? "passed" : "skipped",
                       " due to policy exception: ", absl::StrJoin(result->exceptions, ", "));
      return;
    }
    for (const CompiledException* exception : *matched) {
      result->exceptions.push_back(exception->name);
    }
    kyverno::BindVariables(inputs.external_data, allowances, base);
  }

  // Match conditions: any false skips; otherwise an error counts under failurePolicy.
  ConditionsOutcome conditions = CheckConditions(rule.match_conditions, base, "match condition");
  if (!conditions.holds) {
    result->outcome = Outcome::kSkip;
    result->message = absl::StrCat("match condition '", conditions.false_condition, "' is false");
    return;
  }
  if (conditions.error.has_value()) {
    ConfigurationError(policy, *std::move(conditions.error), result);
    return;
  }

  auto state = std::make_shared<LazyVariables::State>();
  state->variables = &rule.variables;
  state->base = &base;
  state->cache.resize(rule.variables.size());
  cel::Activation activation = base;
  activation.Bind("variables",
                  cel::Value::MapOf(std::make_shared<LazyVariables>(state, rule.variables.size())));

  bool failed = false;
  bool errored = false;
  for (size_t i = 0; i < rule.validations.size(); ++i) {
    const CompiledValidation& validation = rule.validations[i];
    absl::StatusOr<bool> passed = EvaluateBool(validation.expression, activation);
    if (!passed.ok()) {
      if (!policy.fail_closed) continue;  // failurePolicy Ignore drops the error
      errored = true;
      result->failures.push_back(
          {static_cast<int>(i), ErrorMessage("expression", validation.expression, passed.status()),
           validation.reason, true});
      continue;
    }
    if (*passed) continue;
    failed = true;
    result->failures.push_back(
        {static_cast<int>(i), FailureMessage(validation, activation), validation.reason, false});
  }

  for (const NamedExpression& annotation : rule.audit_annotations) {
    absl::StatusOr<cel::Value> value = annotation.expression.program->Evaluate(activation);
    if (value.ok() && value->is_null()) continue;
    if (value.ok() && value->is_string()) {
      result->audit_annotations.emplace_back(absl::StrCat(policy.name, "/", annotation.name),
                                             std::string(value->string_value()));
      continue;
    }
    if (!policy.fail_closed) continue;
    absl::Status status =
        value.ok() ? absl::InvalidArgumentError(absl::StrCat("expected a string or null, got ",
                                                             cel::KindTypeName(value->kind())))
                   : value.status();
    errored = true;
    result->failures.push_back(
        {-1, ErrorMessage("valueExpression", annotation.expression, status), "Invalid", true});
  }

  // Cached values may hold views of the state (a variable whose value is `variables`).
  state->cache.clear();

  if (failed) {
    if (HasAction(*result, "Deny") || result->validation_actions.empty()) {
      result->outcome = Outcome::kFail;
    } else if (HasAction(*result, "Warn")) {
      result->outcome = Outcome::kWarn;
    } else {
      result->outcome = Outcome::kAudit;
    }
  } else if (errored) {
    result->outcome = Outcome::kError;
  } else {
    result->outcome = Outcome::kPass;
  }
  for (const ValidationFailure& failure : result->failures) {
    if (failed == !failure.is_error) {
      result->message = failure.message;
      break;
    }
  }
}

}  // namespace bulwark::policy::internal
