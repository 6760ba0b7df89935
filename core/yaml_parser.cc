// ParseYaml: yaml-cpp's event parser drives a builder that makes Values directly, resolving
// plain scalars by the YAML 1.2 core schema and counting every value (aliases once per use).
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/document.h"
#include "bulwark/core/file.h"
#include "bulwark/core/internal/value_builders.h"
#include "bulwark/core/status_macros.h"
#include "re2/re2.h"
#include "simdjson.h"
#include "yaml-cpp/depthguard.h"
#include "yaml-cpp/eventhandler.h"
#include "yaml-cpp/exceptions.h"
#include "yaml-cpp/parser.h"

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

// YAML 1.2 (5.7) defines the escapes `\N` (U+0085) and `\_` (U+00A0); yaml-cpp 0.7 decodes them
// to the single bytes 0x85 and 0xA0 instead of their UTF-8 encodings (C2 85, C2 A0). The
// stream was checked to be UTF-8 and yaml-cpp re-encodes every other character (including
// `\x`, `\u` and `\U` escapes) as UTF-8, so the decoded text is whole UTF-8 sequences with
// those stray bytes in between: a 0x85 or 0xA0 where a sequence must start can only be one of
// these escapes. Writes the re-encoded text to *out and returns true when `text` had any.
bool RepairLatin1Escapes(const std::string& text, std::string* out) {
  auto is_stray = [](unsigned char c) { return c == 0x85 || c == 0xA0; };
  auto sequence_length = [](unsigned char lead) -> size_t {
    if (lead < 0x80) return 1;
    if ((lead & 0xE0) == 0xC0) return 2;
    if ((lead & 0xF0) == 0xE0) return 3;
    if ((lead & 0xF8) == 0xF0) return 4;
    return 1;  // Not a lead byte: copied as is, and validation rejects it later.
  };
  bool repaired = false;
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = text[i];
    if (is_stray(c)) {
      if (!repaired) out->assign(text, 0, i);
      repaired = true;
      out->push_back('\xC2');
      out->push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    size_t length = std::min(sequence_length(c), text.size() - i);
    if (repaired) out->append(text, i, length);
    i += length;
  }
  return repaired;
}

// Builds Values straight from yaml-cpp's parser events (no intermediate node graph). Every
// event is counted against the entry budget, which also stops yaml-cpp 0.7 inputs that make its
// parser emit events forever (found by fuzzing: ",) 2"). Errors travel as a thrown
// StatusException from inside the event callbacks and are caught in ParseYaml.
class ValueBuilder : public YAML::EventHandler {
 public:
  struct StatusException {
    absl::Status status;
  };

  // Without aliases a document cannot hold more values than it has bytes, so a budget
  // proportional to its size stops alias bombs early while leaving room for real aliasing.
  ValueBuilder(const Limits& limits, absl::string_view source_name, size_t text_size)
      : limits_(limits),
        source_name_(source_name),
        max_entries_(std::min<uint64_t>(limits.max_entries,
                                        kBaseEntries + kEntriesPerByte * uint64_t{text_size})) {}

  std::vector<Value> TakeDocuments() && { return std::move(documents_); }

  void OnDocumentStart(const YAML::Mark&) override { stack_.clear(); }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Value value;
    value.set_position(PositionOf(mark));
    Complete(std::move(value), anchor, /*key_text=*/"", /*is_plain_merge_key=*/false);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) Fail(PositionOf(mark), "alias to an anchor that is not complete");
    Count(PositionOf(mark), it->second.entries);
    Value copy = it->second.value;
    Complete(std::move(copy), YAML::NullAnchor, it->second.key_text, false);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& decoded) override {
    SourcePosition position = PositionOf(mark);
    std::string repaired;
    const std::string& text = RepairLatin1Escapes(decoded, &repaired) ? repaired : decoded;
    // Checked again after the repair: any other invalid UTF-8 would be a yaml-cpp defect that
    // should surface as an error, not reach callers as undecodable text.
    if (!simdjson::validate_utf8(text.data(), text.size())) {
      Fail(position, "scalar does not decode to valid UTF-8");
    }
    Value value = ResolveScalar(tag, text, position);
    value.set_position(position);
    Complete(std::move(value), anchor, text, tag == "?" && text == "<<");
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(mark, anchor, /*is_map=*/false);
  }
  void OnSequenceEnd() override { Close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(mark, anchor, /*is_map=*/true);
  }
  void OnMapEnd() override { Close(); }

 private:
  static constexpr uint64_t kBaseEntries = 10'000;
  static constexpr uint64_t kEntriesPerByte = 4;

  // A sequence or mapping being built.
  struct Frame {
    bool is_map = false;
    SourcePosition position;
    YAML::anchor_t anchor = YAML::NullAnchor;
    uint64_t entries_at_start = 0;
    std::optional<internal::ListBuilder> elements;
    std::optional<internal::MapBuilder> map;
    // Mapping state: the next node is a key, or the value of `key`.
    bool expecting_key = true;
    bool key_is_merge = false;
    std::string key;
    SourcePosition key_position;
    std::vector<Value> merge_sources;
  };

  struct Anchored {
    Value value;
    uint64_t entries = 0;
    std::string key_text;  // Scalars only: the text, so an alias can serve as a map key.
  };

  [[noreturn]] void Fail(SourcePosition position, absl::string_view what) const {
    throw StatusException{
        absl::InvalidArgumentError(absl::StrCat(Where(position), ": invalid YAML: ", what))};
  }

  void Count(SourcePosition position, uint64_t entries) {
    entries_ += entries;
    if (entries_ <= max_entries_) return;
    if (max_entries_ == limits_.max_entries) {
      throw StatusException{LimitExceeded("max_entries", limits_.max_entries, Where(position))};
    }
    throw StatusException{absl::ResourceExhaustedError(absl::StrCat(
        Where(position), ": the stream expands to more than ", max_entries_, " values (",
        kEntriesPerByte, " per byte of input plus ", kBaseEntries, "; limit max_entries)"))};
  }

  void Open(const YAML::Mark& mark, YAML::anchor_t anchor, bool is_map) {
    SourcePosition position = PositionOf(mark);
    if (!stack_.empty() && stack_.back().is_map && stack_.back().expecting_key) {
      Fail(position, "map keys must be scalars");
    }
    if (stack_.size() + 1 > EffectiveMaxDepth(limits_)) {
      throw StatusException{
          LimitExceeded("max_depth", EffectiveMaxDepth(limits_), Where(position))};
    }
    Count(position, 1);
    Frame frame;
    frame.is_map = is_map;
    frame.position = position;
    frame.anchor = anchor;
    frame.entries_at_start = entries_ - 1;
    if (is_map) {
      frame.map.emplace(&entry_scratch_);
    } else {
      frame.elements.emplace(&element_scratch_);
    }
    stack_.push_back(std::move(frame));
  }

  void Close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    Value value;
    if (frame.is_map) {
      ApplyMerges(frame);
      value = Value(std::move(*frame.map).Finish());
    } else {
      value = Value(std::move(*frame.elements).Finish());
    }
    value.set_position(frame.position);
    if (frame.anchor != YAML::NullAnchor) {
      anchors_[frame.anchor] = Anchored{value, entries_ - frame.entries_at_start, ""};
    }
    Complete(std::move(value), YAML::NullAnchor, "", false);
  }

  // Merge keys (yaml.org/type/merge.html): entries of the merged maps fill in keys the map does
  // not set itself; in a list of maps, earlier maps win.
  void ApplyMerges(Frame& frame) {
    for (const Value& source : frame.merge_sources) {
      std::vector<const Value*> maps;
      if (source.is_map()) {
        maps.push_back(&source);
      } else if (source.is_list()) {
        for (const Value& element : source.list_value()) maps.push_back(&element);
      }
      if (maps.empty()) Fail(source.position(), "merge key (<<) needs a map or a list of maps");
      for (const Value* map : maps) {
        if (!map->is_map()) Fail(map->position(), "merge key (<<) needs a map or a list of maps");
        for (const MapEntry& entry : map->map_value()) {
          if (!frame.map->Contains(entry.key)) frame.map->Add(entry.key, entry.value);
        }
      }
    }
  }

  // Places a finished node: as a document, a sequence element, a map key, or a map value.
  void Complete(Value value, YAML::anchor_t anchor, const std::string& key_text,
                bool is_plain_merge_key) {
    bool is_scalar = !value.is_list() && !value.is_map();
    if (is_scalar) Count(value.position(), 1);
    if (anchor != YAML::NullAnchor) anchors_[anchor] = Anchored{value, 1, key_text};
    if (stack_.empty()) {
      documents_.push_back(std::move(value));
      return;
    }
    Frame& parent = stack_.back();
    if (!parent.is_map) {
      parent.elements->Add(std::move(value));
      return;
    }
    if (parent.expecting_key) {
      if (!is_scalar) Fail(value.position(), "map keys must be scalars");
      parent.key = key_text;
      parent.key_position = value.position();
      parent.key_is_merge = is_plain_merge_key;
      parent.expecting_key = false;
      return;
    }
    parent.expecting_key = true;
    if (parent.key_is_merge) {
      parent.merge_sources.push_back(std::move(value));
      return;
    }
    if (!parent.map->Add(parent.key, std::move(value))) {
      Fail(parent.key_position, absl::StrCat("duplicate key \"", parent.key, "\""));
    }
  }

  Value ResolveScalar(const std::string& raw_tag, const std::string& text,
                      SourcePosition position) const {
    std::string tag = raw_tag;
    if (absl::StartsWith(tag, kTagPrefix)) tag = "!!" + tag.substr(kTagPrefix.size());
    Value out;
    bool b;
    double d;
    if (tag == "!" || tag == "!!str") return Value(text);
    if (tag == "?") {
      if (IsCoreNull(text)) return Value();
      if (ParseCoreBool(text, &b)) return Value(b);
      if (ParseCoreInt(text, &out)) return out;
      if (ParseCoreFloat(text, &d)) return Value(d);
      return Value(text);
    }
    if (tag == "!!binary") {
      std::string decoded;
      if (!absl::Base64Unescape(text, &decoded)) Fail(position, "invalid !!binary data");
      return Value(Bytes{std::move(decoded)});
    }
    if (tag == "!!null") {
      if (!IsCoreNull(text)) Fail(position, "!!null value is not null");
      return Value();
    }
    if (tag == "!!bool") {
      if (!ParseCoreBool(text, &b)) Fail(position, "!!bool value is not true or false");
      return Value(b);
    }
    if (tag == "!!int") {
      if (!ParseCoreInt(text, &out)) Fail(position, "!!int value is not an integer");
      return out;
    }
    if (tag == "!!float") {
      if (ParseCoreFloat(text, &d)) return Value(d);
      if (ParseCoreInt(text, &out) && absl::SimpleAtod(text, &d)) return Value(d);
      Fail(position, "!!float value is not a number");
    }
    // Application tags (e.g. !Ref) keep the text: the caller may interpret them.
    return Value(text);
  }

  std::string Where(SourcePosition position) const {
    return absl::StrCat(source_name_, ":", position.ToString());
  }

  const Limits& limits_;
  absl::string_view source_name_;
  const uint64_t max_entries_;
  uint64_t entries_ = 0;
  std::vector<Frame> stack_;
  // Shared by every open container (see internal/value_builders.h).
  ValueList element_scratch_;
  ValueMap entry_scratch_;
  absl::flat_hash_map<YAML::anchor_t, Anchored> anchors_;
  std::vector<Value> documents_;
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
  // YAML 1.2 (5.1): control characters other than tab, line feed and carriage return may only
  // appear escaped.
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = text[i];
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
      size_t line_start = text.rfind('\n', i == 0 ? 0 : i - 1);
      line_start = line_start == absl::string_view::npos || i == 0 ? 0 : line_start + 1;
      SourcePosition position{
          static_cast<uint32_t>(std::count(text.begin(), text.begin() + i, '\n') + 1),
          static_cast<uint32_t>(i - line_start + 1)};
      return absl::InvalidArgumentError(absl::StrCat(
          source_name, ":", position.ToString(), ": invalid YAML: control character 0x",
          absl::Hex(c, absl::kZeroPad2), " must be escaped"));
    }
  }
  std::string copy(text);
  std::istringstream stream(copy);
  ValueBuilder builder(limits, source_name, text.size());
  try {
    YAML::Parser parser(stream);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const ValueBuilder::StatusException& e) {
    return e.status;
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's parser has a nesting guard of its own (2000 levels in 0.7).
    return absl::ResourceExhaustedError(absl::StrCat(source_name, ":",
                                                     PositionOf(e.mark).ToString(),
                                                     ": yaml-cpp nesting limit exceeded: ", e.msg));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat(source_name, ":", PositionOf(e.mark).ToString(), ": invalid YAML: ", e.msg));
  }
  return std::move(builder).TakeDocuments();
}

absl::StatusOr<std::vector<Value>> ParseYamlFile(const std::string& path, const Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path, limits.max_file_bytes));
  return ParseYaml(text, limits, path);
}

}  // namespace bulwark::core
