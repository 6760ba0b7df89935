#include "bulwark/policy/admission/label_selector.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/policy/admission/internal/documents.h"

namespace bulwark::policy {
namespace {

using internal::FieldError;
using internal::FieldPath;

const core::Value* LabelValue(const core::Value& labels, absl::string_view key) {
  return labels.is_map() ? labels.Find(key) : nullptr;
}

}  // namespace

absl::StatusOr<LabelSelector> LabelSelector::Parse(const core::Value& selector,
                                                   absl::string_view where) {
  LabelSelector result;
  if (selector.is_null()) return result;
  if (!selector.is_map()) return FieldError(where, selector, "expected a label selector map");
  if (const core::Value* labels = selector.Find("matchLabels");
      labels != nullptr && !labels->is_null()) {
    if (!labels->is_map()) {
      return FieldError(FieldPath(where, "matchLabels"), *labels, "expected a map");
    }
    for (const core::MapEntry& entry : labels->map_value()) {
      if (!entry.value.is_string()) {
        return FieldError(FieldPath(where, absl::StrCat("matchLabels.", entry.key)), entry.value,
                          "expected a string");
      }
      result.requirements_.push_back({entry.key, Operator::kIn, {entry.value.string_value()}});
    }
  }
  std::string expressions_path = FieldPath(where, "matchExpressions");
  BULWARK_ASSIGN_OR_RETURN(const core::ValueList* expressions,
                           internal::OptionalList(selector, "matchExpressions", where));
  if (expressions == nullptr) return result;
  for (size_t i = 0; i < expressions->size(); ++i) {
    const core::Value& item = (*expressions)[i];
    std::string path = absl::StrCat(expressions_path, "[", i, "]");
    if (!item.is_map()) return FieldError(path, item, "expected a map");
    Requirement requirement;
    BULWARK_ASSIGN_OR_RETURN(requirement.key, internal::OptionalString(item, "key", path));
    BULWARK_ASSIGN_OR_RETURN(std::string op, internal::OptionalString(item, "operator", path));
    BULWARK_ASSIGN_OR_RETURN(requirement.values, internal::StringList(item, "values", path));
    if (requirement.key.empty()) return FieldError(path, item, "key is required");
    if (op == "In") {
      requirement.op = Operator::kIn;
    } else if (op == "NotIn") {
      requirement.op = Operator::kNotIn;
    } else if (op == "Exists") {
      requirement.op = Operator::kExists;
    } else if (op == "DoesNotExist") {
      requirement.op = Operator::kDoesNotExist;
    } else {
      return FieldError(
          FieldPath(path, "operator"), item,
          absl::StrCat("unknown operator '", op, "' (expected In, NotIn, Exists or DoesNotExist)"));
    }
    bool takes_values = requirement.op == Operator::kIn || requirement.op == Operator::kNotIn;
    if (takes_values && requirement.values.empty()) {
      return FieldError(FieldPath(path, "values"), item,
                        absl::StrCat("must be non-empty for operator ", op));
    }
    if (!takes_values && !requirement.values.empty()) {
      return FieldError(FieldPath(path, "values"), item,
                        absl::StrCat("must be empty for operator ", op));
    }
    result.requirements_.push_back(std::move(requirement));
  }
  return result;
}

bool LabelSelector::Matches(const core::Value& labels) const {
  for (const Requirement& requirement : requirements_) {
    const core::Value* value = LabelValue(labels, requirement.key);
    bool present = value != nullptr && value->is_string();
    bool in_values = present && std::find(requirement.values.begin(), requirement.values.end(),
                                          value->string_value()) != requirement.values.end();
    switch (requirement.op) {
      case Operator::kIn:
        if (!in_values) return false;
        break;
      case Operator::kNotIn:
        if (in_values) return false;
        break;
      case Operator::kExists:
        if (!present) return false;
        break;
      case Operator::kDoesNotExist:
        if (present) return false;
        break;
    }
  }
  return true;
}

}  // namespace bulwark::policy
