#include "bulwark/policy/cel/internal/string_format.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "bulwark/core/utf8.h"
#include "bulwark/policy/cel/internal/format_double.h"
#include "bulwark/policy/cel/internal/functions.h"
#include "bulwark/policy/cel/internal/time_util.h"
#include "google/protobuf/message.h"

namespace bulwark::cel::internal {
namespace {

std::string TypeName(const Value& v) {
  if (v.is_message()) return v.message()->GetDescriptor()->full_name();
  return std::string(KindTypeName(v.kind()));
}

Value FormatError(absl::string_view message) {
  return ErrorValue(absl::StrCat("error during formatting: ", message));
}

// Non-finite doubles as format() prints them.
std::optional<std::string> NonFinite(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  return std::nullopt;
}

// %s rendering; nullopt (with `bad` set) for values it does not accept.
std::optional<std::string> AsText(const Value& v, std::string& bad) {
  switch (v.kind()) {
    case Kind::kNull:
      return "null";
    case Kind::kBool:
      return v.bool_value() ? "true" : "false";
    case Kind::kInt:
      return absl::StrCat(v.int_value());
    case Kind::kUint:
      return absl::StrCat(v.uint_value());
    case Kind::kDouble: {
      if (auto nf = NonFinite(v.double_value())) return nf;
      return FormatDouble(v.double_value());
    }
    case Kind::kString:
    case Kind::kBytes:
      return std::string(v.string_value());
    case Kind::kType:
      return v.type_name();
    case Kind::kTimestamp:
      return internal::FormatTimestamp(v.timestamp_value());
    case Kind::kDuration:
      return internal::FormatDuration(v.duration_value());
    case Kind::kList: {
      std::vector<std::string> parts;
      for (size_t i = 0; i < v.ListSize(); ++i) {
        std::optional<std::string> part = AsText(v.ListGet(i), bad);
        if (!part) return std::nullopt;
        parts.push_back(*std::move(part));
      }
      return absl::StrCat("[", absl::StrJoin(parts, ", "), "]");
    }
    case Kind::kMap: {
      std::vector<std::string> parts;
      for (const Value& key : v.MapKeys()) {
        std::optional<std::string> k = AsText(key, bad);
        std::optional<std::string> val = k ? AsText(*v.MapFind(key), bad) : std::nullopt;
        if (!val) return std::nullopt;
        parts.push_back(absl::StrCat(*k, ": ", *val));
      }
      std::sort(parts.begin(), parts.end());
      return absl::StrCat("{", absl::StrJoin(parts, ", "), "}");
    }
    default:
      bad = TypeName(v);
      return std::nullopt;
  }
}

std::string Binary(uint64_t u) {
  if (u == 0) return "0";
  std::string out;
  while (u != 0) {
    out.push_back(static_cast<char>('0' + (u & 1)));
    u >>= 1;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

Value FormatClause(char verb, int precision, const Value& v) {
  switch (verb) {
    case 's': {
      std::string bad;
      std::optional<std::string> text = AsText(v, bad);
      if (!text) {
        return FormatError(absl::StrCat(
            "string clause can only be used on strings, bools, bytes, ints, doubles, maps, "
            "lists, types, durations, and timestamps, was given ",
            bad));
      }
      return Value::String(*std::move(text));
    }
    case 'd':
      if (v.is_int()) return Value::String(absl::StrCat(v.int_value()));
      if (v.is_uint()) return Value::String(absl::StrCat(v.uint_value()));
      if (v.is_double() && NonFinite(v.double_value())) {
        return Value::String(*NonFinite(v.double_value()));
      }
      return FormatError(
          absl::StrCat("decimal clause can only be used on integers, was given ", TypeName(v)));
    case 'f':
    case 'e': {
      double d;
      if (v.is_double()) {
        d = v.double_value();
      } else if (v.is_int()) {
        d = static_cast<double>(v.int_value());
      } else if (v.is_uint()) {
        d = static_cast<double>(v.uint_value());
      } else {
        return FormatError(absl::StrCat(verb == 'f' ? "fixed-point" : "scientific",
                                        " clause can only be used on doubles, was given ",
                                        TypeName(v)));
      }
      if (auto nf = NonFinite(d)) return Value::String(*nf);
      int p = precision < 0 ? 6 : precision;
      return Value::String(verb == 'f' ? absl::StrFormat("%.*f", p, d)
                                       : absl::StrFormat("%.*e", p, d));
    }
    case 'b':
      if (v.is_int()) {
        int64_t i = v.int_value();
        return Value::String(i < 0 ? absl::StrCat("-", Binary(0 - static_cast<uint64_t>(i)))
                                   : Binary(static_cast<uint64_t>(i)));
      }
      if (v.is_uint()) return Value::String(Binary(v.uint_value()));
      if (v.is_bool()) return Value::String(v.bool_value() ? "1" : "0");
      return FormatError(absl::StrCat(
          "only integers and bools can be formatted as binary, was given ", TypeName(v)));
    case 'o':
      if (v.is_int()) {
        int64_t i = v.int_value();
        return Value::String(i < 0 ? absl::StrFormat("-%o", 0 - static_cast<uint64_t>(i))
                                   : absl::StrFormat("%o", i));
      }
      if (v.is_uint()) return Value::String(absl::StrFormat("%o", v.uint_value()));
      return FormatError(
          absl::StrCat("octal clause can only be used on integers, was given ", TypeName(v)));
    case 'x':
    case 'X': {
      std::string out;
      if (v.is_int()) {
        int64_t i = v.int_value();
        out =
            i < 0 ? absl::StrFormat("-%x", 0 - static_cast<uint64_t>(i)) : absl::StrFormat("%x", i);
      } else if (v.is_uint()) {
        out = absl::StrFormat("%x", v.uint_value());
      } else if (v.is_string() || v.is_bytes()) {
        out = absl::BytesToHexString(v.string_value());
      } else {
        return FormatError(absl::StrCat(
            "only integers, byte buffers, and strings can be formatted as hex, was given ",
            TypeName(v)));
      }
      if (verb == 'X') absl::AsciiStrToUpper(&out);
      return Value::String(std::move(out));
    }
    default:
      return ErrorValue(
          absl::StrCat("could not parse formatting clause: unrecognized formatting clause \"",
                       std::string(1, verb), "\""));
  }
}

}  // namespace

Value FormatString(absl::string_view format, const Value& args, EvalContext& ctx) {
  std::string out;
  size_t next_arg = 0;
  for (size_t i = 0; i < format.size(); ++i) {
    char c = format[i];
    if (c != '%') {
      out.push_back(c);
      continue;
    }
    if (++i >= format.size()) {
      return ErrorValue("could not parse formatting clause: unexpected end of string");
    }
    if (format[i] == '%') {
      out.push_back('%');
      continue;
    }
    int precision = -1;
    if (format[i] == '.') {
      precision = 0;
      ++i;
      while (i < format.size() && absl::ascii_isdigit(format[i])) {
        precision = precision * 10 + (format[i] - '0');
        if (precision > 1000) return ErrorValue("formatting precision too large");
        ++i;
      }
      if (i >= format.size()) {
        return ErrorValue("could not parse formatting clause: unexpected end of string");
      }
    }
    char verb = format[i];
    if (std::string_view("sdfeboxX").find(verb) == std::string_view::npos) {
      return FormatClause(verb, precision, Value());
    }
    if (next_arg >= args.ListSize()) {
      return ErrorValue(absl::StrCat("index ", next_arg, " out of range"));
    }
    Value piece = FormatClause(verb, precision, args.ListGet(next_arg++));
    if (piece.is_error()) return piece;
    absl::StrAppend(&out, piece.string_value());
    if (!ctx.CheckSize(out.size())) return ctx.SizeError();
  }
  return Value::String(std::move(out));
}

std::string QuoteString(absl::string_view text) {
  std::string out = "\"";
  for (char32_t cp : core::DecodeUtf8(text)) {
    switch (cp) {
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\v':
        out += "\\v";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      default:
        core::AppendUtf8(cp, out);
    }
  }
  out += "\"";
  return out;
}

}  // namespace bulwark::cel::internal
