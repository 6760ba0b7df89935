// The CEL strings extension (charAt, indexOf, lastIndexOf, lowerAscii, upperAscii, replace,
// split, substring, trim, join, reverse, strings.quote, format) and base64 encoders. Indexes
// count Unicode code points.
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "bulwark/core/utf8.h"
#include "bulwark/policy/cel/internal/functions.h"
#include "bulwark/policy/cel/internal/string_format.h"

namespace bulwark::cel::internal {
namespace {

Value CharAt(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_string() || !a[1].is_int()) return NoOverload("charAt");
  std::u32string s = core::DecodeUtf8(a[0].string_value());
  int64_t i = a[1].int_value();
  if (i < 0 || static_cast<size_t>(i) > s.size()) {
    return ErrorValue(absl::StrCat("index out of range: ", i));
  }
  if (static_cast<size_t>(i) == s.size()) return Value::String("");
  return Value::String(core::EncodeUtf8(s.substr(static_cast<size_t>(i), 1)));
}

Value IndexOf(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_string() || !a[1].is_string() || (a.size() == 3 && !a[2].is_int())) {
    return NoOverload("indexOf");
  }
  std::u32string s = core::DecodeUtf8(a[0].string_value());
  std::u32string t = core::DecodeUtf8(a[1].string_value());
  int64_t start = a.size() == 3 ? a[2].int_value() : 0;
  if (start < 0 || static_cast<size_t>(start) > s.size()) {
    return ErrorValue(absl::StrCat("index out of range: ", start));
  }
  size_t found = s.find(t, static_cast<size_t>(start));
  return Value::Int(found == std::u32string::npos ? -1 : static_cast<int64_t>(found));
}

Value LastIndexOf(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_string() || !a[1].is_string() || (a.size() == 3 && !a[2].is_int())) {
    return NoOverload("lastIndexOf");
  }
  std::u32string s = core::DecodeUtf8(a[0].string_value());
  std::u32string t = core::DecodeUtf8(a[1].string_value());
  int64_t start = a.size() == 3 ? a[2].int_value() : static_cast<int64_t>(s.size());
  if (start < 0 || static_cast<size_t>(start) > s.size()) {
    return ErrorValue(absl::StrCat("index out of range: ", start));
  }
  size_t found = s.rfind(t, static_cast<size_t>(start));
  return Value::Int(found == std::u32string::npos ? -1 : static_cast<int64_t>(found));
}

Value LowerAscii(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_string()) return NoOverload("lowerAscii");
  return Value::String(absl::AsciiStrToLower(a[0].string_value()));
}

Value UpperAscii(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_string()) return NoOverload("upperAscii");
  return Value::String(absl::AsciiStrToUpper(a[0].string_value()));
}

Value Replace(absl::Span<const Value> a, EvalContext& ctx) {
  if (!a[0].is_string() || !a[1].is_string() || !a[2].is_string() ||
      (a.size() == 4 && !a[3].is_int())) {
    return NoOverload("replace");
  }
  absl::string_view s = a[0].string_value();
  absl::string_view from = a[1].string_value();
  absl::string_view to = a[2].string_value();
  int64_t limit = a.size() == 4 ? a[3].int_value() : -1;
  std::string out;
  size_t pos = 0;
  int64_t count = 0;
  while (limit < 0 || count < limit) {
    size_t found = s.find(from, pos);
    if (found == absl::string_view::npos) break;
    absl::StrAppend(&out, s.substr(pos, found - pos), to);
    if (from.empty()) {
      // Empty pattern: insert between code points.
      if (found >= s.size()) {
        pos = s.size() + 1;
        ++count;
        break;
      }
      size_t next = found + 1;
      while (next < s.size() && (static_cast<unsigned char>(s[next]) & 0xC0) == 0x80) ++next;
      absl::StrAppend(&out, s.substr(found, next - found));
      pos = next;
    } else {
      pos = found + from.size();
    }
    ++count;
    if (!ctx.CheckSize(out.size())) return ctx.SizeError();
  }
  if (pos <= s.size()) absl::StrAppend(&out, s.substr(pos));
  return Value::String(std::move(out));
}

Value Split(absl::Span<const Value> a, EvalContext& ctx) {
  if (!a[0].is_string() || !a[1].is_string() || (a.size() == 3 && !a[2].is_int())) {
    return NoOverload("split");
  }
  absl::string_view s = a[0].string_value();
  absl::string_view sep = a[1].string_value();
  int64_t limit = a.size() == 3 ? a[2].int_value() : -1;
  std::vector<Value> parts;
  if (limit == 0) return Value::List({});
  if (sep.empty()) {
    std::u32string chars = core::DecodeUtf8(s);
    for (size_t i = 0; i < chars.size(); ++i) {
      if (limit > 0 && static_cast<int64_t>(parts.size()) == limit - 1) {
        parts.push_back(Value::String(core::EncodeUtf8(chars.substr(i))));
        break;
      }
      parts.push_back(Value::String(core::EncodeUtf8(chars.substr(i, 1))));
    }
  } else {
    size_t pos = 0;
    while (true) {
      if (limit > 0 && static_cast<int64_t>(parts.size()) == limit - 1) {
        parts.push_back(Value::String(std::string(s.substr(pos))));
        break;
      }
      size_t found = s.find(sep, pos);
      if (found == absl::string_view::npos) {
        parts.push_back(Value::String(std::string(s.substr(pos))));
        break;
      }
      parts.push_back(Value::String(std::string(s.substr(pos, found - pos))));
      pos = found + sep.size();
    }
  }
  if (!ctx.CheckSize(parts.size())) return ctx.SizeError();
  return Value::List(std::move(parts));
}

Value Substring(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_string() || !a[1].is_int() || (a.size() == 3 && !a[2].is_int())) {
    return NoOverload("substring");
  }
  std::u32string s = core::DecodeUtf8(a[0].string_value());
  int64_t start = a[1].int_value();
  int64_t end = a.size() == 3 ? a[2].int_value() : static_cast<int64_t>(s.size());
  auto size = static_cast<int64_t>(s.size());
  if (start < 0 || start > size) return ErrorValue(absl::StrCat("index out of range: ", start));
  if (end < 0 || end > size) return ErrorValue(absl::StrCat("index out of range: ", end));
  if (end < start) {
    return ErrorValue(absl::StrCat("invalid substring range. start: ", start, ", end: ", end));
  }
  return Value::String(
      core::EncodeUtf8(s.substr(static_cast<size_t>(start), static_cast<size_t>(end - start))));
}

bool IsUnicodeSpace(char32_t c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

Value Trim(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_string()) return NoOverload("trim");
  std::u32string s = core::DecodeUtf8(a[0].string_value());
  size_t begin = 0;
  size_t end = s.size();
  while (begin < end && IsUnicodeSpace(s[begin])) ++begin;
  while (end > begin && IsUnicodeSpace(s[end - 1])) --end;
  return Value::String(core::EncodeUtf8(s.substr(begin, end - begin)));
}

Value Join(absl::Span<const Value> a, EvalContext& ctx) {
  if (!a[0].is_list() || (a.size() == 2 && !a[1].is_string())) return NoOverload("join");
  absl::string_view sep = a.size() == 2 ? a[1].string_value() : "";
  std::string out;
  for (size_t i = 0; i < a[0].ListSize(); ++i) {
    Value e = a[0].ListGet(i);
    if (!e.is_string()) return NoOverload("join");
    if (i > 0) absl::StrAppend(&out, sep);
    absl::StrAppend(&out, e.string_value());
    if (!ctx.CheckSize(out.size())) return ctx.SizeError();
  }
  return Value::String(std::move(out));
}

Value Reverse(absl::Span<const Value> a, EvalContext&) {
  if (a[0].is_string()) {
    std::u32string s = core::DecodeUtf8(a[0].string_value());
    return Value::String(core::EncodeUtf8(std::u32string(s.rbegin(), s.rend())));
  }
  if (a[0].is_list()) {
    std::vector<Value> out;
    for (size_t i = a[0].ListSize(); i > 0; --i) out.push_back(a[0].ListGet(i - 1));
    return Value::List(std::move(out));
  }
  return NoOverload("reverse");
}

Value Quote(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_string()) return NoOverload("strings.quote");
  return Value::String(QuoteString(a[0].string_value()));
}

Value Format(absl::Span<const Value> a, EvalContext& ctx) {
  if (!a[0].is_string() || !a[1].is_list()) return NoOverload("format");
  return FormatString(a[0].string_value(), a[1], ctx);
}

Value Base64Encode(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_bytes()) return NoOverload("base64.encode");
  return Value::String(absl::Base64Escape(a[0].bytes_value()));
}

Value Base64Decode(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_string()) return NoOverload("base64.decode");
  std::string out;
  std::string input(a[0].string_value());
  if (!absl::Base64Unescape(input, &out)) {
    // Accept unpadded input as the reference implementation does.
    while (input.size() % 4 != 0) input.push_back('=');
    if (!absl::Base64Unescape(input, &out)) return ErrorValue("illegal base64 data");
  }
  return Value::Bytes(std::move(out));
}

}  // namespace

void RegisterStringExtensions(FunctionRegistry& r) {
  r.Add("charAt", CallStyle::kMember, 2, CharAt);
  r.Add("indexOf", CallStyle::kMember, 2, IndexOf);
  r.Add("indexOf", CallStyle::kMember, 3, IndexOf);
  r.Add("lastIndexOf", CallStyle::kMember, 2, LastIndexOf);
  r.Add("lastIndexOf", CallStyle::kMember, 3, LastIndexOf);
  r.Add("lowerAscii", CallStyle::kMember, 1, LowerAscii);
  r.Add("upperAscii", CallStyle::kMember, 1, UpperAscii);
  r.Add("replace", CallStyle::kMember, 3, Replace);
  r.Add("replace", CallStyle::kMember, 4, Replace);
  r.Add("split", CallStyle::kMember, 2, Split);
  r.Add("split", CallStyle::kMember, 3, Split);
  r.Add("substring", CallStyle::kMember, 2, Substring);
  r.Add("substring", CallStyle::kMember, 3, Substring);
  r.Add("trim", CallStyle::kMember, 1, Trim);
  r.Add("join", CallStyle::kMember, 1, Join);
  r.Add("join", CallStyle::kMember, 2, Join);
  r.Add("reverse", CallStyle::kMember, 1, Reverse);
  r.Add("strings.quote", CallStyle::kGlobal, 1, Quote);
  r.Add("format", CallStyle::kMember, 2, Format);
  r.Add("base64.encode", CallStyle::kGlobal, 1, Base64Encode);
  r.Add("base64.decode", CallStyle::kGlobal, 1, Base64Decode);
}

}  // namespace bulwark::cel::internal
