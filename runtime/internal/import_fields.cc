#include "bulwark/runtime/internal/import_fields.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"

namespace bulwark::runtime::internal {

std::optional<std::string> StringAt(const core::Value& v, absl::string_view key) {
  const core::Value* field = v.Find(key);
  if (field == nullptr || !field->is_string()) return std::nullopt;
  return field->string_value();
}

std::optional<int64_t> AsInt(const core::Value& v) {
  if (v.is_int()) return v.int_value();
  if (v.is_uint()) return static_cast<int64_t>(v.uint_value());
  if (v.is_string()) {
    int64_t number = 0;
    if (absl::SimpleAtoi(v.string_value(), &number)) return number;
    uint64_t unsigned_number = 0;
    if (absl::SimpleAtoi(v.string_value(), &unsigned_number)) {
      return static_cast<int64_t>(unsigned_number);
    }
  }
  return std::nullopt;
}

std::optional<int64_t> IntAt(const core::Value& v, absl::string_view key) {
  const core::Value* field = v.Find(key);
  return field == nullptr ? std::nullopt : AsInt(*field);
}

const core::Value* MapAt(const core::Value& v, absl::string_view key) {
  const core::Value* field = v.Find(key);
  return field != nullptr && field->is_map() ? field : nullptr;
}

const core::Value* ListAt(const core::Value& v, absl::string_view key) {
  const core::Value* field = v.Find(key);
  return field != nullptr && field->is_list() ? field : nullptr;
}

std::optional<uint64_t> ParseRfc3339Nanos(absl::string_view text) {
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &time, &error)) return std::nullopt;
  const int64_t nanos = absl::ToUnixNanos(time);
  if (nanos < 0) return std::nullopt;
  return static_cast<uint64_t>(nanos);
}

void SetContainerId(absl::string_view id, v1::Container& container) {
  static constexpr struct {
    absl::string_view scheme;
    absl::string_view runtime;
  } kSchemes[] = {{"docker://", "docker"},
                  {"containerd://", "containerd"},
                  {"cri-o://", "cri-o"},
                  {"crio://", "cri-o"},
                  {"podman://", "podman"}};
  for (const auto& scheme : kSchemes) {
    if (absl::ConsumePrefix(&id, scheme.scheme)) {
      container.set_runtime(std::string(scheme.runtime));
      break;
    }
  }
  if (id.empty()) return;
  container.set_full_id(std::string(id));
  container.set_id(std::string(id.substr(0, 12)));
}

void SetContainerImage(absl::string_view name, absl::string_view id, v1::Container& container) {
  if (!name.empty()) {
    container.set_image(std::string(name));
    absl::string_view reference = name;
    const size_t at = reference.find('@');
    if (at != absl::string_view::npos) {
      container.set_image_digest(std::string(reference.substr(at + 1)));
      reference = reference.substr(0, at);
    }
    const size_t colon = reference.rfind(':');
    const size_t slash = reference.rfind('/');
    if (colon != absl::string_view::npos && (slash == absl::string_view::npos || colon > slash)) {
      container.set_image_repository(std::string(reference.substr(0, colon)));
      container.set_image_tag(std::string(reference.substr(colon + 1)));
    } else {
      container.set_image_repository(std::string(reference));
    }
  }
  const size_t at = id.find('@');
  if (at != absl::string_view::npos) {
    container.set_image_digest(std::string(id.substr(at + 1)));
  } else if (absl::StartsWith(id, "sha256:")) {
    container.set_image_digest(std::string(id));
  }
}

std::vector<std::string> SplitArguments(absl::string_view text) {
  std::vector<std::string> args;
  std::string current;
  bool in_quotes = false;
  bool have_token = false;
  for (char c : text) {
    if (c == '"') {
      in_quotes = !in_quotes;
      have_token = true;
    } else if (c == ' ' && !in_quotes) {
      if (have_token) args.push_back(std::move(current));
      current.clear();
      have_token = false;
    } else {
      current.push_back(c);
      have_token = true;
    }
  }
  if (have_token) args.push_back(std::move(current));
  return args;
}

std::string CommFromPath(absl::string_view path) {
  const size_t slash = path.rfind('/');
  absl::string_view base = slash == absl::string_view::npos ? path : path.substr(slash + 1);
  return std::string(base.substr(0, 15));
}

absl::Status RecordError(const core::Value& at, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(at.position().ToString(), ": ", what));
}

void NoteSkipped(ImportStats* stats, absl::string_view kind) {
  if (stats != nullptr) ++stats->skipped[std::string(kind)];
}

}  // namespace bulwark::runtime::internal
