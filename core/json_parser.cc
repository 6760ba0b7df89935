// ParseJson: simdjson's On-Demand API walks the text once in document order, which lets us
// record each value's line:column with a forward-only cursor (no second pass, no line table).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "bulwark/core/document.h"
#include "bulwark/core/file.h"
#include "bulwark/core/internal/value_builders.h"
#include "bulwark/core/status_macros.h"
#include "re2/re2.h"
#include "simdjson.h"

namespace bulwark::core {
namespace {

namespace od = simdjson::ondemand;

// Turns byte offsets into 1-based line:column. Offsets asked in increasing order cost O(total
// length) overall; an earlier offset rescans from the start (only on error paths).
class PositionCursor {
 public:
  explicit PositionCursor(absl::string_view text) : text_(text) {}

  SourcePosition At(size_t offset) {
    if (offset > text_.size()) offset = text_.size();
    if (offset < scanned_) {
      scanned_ = 0;
      line_ = 1;
      line_start_ = 0;
    }
    while (true) {
      const void* newline = std::memchr(text_.data() + scanned_, '\n', offset - scanned_);
      if (newline == nullptr) break;
      scanned_ = static_cast<const char*>(newline) - text_.data() + 1;
      ++line_;
      line_start_ = scanned_;
    }
    scanned_ = offset;
    return SourcePosition{line_, static_cast<uint32_t>(offset - line_start_ + 1)};
  }

 private:
  absl::string_view text_;
  size_t scanned_ = 0;
  uint32_t line_ = 1;
  size_t line_start_ = 0;
};

class JsonConverter {
 public:
  JsonConverter(absl::string_view text, const Limits& limits, absl::string_view source_name)
      : text_(text), limits_(limits), source_name_(source_name), cursor_(text) {}

  absl::StatusOr<Value> ConvertDocument(od::document& document) {
    document_ = &document;
    Value root;
    od::json_type type;
    if (auto error = document.type().get(type)) return SimdjsonError(error);
    if (type == od::json_type::array || type == od::json_type::object) {
      od::value value;
      if (auto error = document.get_value().get(value)) return SimdjsonError(error);
      BULWARK_RETURN_IF_ERROR(Convert(value, 1, &root));
    } else if (type == od::json_type::null || type == od::json_type::number) {
      // Scalars whose getters may leave the document unconsumed (document::is_null() is false
      // for "null\n" in simdjson 3.0.1, and numbers may be read from the token, both found by
      // fuzzing): the text after the atom must be JSON whitespace only.
      BULWARK_RETURN_IF_ERROR(ConvertScalar(document, type, &root));
      absl::string_view atom = Literal(RawToken(document));
      size_t end = atom.data() - text_.data() + atom.size();
      if (text_.find_first_not_of(" \t\r\n", end) != absl::string_view::npos) {
        return Invalid(cursor_.At(end), "unexpected content after the top-level value");
      }
      return root;
    } else {
      BULWARK_RETURN_IF_ERROR(ConvertScalar(document, type, &root));
    }
    // current_location() answers OUT_OF_BOUNDS only once the whole text is consumed.
    const char* trailing;
    if (!document.current_location().get(trailing)) {
      return Invalid(cursor_.At(trailing - text_.data()),
                     "unexpected content after the top-level value");
    }
    return root;
  }

 private:
  absl::Status Convert(od::value& value, uint32_t depth, Value* out) {
    od::json_type type;
    if (auto error = value.type().get(type)) return SimdjsonError(error);
    if (type == od::json_type::array) return ConvertArray(value, depth, out);
    if (type == od::json_type::object) return ConvertObject(value, depth, out);
    return ConvertScalar(value, type, out);
  }

  absl::Status ConvertArray(od::value& value, uint32_t depth, Value* out) {
    SourcePosition position = PositionOf(value);
    BULWARK_RETURN_IF_ERROR(CheckDepthAndCount(depth, position));
    od::array array;
    if (auto error = value.get_array().get(array)) return SimdjsonError(error);
    internal::ListBuilder elements(&element_scratch_);
    for (auto element_result : array) {
      od::value element;
      if (auto error = element_result.get(element)) return SimdjsonError(error);
      Value converted;
      BULWARK_RETURN_IF_ERROR(Convert(element, depth + 1, &converted));
      elements.Add(std::move(converted));
    }
    *out = Value(std::move(elements).Finish());
    out->set_position(position);
    return absl::OkStatus();
  }

  absl::Status ConvertObject(od::value& value, uint32_t depth, Value* out) {
    SourcePosition position = PositionOf(value);
    BULWARK_RETURN_IF_ERROR(CheckDepthAndCount(depth, position));
    od::object object;
    if (auto error = value.get_object().get(object)) return SimdjsonError(error);
    internal::MapBuilder map(&entry_scratch_);
    for (auto field : object) {
      std::string_view key;
      if (auto error = field.unescaped_key().get(key)) return SimdjsonError(error);
      od::value field_value;
      if (auto error = field.value().get(field_value)) return SimdjsonError(error);
      Value converted;
      BULWARK_RETURN_IF_ERROR(Convert(field_value, depth + 1, &converted));
      SourcePosition value_position = converted.position();
      if (!map.Add(std::string(key), std::move(converted))) {
        return Invalid(
            value_position,
            absl::StrCat("duplicate key \"", absl::string_view(key.data(), key.size()), "\""));
      }
    }
    *out = Value(std::move(map).Finish());
    out->set_position(position);
    return absl::OkStatus();
  }

  // `T` is od::value or od::document: both expose the same scalar getters.
  template <typename T>
  absl::Status ConvertScalar(T& value, od::json_type type, Value* out) {
    SourcePosition position = PositionOf(value);
    BULWARK_RETURN_IF_ERROR(CheckDepthAndCount(0, position));
    switch (type) {
      // simdjson 3.0.1 accepts a literal followed by other atom characters at the document root
      // ("null-", found by fuzzing), so the whole token is compared.
      case od::json_type::null: {
        if (Literal(RawToken(value)) != "null") return Invalid(position, "invalid literal");
        *out = Value();
        break;
      }
      case od::json_type::boolean: {
        absl::string_view literal = Literal(RawToken(value));
        bool b;
        if (auto error = value.get_bool().get(b)) return SimdjsonError(error);
        if (literal != (b ? "true" : "false")) return Invalid(position, "invalid literal");
        *out = Value(b);
        break;
      }
      case od::json_type::string: {
        std::string_view s;
        if (auto error = value.get_string().get(s)) return SimdjsonError(error);
        *out = Value(std::string(s));
        break;
      }
      case od::json_type::number: {
        BULWARK_RETURN_IF_ERROR(ConvertNumber(value, position, out));
        break;
      }
      default:
        return Invalid(position, "unexpected value");
    }
    out->set_position(position);
    return absl::OkStatus();
  }

  // simdjson 3.0.1's get_number() returns 0 for some long decimals (e.g.
  // 18446744073729552384.0) in its portable kernel, and fails for integers beyond 64 bits;
  // get_number_type() and the typed getters are exact, so the type picks the getter and
  // get_double() covers what no integer getter holds (the nearest double, as JavaScript and Go).
  template <typename T>
  absl::Status ConvertNumber(T& value, SourcePosition position, Value* out) {
    od::number_type type;
    if (auto error = value.get_number_type().get(type)) return SimdjsonError(error);
    if (type == od::number_type::signed_integer) {
      int64_t i;
      if (!value.get_int64().get(i)) {
        *out = Value(i);
        return absl::OkStatus();
      }
    } else if (type == od::number_type::unsigned_integer) {
      uint64_t u;
      if (!value.get_uint64().get(u)) {
        *out = Value(u);
        return absl::OkStatus();
      }
    }
    double d;
    if (value.get_double().get(d) && !ParseNumberToken(Literal(RawToken(value)), &d)) {
      return Invalid(position, "invalid or out-of-range number");
    }
    *out = Value(d);
    return absl::OkStatus();
  }

  // The portable kernel also rejects some valid numbers with huge exponents
  // ("0e03456789012345678901", found by fuzzing): those are read from the token here, checked
  // against the RFC 8259 grammar.
  static bool ParseNumberToken(absl::string_view token, double* d) {
    static const LazyRE2 kJsonNumber = {R"(-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?)"};
    return RE2::FullMatch(re2::StringPiece(token.data(), token.size()), *kJsonNumber) &&
           absl::SimpleAtod(token, d) && std::isfinite(*d);
  }

  absl::Status CheckDepthAndCount(uint32_t depth, SourcePosition position) {
    if (depth > EffectiveMaxDepth(limits_)) {
      return LimitExceeded("max_depth", EffectiveMaxDepth(limits_), Where(position));
    }
    if (++entries_ > limits_.max_entries) {
      return LimitExceeded("max_entries", limits_.max_entries, Where(position));
    }
    return absl::OkStatus();
  }

  // The atom at the start of a raw token: simdjson's token runs on over the whitespace after
  // it (at the root, over the rest of the text), so cut at the first JSON whitespace or
  // structural character. Anything else that follows the atom stays in it and fails the caller's
  // comparison ("null-", "null\x1e", found by fuzzing).
  static absl::string_view Literal(absl::string_view token) {
    return token.substr(0, std::min(token.size(), token.find_first_of(" \t\r\n,:]}[{")));
  }

  static absl::string_view RawToken(od::value& value) {
    std::string_view token = value.raw_json_token();
    return absl::string_view(token.data(), token.size());
  }
  // At the root simdjson's token is the whole text, leading whitespace included.
  static absl::string_view RawToken(od::document& document) {
    std::string_view token;
    if (document.raw_json_token().get(token)) return absl::string_view();
    return absl::StripLeadingAsciiWhitespace(absl::string_view(token.data(), token.size()));
  }

  template <typename T>
  SourcePosition PositionOf(T& value) {
    absl::string_view token = RawToken(value);
    if (token.data() == nullptr) return SourcePosition{};
    return cursor_.At(token.data() - text_.data());
  }

  template <typename T>
  SourcePosition Location(T& value) {
    const char* location;
    if (value.current_location().get(location)) return cursor_.At(text_.size());
    return cursor_.At(location - text_.data());
  }

  std::string Where(SourcePosition position) const {
    return absl::StrCat(source_name_, ":", position.ToString());
  }

  absl::Status Invalid(SourcePosition position, absl::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat(Where(position), ": invalid JSON: ", what));
  }

  absl::Status SimdjsonError(simdjson::error_code error) {
    SourcePosition position = Location(*document_);
    if (error == simdjson::DEPTH_ERROR) {
      return LimitExceeded("max_depth", EffectiveMaxDepth(limits_), Where(position));
    }
    return Invalid(position, simdjson::error_message(error));
  }

  absl::string_view text_;
  const Limits& limits_;
  absl::string_view source_name_;
  PositionCursor cursor_;
  od::document* document_ = nullptr;
  uint64_t entries_ = 0;
  ValueList element_scratch_;
  ValueMap entry_scratch_;
};

absl::StatusOr<Value> ParsePadded(const simdjson::padded_string_view& padded, const Limits& limits,
                                  absl::string_view source_name) {
  absl::string_view text(padded.data(), padded.size());
  if (text.size() > limits.max_file_bytes) {
    return LimitExceeded("max_file_bytes", limits.max_file_bytes, source_name);
  }
  od::parser parser;
  // One level of headroom so our own depth check, which names the limit, fires first.
  if (auto error = parser.allocate(text.size(), EffectiveMaxDepth(limits) + 1)) {
    return absl::ResourceExhaustedError(absl::StrCat(
        source_name, ": cannot allocate the JSON parser: ", simdjson::error_message(error)));
  }
  od::document document;
  JsonConverter converter(text, limits, source_name);
  if (auto error = parser.iterate(padded).get(document)) {
    return absl::InvalidArgumentError(
        absl::StrCat(source_name, ":1:1: invalid JSON: ", simdjson::error_message(error)));
  }
  return converter.ConvertDocument(document);
}

}  // namespace

absl::StatusOr<Value> ParseJson(absl::string_view text, const Limits& limits,
                                absl::string_view source_name) {
  if (text.size() > limits.max_file_bytes) {
    return LimitExceeded("max_file_bytes", limits.max_file_bytes, source_name);
  }
  simdjson::padded_string padded(text.data(), text.size());
  return ParsePadded(padded, limits, source_name);
}

absl::StatusOr<Value> ParseJsonFile(const std::string& path, const Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path, limits.max_file_bytes));
  size_t size = text.size();
  text.resize(size + simdjson::SIMDJSON_PADDING);
  return ParsePadded(simdjson::padded_string_view(text.data(), size, text.size()), limits, path);
}

}  // namespace bulwark::core
