#include "bulwark/core/value.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace bulwark::core {

std::string SourcePosition::ToString() const { return absl::StrCat(line, ":", column); }

Value::Value(bool b) : data_(b) {}
Value::Value(int i) : data_(int64_t{i}) {}
Value::Value(int64_t i) : data_(i) {}
Value::Value(uint64_t u) : data_(u) {}
Value::Value(double d) : data_(d) {}
Value::Value(std::string s) : data_(std::move(s)) {}
Value::Value(const char* s) : data_(std::string(s)) {}
Value::Value(Bytes b) : data_(std::move(b)) {}
Value::Value(ValueList l) : data_(std::move(l)) {}
Value::Value(ValueMap m) : data_(std::move(m)) {}

bool operator==(const Value& a, const Value& b) { return a.data_ == b.data_; }

absl::string_view KindName(Value::Kind kind) {
  static constexpr absl::string_view kNames[] = {"null",   "bool",  "int",  "uint", "double",
                                                 "string", "bytes", "list", "map"};
  return kNames[static_cast<int>(kind)];
}

const Value* Value::Find(absl::string_view key) const {
  if (!is_map()) return nullptr;
  for (const MapEntry& entry : map_value()) {
    if (entry.key == key) return &entry.value;
  }
  return nullptr;
}

namespace {

// One step of a lookup path: a map key or a list index.
struct PathStep {
  bool is_index = false;
  std::string key;
  uint64_t index = 0;
  std::string text;  // As written, for messages.
};

absl::StatusOr<std::vector<PathStep>> ParsePath(absl::string_view path) {
  auto invalid = [&](size_t at, absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid path \"", path, "\" at offset ", at, ": ", why));
  };
  std::vector<PathStep> steps;
  size_t i = 0;
  bool expect_name = true;  // A bare name may start the path or follow a dot.
  while (i < path.size()) {
    char c = path[i];
    if (c == '.') {
      if (steps.empty() || expect_name) return invalid(i, "empty name");
      expect_name = true;
      ++i;
      continue;
    }
    if (c == '[') {
      size_t close;
      PathStep step;
      if (i + 1 < path.size() && (path[i + 1] == '"' || path[i + 1] == '\'')) {
        char quote = path[i + 1];
        size_t end = path.find(quote, i + 2);
        if (end == absl::string_view::npos || end + 1 >= path.size() || path[end + 1] != ']') {
          return invalid(i, "unterminated quoted key");
        }
        step.key = std::string(path.substr(i + 2, end - i - 2));
        close = end + 1;
      } else {
        close = path.find(']', i);
        if (close == absl::string_view::npos) return invalid(i, "missing ']'");
        absl::string_view digits = path.substr(i + 1, close - i - 1);
        if (digits.empty() || !absl::SimpleAtoi(digits, &step.index) ||
            !absl::ascii_isdigit(digits[0])) {
          return invalid(i, "list index must be a non-negative integer");
        }
        step.is_index = true;
      }
      step.text = std::string(path.substr(i, close + 1 - i));
      steps.push_back(std::move(step));
      expect_name = false;
      i = close + 1;
      continue;
    }
    if (!expect_name) return invalid(i, "expected '.' or '['");
    size_t end = path.find_first_of(".[", i);
    if (end == absl::string_view::npos) end = path.size();
    PathStep step;
    step.key = std::string(path.substr(i, end - i));
    step.text = (steps.empty() ? "" : ".") + step.key;
    steps.push_back(std::move(step));
    expect_name = false;
    i = end;
  }
  if (expect_name && !steps.empty()) return invalid(path.size(), "path ends with '.'");
  return steps;
}

}  // namespace

absl::StatusOr<const Value*> Value::Lookup(absl::string_view path) const {
  auto steps = ParsePath(path);
  if (!steps.ok()) return steps.status();
  const Value* current = this;
  std::string walked;
  for (const PathStep& step : *steps) {
    const Value* next = nullptr;
    if (step.is_index) {
      if (current->is_list() && step.index < current->list_value().size()) {
        next = &current->list_value()[step.index];
      }
    } else {
      next = current->Find(step.key);
    }
    if (next == nullptr) {
      std::string where = current->position().known()
                              ? absl::StrCat(" (", current->position().ToString(), ")")
                              : "";
      return absl::NotFoundError(
          absl::StrCat("path \"", path, "\": no ", step.text, " in ",
                       walked.empty() ? "the document" : absl::StrCat("\"", walked, "\""), ", a ",
                       KindName(current->kind()), where));
    }
    absl::StrAppend(&walked, step.text);
    current = next;
  }
  return current;
}

void AppendJsonString(absl::string_view text, std::string* out) {
  out->push_back('"');
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      default:
        if (c < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
          out->append(escaped);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

namespace {

void AppendJsonDouble(double d, std::string* out) {
  if (std::isnan(d)) {
    out->append("\"NaN\"");
  } else if (std::isinf(d)) {
    out->append(d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  } else {
    char buffer[64];
    // Shortest round-trip form; scientific for large magnitudes, where the fixed form would
    // print every digit of the integer part.
    auto result = std::fabs(d) < 1e16 ? std::to_chars(buffer, buffer + sizeof(buffer), d)
                                      : std::to_chars(buffer, buffer + sizeof(buffer), d,
                                                      std::chars_format::scientific);
    absl::string_view text(buffer, result.ptr - buffer);
    absl::StrAppend(out, text);
    // Keep doubles recognisable as such when they read back: 1.0, not 1.
    if (text.find_first_of(".eEn") == absl::string_view::npos) out->append(".0");
  }
}

void AppendJson(const Value& value, std::string* out) {
  switch (value.kind()) {
    case Value::Kind::kNull:
      out->append("null");
      break;
    case Value::Kind::kBool:
      out->append(value.bool_value() ? "true" : "false");
      break;
    case Value::Kind::kInt:
      absl::StrAppend(out, value.int_value());
      break;
    case Value::Kind::kUint:
      absl::StrAppend(out, value.uint_value());
      break;
    case Value::Kind::kDouble:
      AppendJsonDouble(value.double_value(), out);
      break;
    case Value::Kind::kString:
      AppendJsonString(value.string_value(), out);
      break;
    case Value::Kind::kBytes:
      AppendJsonString(absl::Base64Escape(value.bytes_value().data), out);
      break;
    case Value::Kind::kList: {
      out->push_back('[');
      bool first = true;
      for (const Value& element : value.list_value()) {
        if (!first) out->push_back(',');
        first = false;
        AppendJson(element, out);
      }
      out->push_back(']');
      break;
    }
    case Value::Kind::kMap: {
      out->push_back('{');
      bool first = true;
      for (const MapEntry& entry : value.map_value()) {
        if (!first) out->push_back(',');
        first = false;
        AppendJsonString(entry.key, out);
        out->push_back(':');
        AppendJson(entry.value, out);
      }
      out->push_back('}');
      break;
    }
  }
}

}  // namespace

std::string Value::ToJson() const {
  std::string out;
  AppendJson(*this, &out);
  return out;
}

}  // namespace bulwark::core
