#include "bulwark/policy/admission/internal/documents.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace bulwark::policy::internal {

std::string FieldPath(absl::string_view where, absl::string_view field) {
  return where.empty() ? std::string(field) : absl::StrCat(where, ".", field);
}

absl::Status FieldError(absl::string_view path, const core::Value& at, absl::string_view what) {
  std::string position =
      at.position().known() ? absl::StrCat(" (", at.position().ToString(), ")") : std::string();
  return absl::InvalidArgumentError(absl::StrCat(path, position, ": ", what));
}

absl::StatusOr<std::string> OptionalString(const core::Value& doc, absl::string_view field,
                                           absl::string_view where) {
  const core::Value* value = doc.Find(field);
  if (value == nullptr || value->is_null()) return std::string();
  if (!value->is_string()) {
    return FieldError(FieldPath(where, field), *value,
                      absl::StrCat("expected a string, got ", core::KindName(value->kind())));
  }
  return value->string_value();
}

absl::StatusOr<std::vector<std::string>> StringList(const core::Value& doc, absl::string_view field,
                                                    absl::string_view where) {
  std::vector<std::string> result;
  const core::Value* value = doc.Find(field);
  if (value == nullptr || value->is_null()) return result;
  if (!value->is_list()) {
    return FieldError(FieldPath(where, field), *value,
                      absl::StrCat("expected a list, got ", core::KindName(value->kind())));
  }
  for (size_t i = 0; i < value->list_value().size(); ++i) {
    const core::Value& item = value->list_value()[i];
    if (!item.is_string()) {
      return FieldError(absl::StrCat(FieldPath(where, field), "[", i, "]"), item,
                        absl::StrCat("expected a string, got ", core::KindName(item.kind())));
    }
    result.push_back(item.string_value());
  }
  return result;
}

absl::StatusOr<const core::ValueList*> OptionalList(const core::Value& doc, absl::string_view field,
                                                    absl::string_view where) {
  const core::Value* value = doc.Find(field);
  if (value == nullptr || value->is_null()) return nullptr;
  if (!value->is_list()) {
    return FieldError(FieldPath(where, field), *value,
                      absl::StrCat("expected a list, got ", core::KindName(value->kind())));
  }
  return &value->list_value();
}

const core::Value* FindPath(const core::Value& doc, absl::string_view path) {
  const core::Value* current = &doc;
  for (absl::string_view step : absl::StrSplit(path, '.')) {
    current = current->Find(step);
    if (current == nullptr) return nullptr;
  }
  return current;
}

std::string StringAt(const core::Value& doc, absl::string_view path) {
  const core::Value* value = FindPath(doc, path);
  return value != nullptr && value->is_string() ? value->string_value() : std::string();
}

}  // namespace bulwark::policy::internal
