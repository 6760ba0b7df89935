#include "bulwark/image/internal/document_reader.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/status_macros.h"

namespace bulwark::image::internal {
namespace {

bool IsPlainName(absl::string_view key) {
  if (key.empty()) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

absl::Status WrongKind(const DocumentReader& reader, const core::Value& value,
                       absl::string_view path, absl::string_view want) {
  return reader.Invalid(value, path,
                        absl::StrCat("expected ", want, ", got ", core::KindName(value.kind())));
}

}  // namespace

std::string ChildPath(absl::string_view parent, absl::string_view key) {
  if (IsPlainName(key)) return parent.empty() ? std::string(key) : absl::StrCat(parent, ".", key);
  // Value::Lookup reads ["..."] or ['...'] without escapes; pick the quote the key lacks.
  absl::string_view quote = key.find('"') == absl::string_view::npos ? "\"" : "'";
  return absl::StrCat(parent, "[", quote, key, quote, "]");
}

std::string IndexPath(absl::string_view parent, size_t index) {
  return absl::StrCat(parent, "[", index, "]");
}

std::string DocumentReader::Message(const core::Value& at, absl::string_view path,
                                    absl::string_view problem) const {
  return absl::StrCat(where_, ": ", path.empty() ? "$" : path, ": ", problem, " (at ",
                      at.position().ToString(), ")");
}

absl::Status DocumentReader::Invalid(const core::Value& at, absl::string_view path,
                                     absl::string_view problem) const {
  return absl::InvalidArgumentError(Message(at, path, problem));
}

absl::Status DocumentReader::Unsupported(const core::Value& at, absl::string_view path,
                                         absl::string_view problem) const {
  return absl::UnimplementedError(Message(at, path, problem));
}

absl::Status DocumentReader::ExpectMap(const core::Value& value, absl::string_view path) const {
  if (!value.is_map()) return WrongKind(*this, value, path, "an object");
  return absl::OkStatus();
}

absl::StatusOr<const core::Value*> DocumentReader::Field(const core::Value& parent,
                                                         absl::string_view parent_path,
                                                         absl::string_view key,
                                                         Presence presence) const {
  const core::Value* value = parent.Find(key);
  if (value != nullptr && !value->is_null()) return value;
  if (presence == kRequired) {
    return Invalid(value != nullptr ? *value : parent, ChildPath(parent_path, key),
                   value != nullptr ? "required field is null" : "required field is missing");
  }
  return nullptr;
}

absl::StatusOr<std::string> DocumentReader::String(const core::Value& parent,
                                                   absl::string_view parent_path,
                                                   absl::string_view key, Presence presence) const {
  BULWARK_ASSIGN_OR_RETURN(const core::Value* value, Field(parent, parent_path, key, presence));
  if (value == nullptr) return std::string();
  if (!value->is_string()) return WrongKind(*this, *value, ChildPath(parent_path, key), "a string");
  return value->string_value();
}

absl::StatusOr<std::vector<std::string>> DocumentReader::StringList(const core::Value& parent,
                                                                    absl::string_view parent_path,
                                                                    absl::string_view key,
                                                                    Presence presence) const {
  BULWARK_ASSIGN_OR_RETURN(const core::Value* value, Field(parent, parent_path, key, presence));
  std::vector<std::string> strings;
  if (value == nullptr) return strings;
  std::string path = ChildPath(parent_path, key);
  if (!value->is_list()) return WrongKind(*this, *value, path, "an array of strings");
  strings.reserve(value->list_value().size());
  for (size_t i = 0; i < value->list_value().size(); ++i) {
    const core::Value& item = value->list_value()[i];
    if (!item.is_string()) return WrongKind(*this, item, IndexPath(path, i), "a string");
    strings.push_back(item.string_value());
  }
  return strings;
}

absl::StatusOr<std::map<std::string, std::string>> DocumentReader::StringMap(
    const core::Value& parent, absl::string_view parent_path, absl::string_view key) const {
  BULWARK_ASSIGN_OR_RETURN(const core::Value* value, Field(parent, parent_path, key, kOptional));
  std::map<std::string, std::string> strings;
  if (value == nullptr) return strings;
  std::string path = ChildPath(parent_path, key);
  if (!value->is_map()) return WrongKind(*this, *value, path, "an object of strings");
  for (const core::MapEntry& entry : value->map_value()) {
    if (!entry.value.is_string()) {
      return WrongKind(*this, entry.value, ChildPath(path, entry.key), "a string");
    }
    strings.emplace(entry.key, entry.value.string_value());
  }
  return strings;
}

absl::StatusOr<std::vector<std::string>> DocumentReader::ObjectSet(const core::Value& parent,
                                                                   absl::string_view parent_path,
                                                                   absl::string_view key) const {
  BULWARK_ASSIGN_OR_RETURN(const core::Value* value, Field(parent, parent_path, key, kOptional));
  std::vector<std::string> keys;
  if (value == nullptr) return keys;
  std::string path = ChildPath(parent_path, key);
  if (!value->is_map()) return WrongKind(*this, *value, path, "an object (a set of keys)");
  for (const core::MapEntry& entry : value->map_value()) {
    if (!entry.value.is_map()) {
      return WrongKind(*this, entry.value, ChildPath(path, entry.key), "an object");
    }
    keys.push_back(entry.key);
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

absl::StatusOr<int64_t> DocumentReader::Int64(const core::Value& parent,
                                              absl::string_view parent_path, absl::string_view key,
                                              Presence presence) const {
  BULWARK_ASSIGN_OR_RETURN(const core::Value* value, Field(parent, parent_path, key, presence));
  if (value == nullptr) return 0;
  // kUint holds only integers above INT64_MAX, and doubles are not integers in Go's decoder.
  if (!value->is_int()) {
    return WrongKind(*this, *value, ChildPath(parent_path, key), "an integer that fits int64");
  }
  return value->int_value();
}

absl::StatusOr<bool> DocumentReader::Bool(const core::Value& parent, absl::string_view parent_path,
                                          absl::string_view key) const {
  BULWARK_ASSIGN_OR_RETURN(const core::Value* value, Field(parent, parent_path, key, kOptional));
  if (value == nullptr) return false;
  if (!value->is_bool()) return WrongKind(*this, *value, ChildPath(parent_path, key), "a boolean");
  return value->bool_value();
}

absl::StatusOr<core::Digest> DocumentReader::Digest(const core::Value& value,
                                                    absl::string_view path) {
  if (!value.is_string()) return WrongKind(*this, value, path, "a digest string");
  absl::StatusOr<core::Digest> digest = core::Digest::Parse(value.string_value());
  if (digest.ok()) return digest;
  if (digest.status().code() != absl::StatusCode::kUnimplemented) {
    return Invalid(value, path, digest.status().message());
  }
  if (unsupported_.ok()) unsupported_ = Unsupported(value, path, digest.status().message());
  return core::DigestBytes(core::DigestAlgorithm::kSha256, "");
}

}  // namespace bulwark::image::internal
