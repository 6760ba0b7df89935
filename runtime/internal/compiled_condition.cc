#include "bulwark/runtime/internal/compiled_condition.h"

#include <arpa/inet.h>
#include <fnmatch.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/runtime/event_types.h"
#include "bulwark/runtime/internal/comparison.h"
#include "bulwark/runtime/internal/condition_parser.h"
#include "bulwark/runtime/internal/path_prefix.h"
#include "re2/re2.h"

namespace bulwark::runtime::internal {
namespace {

std::optional<Op> OpFromText(absl::string_view text) {
  static const absl::flat_hash_map<absl::string_view, Op>* const ops =
      new absl::flat_hash_map<absl::string_view, Op>{
          {"=", Op::kEq},
          {"==", Op::kEq},
          {"!=", Op::kNe},
          {"<", Op::kLt},
          {"<=", Op::kLe},
          {">", Op::kGt},
          {">=", Op::kGe},
          {"contains", Op::kContains},
          {"icontains", Op::kIContains},
          {"bcontains", Op::kBContains},
          {"startswith", Op::kStartsWith},
          {"bstartswith", Op::kBStartsWith},
          {"endswith", Op::kEndsWith},
          {"glob", Op::kGlob},
          {"iglob", Op::kIGlob},
          {"pmatch", Op::kPMatch},
          {"in", Op::kIn},
          {"intersects", Op::kIntersects},
          {"exists", Op::kExists},
          {"regex", Op::kRegex},
      };
  auto it = ops->find(text);
  if (it == ops->end()) return std::nullopt;
  return it->second;
}

// The common case of inet_pton(AF_INET): four decimal groups of 1-3 digits, each at most 255
// and without a leading zero. Returns false for anything else (which inet_pton then decides), so
// an address this accepts is one inet_pton accepts with the same bytes.
bool ParseDottedQuad(absl::string_view text, unsigned char* out) {
  size_t at = 0;
  for (int group = 0; group < 4; ++group) {
    if (group > 0) {
      if (at >= text.size() || text[at] != '.') return false;
      ++at;
    }
    const size_t start = at;
    unsigned value = 0;
    while (at < text.size() && at - start < 3 && text[at] >= '0' && text[at] <= '9') {
      value = value * 10 + static_cast<unsigned>(text[at] - '0');
      ++at;
    }
    const size_t digits = at - start;
    if (digits == 0 || value > 255 || (digits > 1 && text[start] == '0')) return false;
    out[group] = static_cast<unsigned char>(value);
  }
  return at == text.size();
}

bool ParseIp(absl::string_view text, int& family, unsigned char* out) {
  if (ParseDottedQuad(text, out)) {
    family = AF_INET;
    return true;
  }
  text = text.substr(0, text.find('\0'));  // inet_pton reads up to the first NUL.
  char s[INET6_ADDRSTRLEN + 1];            // Longer text is no address.
  if (text.size() >= sizeof(s)) return false;
  std::memcpy(s, text.data(), text.size());
  s[text.size()] = '\0';
  if (inet_pton(AF_INET, s, out) == 1) {
    family = AF_INET;
    return true;
  }
  if (inet_pton(AF_INET6, s, out) == 1) {
    family = AF_INET6;
    return true;
  }
  return false;
}

std::optional<IpNet> ParseNet(absl::string_view text) {
  IpNet net;
  std::vector<absl::string_view> parts = absl::StrSplit(text, absl::MaxSplits('/', 1));
  if (!ParseIp(parts[0], net.family, net.address)) return std::nullopt;
  const int bits = net.family == AF_INET ? 32 : 128;
  net.prefix = bits;
  if (parts.size() == 2 &&
      (!absl::SimpleAtoi(parts[1], &net.prefix) || net.prefix < 0 || net.prefix > bits)) {
    return std::nullopt;
  }
  return net;
}

}  // namespace

bool ParseIpAddress(absl::string_view text, IpAddress& out) {
  return ParseIp(text, out.family, out.bytes);
}

bool NetContains(const IpNet& net, const IpAddress& address) {
  if (address.family != net.family) return false;
  const int full_bytes = net.prefix / 8;
  if (std::memcmp(address.bytes, net.address, full_bytes) != 0) return false;
  const int rest = net.prefix % 8;
  if (rest == 0) return true;
  const unsigned char mask = static_cast<unsigned char>(0xFF << (8 - rest));
  return (address.bytes[full_bytes] & mask) == (net.address[full_bytes] & mask);
}

namespace {

bool NetContainsText(const IpNet& net, absl::string_view ip_text) {
  IpAddress address;
  return ParseIpAddress(ip_text, address) && NetContains(net, address);
}

// fnmatch(3) over a string_view: NUL-terminated copy on the stack for the usual short path.
bool GlobMatch(const std::string& pattern, absl::string_view value, int flags) {
  char buffer[512];
  if (value.size() < sizeof(buffer)) {
    std::memcpy(buffer, value.data(), value.size());
    buffer[value.size()] = '\0';
    return fnmatch(pattern.c_str(), buffer, flags) == 0;
  }
  return fnmatch(pattern.c_str(), std::string(value).c_str(), flags) == 0;
}

// Where `needle` first occurs in `haystack`, or npos. Rules' needles ("/.ssh/", "../",
// "stratum+tcp") start with characters that paths and command lines are full of, so a candidate
// position is checked on its second character inline before the rest is compared: most are
// rejected without a call.
size_t FindText(absl::string_view haystack, absl::string_view needle) {
  if (needle.empty()) return 0;
  if (haystack.size() < needle.size()) return absl::string_view::npos;
  const char* const begin = haystack.data();
  const char* const last = begin + haystack.size() - needle.size();
  for (const char* at = begin; at <= last; ++at) {
    at = static_cast<const char*>(std::memchr(at, needle[0], static_cast<size_t>(last - at) + 1));
    if (at == nullptr) break;
    if (needle.size() == 1 ||
        (at[1] == needle[1] && std::memcmp(at + 2, needle.data() + 2, needle.size() - 2) == 0)) {
      return static_cast<size_t>(at - begin);
    }
  }
  return absl::string_view::npos;
}

bool ContainsText(absl::string_view haystack, absl::string_view needle) {
  return FindText(haystack, needle) != absl::string_view::npos;
}

// What fnmatch(3) sees of `value`: the text up to its first NUL.
absl::string_view GlobSubject(absl::string_view value) {
  const void* nul = std::memchr(value.data(), '\0', value.size());
  return nul == nullptr
             ? value
             : value.substr(0, static_cast<size_t>(static_cast<const char*>(nul) - value.data()));
}

// fnmatch(pattern, subject, 0) for a pattern whose only wildcard is `*` (which then matches any
// text, `/` included), given as the literal pieces between its stars: the first piece starts the
// subject, the last ends it, and the others follow in order between them, each at its leftmost
// place (the leftmost choice never prevents a later piece from matching).
bool MatchStarPieces(const std::vector<std::string>& pieces, absl::string_view subject) {
  if (pieces.size() == 1) return subject == pieces[0];
  const std::string& head = pieces.front();
  const std::string& tail = pieces.back();
  if (subject.size() < head.size() + tail.size() || !absl::StartsWith(subject, head) ||
      !absl::EndsWith(subject, tail)) {
    return false;
  }
  absl::string_view middle =
      subject.substr(head.size(), subject.size() - head.size() - tail.size());
  for (size_t i = 1; i + 1 < pieces.size(); ++i) {
    const size_t at = FindText(middle, pieces[i]);
    if (at == absl::string_view::npos) return false;
    middle.remove_prefix(at + pieces[i].size());
  }
  return true;
}

bool ContainsIgnoreCase(absl::string_view haystack, absl::string_view lower_needle) {
  return std::search(haystack.begin(), haystack.end(), lower_needle.begin(), lower_needle.end(),
                     [](char a, char b) { return absl::ascii_tolower(a) == b; }) != haystack.end();
}

bool PathPrefixMatch(absl::string_view value, const std::vector<std::string>& prefixes) {
  for (const std::string& prefix : prefixes) {
    if (IsPathAtOrBelow(value, prefix)) return true;
  }
  return false;
}

}  // namespace

bool Comparison::MatchText(absl::string_view value) const {
  switch (op) {
    case Op::kEq:
    case Op::kIn:
    case Op::kIntersects:
      if (!string_set.empty()) return string_set.contains(value);
      for (const std::string& s : strings) {
        if (value == s) return true;
      }
      return false;
    case Op::kNe:
      return std::find(strings.begin(), strings.end(), value) == strings.end();
    case Op::kLt:
      return value < strings[0];
    case Op::kLe:
      return value <= strings[0];
    case Op::kGt:
      return value > strings[0];
    case Op::kGe:
      return value >= strings[0];
    case Op::kContains:
    case Op::kBContains:
      return ContainsText(value, strings[0]);
    case Op::kIContains:
      return ContainsIgnoreCase(value, strings[0]);
    case Op::kStartsWith:
    case Op::kBStartsWith:
      return absl::StartsWith(value, strings[0]);
    case Op::kEndsWith:
      return absl::EndsWith(value, strings[0]);
    case Op::kGlob: {
      // fnmatch sees the value up to its first NUL.
      absl::string_view subject = GlobSubject(value);
      if (!glob_star_pieces.empty()) return MatchStarPieces(glob_star_pieces, subject);
      if (!absl::StartsWith(subject, glob_prefix) || !absl::EndsWith(subject, glob_suffix)) {
        return false;
      }
      return GlobMatch(strings[0], value, 0);
    }
    case Op::kIGlob:
      return GlobMatch(strings[0], value, FNM_CASEFOLD);
    case Op::kPMatch:
      return PathPrefixMatch(value, strings);
    case Op::kRegex:
      return RE2::FullMatch(re2::StringPiece(value.data(), value.size()), *regex);
    case Op::kExists:
      return true;
  }
  return false;
}

TextAlternatives::TextAlternatives(
    const std::vector<std::shared_ptr<const Comparison>>& alternatives) {
  for (const auto& alternative : alternatives) {
    const Comparison& c = *alternative;
    switch (c.op) {
      case Op::kEq:
      case Op::kIn:
      case Op::kIntersects:
        exact.insert(c.strings.begin(), c.strings.end());
        exact.insert(c.string_set.begin(), c.string_set.end());
        continue;
      case Op::kStartsWith:
      case Op::kBStartsWith:
        prefixes.At(c.strings[0]) = 1;
        has_prefixes = true;
        continue;
      case Op::kGlob:
        // `prefix*`: fnmatch stops at the value's first NUL, which a literal prefix cannot
        // contain, so the glob holds exactly when the value starts with the prefix.
        if (c.glob_star_pieces.size() == 2 && c.glob_star_pieces[1].empty()) {
          prefixes.At(c.glob_star_pieces[0]) = 1;
          has_prefixes = true;
          continue;
        }
        if (!c.glob_star_pieces.empty()) {
          star_globs.push_back(&c.glob_star_pieces);
          continue;
        }
        break;
      case Op::kEndsWith:
        suffixes.push_back(c.strings[0]);
        continue;
      case Op::kContains:
      case Op::kBContains:
        needles.push_back(c.strings[0]);
        continue;
      default:
        break;
    }
    others.push_back(&c);
  }
  prefixes.Freeze();
}

bool TextAlternatives::Match(absl::string_view value) const {
  if (!exact.empty() && exact.contains(value)) return true;
  if (has_prefixes && prefixes.HasPrefixOf(value)) return true;
  for (const std::string& suffix : suffixes) {
    if (absl::EndsWith(value, suffix)) return true;
  }
  for (const std::string& needle : needles) {
    if (ContainsText(value, needle)) return true;
  }
  if (!star_globs.empty()) {
    const absl::string_view subject = GlobSubject(value);
    for (const std::vector<std::string>* pieces : star_globs) {
      if (MatchStarPieces(*pieces, subject)) return true;
    }
  }
  for (const Comparison* other : others) {
    if (other->MatchText(value)) return true;
  }
  return false;
}

bool Comparison::MatchNumber(int64_t value) const {
  switch (op) {
    case Op::kEq:
    case Op::kIn:
    case Op::kIntersects:
      for (int64_t n : numbers) {
        if (value == n) return true;
      }
      return false;
    case Op::kLt:
      return value < numbers[0];
    case Op::kLe:
      return value <= numbers[0];
    case Op::kGt:
      return value > numbers[0];
    case Op::kGe:
      return value >= numbers[0];
    default:
      return MatchText(absl::StrCat(value));
  }
}

bool Comparison::Evaluate(ExtractContext& context) const {
  FieldValues scratch;
  const FieldValues& values = ExtractFieldValues(field, context, scratch);
  if (op == Op::kExists) return !values.empty();
  if (values.empty()) return false;
  if (grouped_alternatives != nullptr) {
    for (const FieldValue& value : values) {
      const std::string number_text = value.is_number ? absl::StrCat(value.number) : "";
      if (grouped_alternatives->Match(value.is_number ? number_text : value.text)) return true;
    }
    return false;
  }
  if (rhs_field.has_value()) {
    FieldValues rhs;
    ExtractField(*rhs_field, context, rhs);
    if (rhs.empty()) return false;
    const FieldValue& a = values[0];
    const FieldValue& b = rhs[0];
    std::string a_text = a.is_number ? absl::StrCat(a.number) : std::string(a.text);
    std::string b_text = b.is_number ? absl::StrCat(b.number) : std::string(b.text);
    switch (op) {
      case Op::kEq:
        return a_text == b_text;
      case Op::kNe:
        return a_text != b_text;
      case Op::kContains:
        return absl::StrContains(a_text, b_text);
      case Op::kStartsWith:
        return absl::StartsWith(a_text, b_text);
      case Op::kEndsWith:
        return absl::EndsWith(a_text, b_text);
      case Op::kLt:
        return a.is_number && b.is_number ? a.number < b.number : a_text < b_text;
      case Op::kLe:
        return a.is_number && b.is_number ? a.number <= b.number : a_text <= b_text;
      case Op::kGt:
        return a.is_number && b.is_number ? a.number > b.number : a_text > b_text;
      case Op::kGe:
        return a.is_number && b.is_number ? a.number >= b.number : a_text >= b_text;
      default:
        return false;
    }
  }
  // `!=` holds when no value equals the operand; every other operator when any value matches.
  const bool negate = op == Op::kNe;
  for (const FieldValue& value : values) {
    bool match = false;
    if (!nets.empty()) {
      for (const IpNet& net : nets) {
        if (!value.is_number && NetContainsText(net, value.text)) {
          match = true;
          break;
        }
      }
    } else if (value.is_number && !numbers.empty()) {
      match = negate ? std::find(numbers.begin(), numbers.end(), value.number) != numbers.end()
                     : MatchNumber(value.number);
    } else {
      std::string number_text;
      absl::string_view text = value.text;
      if (value.is_number) {
        number_text = absl::StrCat(value.number);
        text = number_text;
      }
      match = negate ? std::find(strings.begin(), strings.end(), text) != strings.end()
                     : MatchText(text);
    }
    if (match) return !negate;
  }
  return negate;
}

Node::Node() = default;
Node::~Node() = default;
Node::Node(const Node&) = default;
Node& Node::operator=(const Node&) = default;
Node::Node(Node&&) noexcept = default;
Node& Node::operator=(Node&&) noexcept = default;

bool Node::EvaluateUncached(ExtractContext& context) const {
  switch (kind) {
    case Kind::kAnd:
      for (const Node& child : children) {
        if (!child.Evaluate(context)) return false;
      }
      return true;
    case Kind::kOr:
      for (const Node& child : children) {
        if (child.Evaluate(context)) return true;
      }
      return false;
    case Kind::kNot:
      return !children[0].Evaluate(context);
    case Kind::kCompare:
      return comparison->Evaluate(context);
  }
  return false;
}

EventTypeSet Node::EventTypes(bool inverted) const {
  EventTypeSet all;
  all.set();
  switch (kind) {
    case Kind::kNot:
      return children[0].EventTypes(!inverted);
    case Kind::kAnd:
    case Kind::kOr: {
      const bool intersect = (kind == Kind::kAnd) != inverted;
      EventTypeSet result = intersect ? all : EventTypeSet();
      for (const Node& child : children) {
        EventTypeSet types = child.EventTypes(inverted);
        result = intersect ? (result & types) : (result | types);
      }
      return result;
    }
    case Kind::kCompare: {
      const Comparison& c = *comparison;
      if (c.field.name != "evt.type" || !c.field.transformers.empty() || c.rhs_field.has_value() ||
          (c.op != Op::kEq && c.op != Op::kIn && c.op != Op::kNe)) {
        return all;
      }
      EventTypeSet named;
      for (const std::string& name : c.strings) {
        if (std::optional<v1::EventType> type = EventTypeFromName(name)) named.set(*type);
      }
      const bool positive = (c.op != Op::kNe) != inverted;
      return positive ? named : ~named;
    }
  }
  return all;
}

namespace {

void AppendFieldKey(const BoundField& field, std::string& key) {
  absl::StrAppend(&key, field.name.size(), ":", field.name);
  for (const std::string& t : field.transformers) absl::StrAppend(&key, "~", t);
}

void AppendKey(const Node& node, std::string& key) {
  switch (node.kind) {
    case Node::Kind::kAnd:
    case Node::Kind::kOr:
    case Node::Kind::kNot:
      key += node.kind == Node::Kind::kAnd ? "&(" : node.kind == Node::Kind::kOr ? "|(" : "!(";
      for (const Node& child : node.children) AppendKey(child, key);
      key += ")";
      return;
    case Node::Kind::kCompare: {
      const Comparison& c = *node.comparison;
      if (!c.alternatives.empty()) {
        key += "m(";
        for (const auto& alternative : c.alternatives) {
          Node member;
          member.comparison = alternative;
          AppendKey(member, key);
        }
        key += ")";
        return;
      }
      key += "c(";
      AppendFieldKey(c.field, key);
      absl::StrAppend(&key, "#", static_cast<int>(c.op), "#");
      if (c.rhs_field.has_value()) AppendFieldKey(*c.rhs_field, key);
      for (const std::string& s : c.strings) absl::StrAppend(&key, "#", s.size(), ":", s);
      key += ")";
      return;
    }
  }
}

// `fd.directory = D` holds only when fd.name starts with D + "/" (the directory is the name up
// to its last slash, "/" for a file in the root): a requirement on fd.name.
std::optional<PrefixRequirement> DirectoryPrefixes(const Comparison& c) {
  if (c.op != Op::kEq && c.op != Op::kIn) return std::nullopt;
  static const absl::StatusOr<BoundField>* const fd_name =
      new absl::StatusOr<BoundField>(BindField(FieldExpr{.name = "fd.name"}));
  if (!fd_name->ok() || c.strings.empty()) return std::nullopt;
  PrefixRequirement requirement;
  requirement.field = **fd_name;
  AppendFieldKey(requirement.field, requirement.field_key);
  for (const std::string& directory : c.strings) {
    requirement.prefixes.push_back(absl::EndsWith(directory, "/") ? directory : directory + "/");
  }
  return requirement;
}

std::optional<PrefixRequirement> ComparisonPrefixes(const Comparison& c) {
  if (c.field.type != FieldType::kString || c.field.name == "evt.type" || c.rhs_field.has_value()) {
    return std::nullopt;
  }
  if (c.field.name == "fd.directory" && c.field.transformers.empty() && c.alternatives.empty()) {
    return DirectoryPrefixes(c);
  }
  PrefixRequirement requirement;
  if (!c.alternatives.empty()) {
    for (const auto& alternative : c.alternatives) {
      std::optional<PrefixRequirement> part = ComparisonPrefixes(*alternative);
      if (!part.has_value()) return std::nullopt;
      requirement.prefixes.insert(requirement.prefixes.end(), part->prefixes.begin(),
                                  part->prefixes.end());
    }
  } else {
    switch (c.op) {
      case Op::kEq:
      case Op::kIn:
      case Op::kIntersects:
      case Op::kStartsWith:
      case Op::kBStartsWith:
      case Op::kPMatch:
        requirement.prefixes = c.strings;
        break;
      case Op::kGlob:
        requirement.prefixes = {c.glob_prefix};
        break;
      default:
        return std::nullopt;
    }
  }
  for (const std::string& prefix : requirement.prefixes) {
    if (prefix.empty()) return std::nullopt;  // Anything starts with "".
  }
  if (requirement.prefixes.empty()) return std::nullopt;
  requirement.field = c.field;
  AppendFieldKey(c.field, requirement.field_key);
  return requirement;
}

}  // namespace

std::optional<PrefixRequirement> RequiredPrefixes(const Node& node) {
  switch (node.kind) {
    case Node::Kind::kCompare:
      return ComparisonPrefixes(*node.comparison);
    case Node::Kind::kAnd:
      // Every child must hold: any child's requirement is the node's.
      for (const Node& child : node.children) {
        if (std::optional<PrefixRequirement> r = RequiredPrefixes(child)) return r;
      }
      return std::nullopt;
    case Node::Kind::kOr: {
      // Some child holds: the union, when every child constrains the same field.
      std::optional<PrefixRequirement> all;
      for (const Node& child : node.children) {
        std::optional<PrefixRequirement> r = RequiredPrefixes(child);
        if (!r.has_value() || (all.has_value() && all->field_key != r->field_key)) {
          return std::nullopt;
        }
        if (!all.has_value()) {
          all = std::move(r);
        } else {
          all->prefixes.insert(all->prefixes.end(), r->prefixes.begin(), r->prefixes.end());
        }
      }
      return all;
    }
    case Node::Kind::kNot:
      return std::nullopt;
  }
  return std::nullopt;
}

std::string StructuralKey(const Node& node) {
  std::string key;
  AppendKey(node, key);
  return key;
}

namespace {

// A folded node: always false, always true, or a residual node.
struct Folded {
  enum class Kind { kFalse, kTrue, kNode } kind;
  Node node;
};

Folded Fold(const Node& node, int event_type) {
  switch (node.kind) {
    case Node::Kind::kCompare: {
      const Comparison& c = *node.comparison;
      if (c.field.name == "evt.type" && c.field.transformers.empty() && !c.rhs_field.has_value() &&
          (c.op == Op::kEq || c.op == Op::kIn || c.op == Op::kNe)) {
        absl::string_view name = EventTypeName(static_cast<v1::EventType>(event_type));
        bool listed = std::find(c.strings.begin(), c.strings.end(), name) != c.strings.end();
        bool result = c.op == Op::kNe ? !listed : listed;
        return Folded{result ? Folded::Kind::kTrue : Folded::Kind::kFalse, Node()};
      }
      return Folded{Folded::Kind::kNode, node};
    }
    case Node::Kind::kNot: {
      Folded child = Fold(node.children[0], event_type);
      if (child.kind == Folded::Kind::kTrue) return Folded{Folded::Kind::kFalse, Node()};
      if (child.kind == Folded::Kind::kFalse) return Folded{Folded::Kind::kTrue, Node()};
      Node result;
      result.kind = Node::Kind::kNot;
      result.memo_slot = node.memo_slot;
      result.children.push_back(std::move(child.node));
      return Folded{Folded::Kind::kNode, std::move(result)};
    }
    case Node::Kind::kAnd:
    case Node::Kind::kOr: {
      const bool is_and = node.kind == Node::Kind::kAnd;
      // For and, a false child decides; for or, a true one.
      const Folded::Kind deciding = is_and ? Folded::Kind::kFalse : Folded::Kind::kTrue;
      Node result;
      result.kind = node.kind;
      result.memo_slot = node.memo_slot;
      for (const Node& child : node.children) {
        Folded folded = Fold(child, event_type);
        if (folded.kind == deciding) return Folded{deciding, Node()};
        if (folded.kind == Folded::Kind::kNode) result.children.push_back(std::move(folded.node));
      }
      if (result.children.empty()) {
        return Folded{is_and ? Folded::Kind::kTrue : Folded::Kind::kFalse, Node()};
      }
      if (result.children.size() == 1 && result.memo_slot < 0) {
        return Folded{Folded::Kind::kNode, std::move(result.children[0])};
      }
      return Folded{Folded::Kind::kNode, std::move(result)};
    }
  }
  return Folded{Folded::Kind::kNode, node};
}

}  // namespace

std::optional<Node> SpecializeForEventType(const Node& node, int event_type) {
  Folded folded = Fold(node, event_type);
  if (folded.kind == Folded::Kind::kFalse) return std::nullopt;
  if (folded.kind == Folded::Kind::kTrue) {
    Node always;
    always.kind = Node::Kind::kAnd;  // An empty and is true.
    return always;
  }
  return std::move(folded.node);
}

namespace {

bool IsMergeableText(const Node& node) {
  if (node.kind != Node::Kind::kCompare) return false;
  const Comparison& c = *node.comparison;
  if (c.field.type != FieldType::kString || c.field.name == "evt.type" || c.rhs_field.has_value() ||
      !c.nets.empty() || !c.alternatives.empty()) {
    return false;
  }
  switch (c.op) {
    case Op::kEq:
    case Op::kIn:
    case Op::kIntersects:
    case Op::kContains:
    case Op::kIContains:
    case Op::kBContains:
    case Op::kStartsWith:
    case Op::kBStartsWith:
    case Op::kEndsWith:
    case Op::kGlob:
    case Op::kIGlob:
    case Op::kPMatch:
    case Op::kRegex:
      return true;
    default:
      return false;
  }
}

// Children of an `or` that compare the same text field (`fd.name startswith /dev/sd or fd.name
// startswith /dev/nvme or fd.name glob ...`) become one comparison that extracts the field once
// and tries each operand in a tight loop. Same result: for any value of the field, some operand
// matches exactly when some child would have. evt.type tests stay apart (event type indexing
// reads them).
void MergeTextAlternatives(Node& node) {
  std::vector<Node> kept;
  absl::flat_hash_map<std::string, size_t> by_field;
  for (Node& child : node.children) {
    if (!IsMergeableText(child)) {
      kept.push_back(std::move(child));
      continue;
    }
    std::string field_key;
    AppendFieldKey(child.comparison->field, field_key);
    auto [it, inserted] = by_field.try_emplace(field_key, kept.size());
    if (inserted) {
      kept.push_back(std::move(child));
      continue;
    }
    Node& merged = kept[it->second];
    auto multi = std::make_shared<Comparison>();
    multi->field = merged.comparison->field;
    if (merged.comparison->alternatives.empty()) {
      multi->alternatives.push_back(merged.comparison);
    } else {
      multi->alternatives = merged.comparison->alternatives;
    }
    multi->alternatives.push_back(child.comparison);
    multi->grouped_alternatives = std::make_shared<TextAlternatives>(multi->alternatives);
    merged.comparison = std::move(multi);
    merged.memo_slot = -1;  // Now tests more than the macro it may have come from.
  }
  node.children = std::move(kept);
}

class Compiler {
 public:
  Compiler(const CompileScope& scope, CompileError* error) : scope_(scope), error_(error) {}

  absl::Status Fail(CompileError::Kind kind, std::string message) {
    if (error_ != nullptr) *error_ = CompileError{kind, message};
    return absl::InvalidArgumentError(message);
  }

  absl::StatusOr<Node> Compile(const Expr& expr, int depth) {
    if (depth > kMaxConditionDepth) {
      return Fail(CompileError::Kind::kSyntax, "condition nested too deeply");
    }
    Node node;
    switch (expr.kind) {
      case Expr::Kind::kAnd:
      case Expr::Kind::kOr:
      case Expr::Kind::kNot:
        node.kind = expr.kind == Expr::Kind::kAnd  ? Node::Kind::kAnd
                    : expr.kind == Expr::Kind::kOr ? Node::Kind::kOr
                                                   : Node::Kind::kNot;
        for (const auto& child : expr.children) {
          BULWARK_ASSIGN_OR_RETURN(Node compiled, Compile(*child, depth + 1));
          node.children.push_back(std::move(compiled));
        }
        if (node.kind == Node::Kind::kOr) MergeTextAlternatives(node);
        return node;
      case Expr::Kind::kIdentifier: {
        auto it = scope_.macros != nullptr ? scope_.macros->find(expr.name)
                                           : decltype(scope_.macros->end()){};
        if (scope_.macros == nullptr || it == scope_.macros->end()) {
          return Fail(CompileError::Kind::kUndefinedMacro,
                      absl::StrCat("Undefined macro '", expr.name, "' used in filter."));
        }
        for (const std::string& active : expanding_) {
          if (active == expr.name) {
            return Fail(CompileError::Kind::kMacroLoop,
                        absl::StrCat("reference loop in macro '", expr.name, "'"));
          }
        }
        if (scope_.on_macro_used) scope_.on_macro_used(expr.name);
        expanding_.push_back(expr.name);
        absl::StatusOr<Node> inlined = Compile(*it->second, depth + 1);
        expanding_.pop_back();
        if (inlined.ok() && scope_.macro_slots != nullptr) {
          auto slot = scope_.macro_slots->find(expr.name);
          if (slot != scope_.macro_slots->end()) inlined->memo_slot = slot->second;
        }
        return inlined;
      }
      case Expr::Kind::kCompare:
        return CompileCompare(expr.field, expr.op, expr.operand);
    }
    return Fail(CompileError::Kind::kSyntax, "unknown expression");
  }

  // Expands list names among unquoted items (one level, as the lists are already expanded).
  std::vector<std::string> ExpandItems(const std::vector<ValueItem>& items) {
    std::vector<std::string> result;
    for (const ValueItem& item : items) {
      if (!item.quoted && scope_.lists != nullptr) {
        auto it = scope_.lists->find(item.text);
        if (it != scope_.lists->end()) {
          if (scope_.on_list_used) scope_.on_list_used(item.text);
          result.insert(result.end(), it->second.begin(), it->second.end());
          continue;
        }
      }
      result.push_back(item.text);
    }
    return result;
  }

  absl::StatusOr<Node> CompileCompare(const FieldExpr& field_expr, const std::string& op_text,
                                      const Operand& operand) {
    std::optional<Op> op = OpFromText(op_text);
    if (!op.has_value()) {
      return Fail(CompileError::Kind::kSyntax,
                  absl::StrCat("'", op_text, "' is not a supported comparison operator"));
    }
    absl::StatusOr<BoundField> field = BindField(field_expr);
    if (!field.ok()) {
      return Fail(CompileError::Kind::kUnknownField, std::string(field.status().message()));
    }
    auto c = std::make_unique<Comparison>();
    c->field = *std::move(field);
    c->op = *op;
    if (operand.kind == Operand::Kind::kField) {
      absl::StatusOr<BoundField> rhs = BindField(operand.field);
      if (!rhs.ok()) {
        return Fail(CompileError::Kind::kUnknownField, std::string(rhs.status().message()));
      }
      c->rhs_field = *std::move(rhs);
    } else if (*op != Op::kExists) {
      std::vector<std::string> values = ExpandItems(operand.items);
      // A list name or list on the right of `=` compares against each item (Falco substitutes
      // list names textually, so `proc.name=cat_binaries` means any of them).
      if (*op == Op::kEq && values.size() != 1) c->op = Op::kIn;
      if (values.empty() && !IsListOperator(op_text) && c->op != Op::kIn) {
        return Fail(CompileError::Kind::kBadValue, absl::StrCat("missing value after ", op_text));
      }
      BULWARK_RETURN_IF_ERROR(SetValues(*c, std::move(values)));
    }
    Node node;
    node.kind = Node::Kind::kCompare;
    node.comparison = std::move(c);
    return node;
  }

  absl::Status SetValues(Comparison& c, std::vector<std::string> values) {
    const std::string& name = c.field.name;
    if (name == "evt.type" && c.field.transformers.empty()) {
      for (const std::string& v : values) {
        if (!EventTypeFromName(v).has_value()) {
          return Fail(CompileError::Kind::kBadValue, absl::StrCat("unknown event type ", v));
        }
      }
    }
    switch (c.op) {
      case Op::kIContains:
        for (std::string& v : values) v = absl::AsciiStrToLower(v);
        break;
      case Op::kBContains:
      case Op::kBStartsWith:
        for (std::string& v : values) {
          if (v.size() % 2 != 0 || !std::all_of(v.begin(), v.end(), absl::ascii_isxdigit)) {
            return Fail(CompileError::Kind::kBadValue,
                        absl::StrCat("'", v, "' is not a hex byte string for ", name));
          }
          v = absl::HexStringToBytes(v);
        }
        break;
      case Op::kGlob:
        if (!values.empty()) {
          const std::string& pattern = values[0];
          constexpr char kSpecial[] = "*?[]\\";
          const size_t first = pattern.find_first_of(kSpecial);
          c.glob_prefix = pattern.substr(0, first);
          if (first != std::string::npos) {
            c.glob_suffix = pattern.substr(pattern.find_last_of(kSpecial) + 1);
          }
          if (pattern.find_first_of("?[]\\") == std::string::npos) {
            c.glob_star_pieces = absl::StrSplit(pattern, '*');
          }
        }
        break;
      case Op::kRegex: {
        c.regex = std::make_unique<RE2>(values.empty() ? "" : values[0], RE2::Quiet);
        if (!c.regex->ok()) {
          return Fail(CompileError::Kind::kBadValue,
                      absl::StrCat("invalid regex '", values[0], "': ", c.regex->error()));
        }
        break;
      }
      default:
        break;
    }
    if (c.field.type == FieldType::kNumber || c.field.type == FieldType::kBool) {
      const bool string_op =
          c.op == Op::kContains || c.op == Op::kIContains || c.op == Op::kStartsWith ||
          c.op == Op::kEndsWith || c.op == Op::kGlob || c.op == Op::kIGlob || c.op == Op::kRegex ||
          c.op == Op::kPMatch || c.op == Op::kBContains || c.op == Op::kBStartsWith;
      if (!string_op) {
        for (const std::string& v : values) {
          int64_t n = 0;
          if (c.field.type == FieldType::kBool && (v == "true" || v == "false")) {
            n = v == "true" ? 1 : 0;
          } else if (!absl::SimpleAtoi(v, &n)) {
            return Fail(CompileError::Kind::kBadValue,
                        absl::StrCat("'", v, "' is not a valid number for field ", name));
          }
          c.numbers.push_back(n);
        }
      }
    }
    if (c.field.type == FieldType::kIpNet) {
      for (const std::string& v : values) {
        std::optional<IpNet> net = ParseNet(v);
        if (!net.has_value()) {
          return Fail(CompileError::Kind::kBadValue,
                      absl::StrCat("'", v, "' is not a valid network for field ", name));
        }
        c.nets.push_back(*net);
      }
    }
    constexpr size_t kSetThreshold = 8;
    if ((c.op == Op::kIn || c.op == Op::kEq || c.op == Op::kIntersects) &&
        values.size() >= kSetThreshold) {
      c.string_set.insert(values.begin(), values.end());
    }
    if (values.empty() && c.op != Op::kIn && c.op != Op::kIntersects && c.op != Op::kPMatch &&
        c.op != Op::kExists) {
      values.emplace_back();
    }
    c.strings = std::move(values);
    return absl::OkStatus();
  }

 private:
  const CompileScope& scope_;
  CompileError* error_;
  std::vector<std::string> expanding_;
};

}  // namespace

absl::StatusOr<Node> CompileCondition(const Expr& expr, const CompileScope& scope,
                                      CompileError* error) {
  Compiler compiler(scope, error);
  return compiler.Compile(expr, 0);
}

absl::StatusOr<Node> CompileComparison(const FieldExpr& field, const std::string& op,
                                       const Operand& operand, const CompileScope& scope,
                                       CompileError* error) {
  Compiler compiler(scope, error);
  return compiler.CompileCompare(field, op, operand);
}

}  // namespace bulwark::runtime::internal
