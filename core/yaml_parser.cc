// ParseYaml: yaml-cpp builds its node graph (aliases shared, not copied); we convert it to Value,
// resolving plain scalars by the YAML 1.2 core schema and counting every expanded node so that
// alias bombs stop at limits.max_entries.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/document.h"
#include "bulwark/core/file.h"
#include "bulwark/core/internal/map_builder.h"
#include "bulwark/core/status_macros.h"
#include "re2/re2.h"
#include "simdjson.h"
#include "yaml-cpp/depthguard.h"
#include "yaml-cpp/yaml.h"

namespace bulwark::core {
namespace {

constexpr absl::string_view kTagPrefix = "tag:yaml.org,2002:";

bool FullMatch(absl::string_view text, const RE2& pattern) {
  return RE2::FullMatch(re2::StringPiece(text.data(), text.size()), pattern);
}

SourcePosition PositionOf(const YAML::Mark& mark) {
  if (mark.is_null()) return SourcePosition{};
  return SourcePosition{static_cast<uint32_t>(mark.line + 1),
                        static_cast<uint32_t>(mark.column + 1)};
}

bool IsCoreNull(absl::string_view s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

bool ParseCoreBool(absl::string_view s, bool* out) {
  if (s == "true" || s == "True" || s == "TRUE") {
    *out = true;
    return true;
  }
  if (s == "false" || s == "False" || s == "FALSE") {
    *out = false;
    return true;
  }
  return false;
}

// Core schema integers: [-+]?[0-9]+, 0o[0-7]+, 0x[0-9a-fA-F]+. Returns false when `s` is not an
// integer by the grammar; sets *out to an int, a uint, or (beyond uint64) a double.
bool ParseCoreInt(absl::string_view s, Value* out) {
  static const LazyRE2 kDecimal = {R"([-+]?[0-9]+)"};
  static const LazyRE2 kOctal = {R"(0o[0-7]+)"};
  static const LazyRE2 kHex = {R"(0x[0-9a-fA-F]+)"};
  int base;
  absl::string_view digits = s;
  if (FullMatch(s, *kDecimal)) {
    base = 10;
  } else if (FullMatch(s, *kOctal)) {
    base = 8;
    digits.remove_prefix(2);
  } else if (FullMatch(s, *kHex)) {
    base = 16;
    digits.remove_prefix(2);
  } else {
    return false;
  }
  bool negative = base == 10 && !digits.empty() && digits[0] == '-';
  if (base == 10 && !digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
    digits.remove_prefix(1);
  }
  uint64_t magnitude = 0;
  bool overflow = false;
  for (char c : digits) {
    uint64_t digit = absl::ascii_isdigit(c) ? c - '0' : absl::ascii_tolower(c) - 'a' + 10;
    if (magnitude > (std::numeric_limits<uint64_t>::max() - digit) / base) {
      overflow = true;
      break;
    }
    magnitude = magnitude * base + digit;
  }
  constexpr uint64_t kMinInt64Magnitude = uint64_t{1} << 63;
  if (overflow || (negative && magnitude > kMinInt64Magnitude)) {
    double d = 0;
    if (base != 10 || !absl::SimpleAtod(s, &d)) return false;
    *out = Value(d);
  } else if (negative) {
    *out = Value(magnitude == kMinInt64Magnitude ? std::numeric_limits<int64_t>::min()
                                                 : -static_cast<int64_t>(magnitude));
  } else if (magnitude <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    *out = Value(static_cast<int64_t>(magnitude));
  } else {
    *out = Value(magnitude);
  }
  return true;
}

// Core schema floats: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?, [-+]?.inf, .nan.
bool ParseCoreFloat(absl::string_view s, double* out) {
  static const LazyRE2 kFloat = {R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)"};
  static const LazyRE2 kInf = {R"([-+]?\.(inf|Inf|INF))"};
  static const LazyRE2 kNan = {R"(\.(nan|NaN|NAN))"};
  if (FullMatch(s, *kInf)) {
    *out = s[0] == '-' ? -std::numeric_limits<double>::infinity()
                       : std::numeric_limits<double>::infinity();
    return true;
  }
  if (FullMatch(s, *kNan)) {
    *out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  if (!FullMatch(s, *kFloat)) return false;
  return absl::SimpleAtod(s, out);
}

class YamlConverter {
 public:
  // Without aliases a document cannot hold more values than it has bytes, so a budget
  // proportional to its size stops alias bombs early while leaving room for real aliasing.
  YamlConverter(const Limits& limits, absl::string_view source_name, size_t text_size)
      : limits_(limits),
        source_name_(source_name),
        max_entries_(std::min<uint64_t>(limits.max_entries,
                                        kBaseEntries + kEntriesPerByte * uint64_t{text_size})) {}

  absl::Status Convert(const YAML::Node& node, uint32_t depth, Value* out) {
    SourcePosition position = PositionOf(node.Mark());
    if (depth > limits_.max_depth) {
      return LimitExceeded("max_depth", limits_.max_depth, Where(position));
    }
    if (++entries_ > max_entries_) {
      if (max_entries_ == limits_.max_entries) {
        return LimitExceeded("max_entries", limits_.max_entries, Where(position));
      }
      return absl::ResourceExhaustedError(absl::StrCat(
          Where(position), ": aliases expand to more than ", max_entries_,
          " values (", kEntriesPerByte, " per byte of input plus ", kBaseEntries,
          "; limit max_entries)"));
    }
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        *out = Value();
        break;
      case YAML::NodeType::Scalar:
        BULWARK_RETURN_IF_ERROR(ConvertScalar(node, position, out));
        break;
      case YAML::NodeType::Sequence: {
        ValueList elements;
        elements.reserve(node.size());
        for (const YAML::Node& element : node) {
          Value converted;
          BULWARK_RETURN_IF_ERROR(Convert(element, depth + 1, &converted));
          elements.push_back(std::move(converted));
        }
        *out = Value(std::move(elements));
        break;
      }
      case YAML::NodeType::Map:
        BULWARK_RETURN_IF_ERROR(ConvertMap(node, depth, out));
        break;
    }
    out->set_position(position);
    return absl::OkStatus();
  }

 private:
  absl::Status ConvertMap(const YAML::Node& node, uint32_t depth, Value* out) {
    internal::MapBuilder map;
    std::vector<YAML::Node> merge_storage;
    for (const auto& pair : node) {
      const YAML::Node& key = pair.first;
      if (!key.IsScalar() && !key.IsNull()) {
        return Invalid(PositionOf(key.Mark()), "map keys must be scalars");
      }
      std::string key_text = key.IsScalar() ? key.Scalar() : "";
      if (key_text == "<<" && key.Tag() == "?") {
        merge_storage.push_back(pair.second);
        continue;
      }
      Value converted;
      BULWARK_RETURN_IF_ERROR(Convert(pair.second, depth + 1, &converted));
      if (!map.Add(key_text, std::move(converted))) {
        return Invalid(PositionOf(key.Mark()), absl::StrCat("duplicate key \"", key_text, "\""));
      }
    }
    // Merge keys (yaml.org/type/merge.html): entries of the merged maps fill in keys the map does
    // not set itself; in a list of maps, earlier maps win.
    for (const YAML::Node& merge : merge_storage) {
      std::vector<YAML::Node> sources;
      if (merge.IsMap()) {
        sources.push_back(merge);
      } else if (merge.IsSequence()) {
        for (const YAML::Node& element : merge) sources.push_back(element);
      }
      for (const YAML::Node& source : sources) {
        if (!source.IsMap()) {
          return Invalid(PositionOf(merge.Mark()), "merge key (<<) needs a map or a list of maps");
        }
        Value merged;
        BULWARK_RETURN_IF_ERROR(Convert(source, depth + 1, &merged));
        for (const MapEntry& entry : merged.map_value()) {
          if (!map.Contains(entry.key)) map.Add(entry.key, entry.value);
        }
      }
    }
    *out = Value(std::move(map).Finish());
    return absl::OkStatus();
  }

  absl::Status ConvertScalar(const YAML::Node& node, SourcePosition position, Value* out) {
    const std::string& text = node.Scalar();
    std::string tag = node.Tag();
    if (absl::StartsWith(tag, kTagPrefix)) tag = "!!" + tag.substr(kTagPrefix.size());
    if (tag == "!" || tag == "!!str") {
      *out = Value(text);
      return absl::OkStatus();
    }
    if (tag == "!!binary") {
      std::string decoded;
      if (!absl::Base64Unescape(text, &decoded)) return Invalid(position, "invalid !!binary data");
      *out = Value(Bytes{std::move(decoded)});
      return absl::OkStatus();
    }
    bool b;
    double d;
    if (tag == "?") {
      if (IsCoreNull(text)) {
        *out = Value();
      } else if (ParseCoreBool(text, &b)) {
        *out = Value(b);
      } else if (ParseCoreInt(text, out)) {
      } else if (ParseCoreFloat(text, &d)) {
        *out = Value(d);
      } else {
        *out = Value(text);
      }
      return absl::OkStatus();
    }
    if (tag == "!!null") {
      if (!IsCoreNull(text)) return Invalid(position, "!!null value is not null");
      *out = Value();
    } else if (tag == "!!bool") {
      if (!ParseCoreBool(text, &b)) return Invalid(position, "!!bool value is not true or false");
      *out = Value(b);
    } else if (tag == "!!int") {
      if (!ParseCoreInt(text, out)) return Invalid(position, "!!int value is not an integer");
    } else if (tag == "!!float") {
      Value integer;
      if (ParseCoreFloat(text, &d)) {
        *out = Value(d);
      } else if (ParseCoreInt(text, &integer) && absl::SimpleAtod(text, &d)) {
        *out = Value(d);
      } else {
        return Invalid(position, "!!float value is not a number");
      }
    } else {
      // Application tags (e.g. !Ref) keep the text: the caller may interpret them.
      *out = Value(text);
    }
    return absl::OkStatus();
  }

  std::string Where(SourcePosition position) const {
    return absl::StrCat(source_name_, ":", position.ToString());
  }

  absl::Status Invalid(SourcePosition position, absl::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat(Where(position), ": invalid YAML: ", what));
  }

  static constexpr uint64_t kBaseEntries = 10'000;
  static constexpr uint64_t kEntriesPerByte = 4;

  const Limits& limits_;
  absl::string_view source_name_;
  uint64_t max_entries_;
  uint64_t entries_ = 0;
};

}  // namespace

absl::StatusOr<std::vector<Value>> ParseYaml(absl::string_view text, const Limits& limits,
                                             absl::string_view source_name) {
  if (text.size() > limits.max_file_bytes) {
    return LimitExceeded("max_file_bytes", limits.max_file_bytes, source_name);
  }
  // Values leave the process as JSON and reach policies as strings: reject what is not UTF-8
  // here rather than pass undecodable text on.
  if (!simdjson::validate_utf8(text.data(), text.size())) {
    return absl::InvalidArgumentError(
        absl::StrCat(source_name, ": invalid YAML: the stream is not valid UTF-8"));
  }
  std::vector<YAML::Node> nodes;
  try {
    nodes = YAML::LoadAll(std::string(text));
  } catch (const YAML::DeepRecursion& e) {
    return LimitExceeded("max_depth", limits.max_depth,
                         absl::StrCat(source_name, ":", PositionOf(e.mark).ToString()));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(source_name, ":", PositionOf(e.mark).ToString(),
                                                   ": invalid YAML: ", e.msg));
  }
  std::vector<Value> documents;
  YamlConverter converter(limits, source_name, text.size());
  try {
    for (const YAML::Node& node : nodes) {
      Value document;
      BULWARK_RETURN_IF_ERROR(converter.Convert(node, 1, &document));
      documents.push_back(std::move(document));
    }
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(source_name, ":", PositionOf(e.mark).ToString(),
                                                   ": invalid YAML: ", e.msg));
  }
  return documents;
}

absl::StatusOr<std::vector<Value>> ParseYamlFile(const std::string& path, const Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path, limits.max_file_bytes));
  return ParseYaml(text, limits, path);
}

}  // namespace bulwark::core
