// The Kubernetes URL library: url(string), isURL(string) and the URL accessors getScheme,
// getHost, getHostname, getPort, getEscapedPath, getQuery. Parsing follows the rules Kubernetes
// inherits from Go's url.ParseRequestURI: an absolute URI or an absolute path, no fragment,
// valid percent-escapes, bracketed IPv6 hosts, numeric ports.
#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bulwark/policy/cel/internal/functions.h"

namespace bulwark::cel::internal {
namespace {

struct Url {
  std::string text;       // as given
  std::string scheme;     // lower-case
  std::string opaque;     // "mailto:x" → "x"
  std::string host;       // host[:port], IPv6 in brackets
  std::string raw_path;   // as written
  std::string path;       // unescaped
  std::string raw_query;  // after '?'
};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes `s` ('+' becomes a space when `plus_is_space`); false on a bad escape.
bool Unescape(absl::string_view s, bool plus_is_space, std::string& out) {
  out.clear();
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size()) return false;
      int hi = HexValue(s[i + 1]);
      int lo = HexValue(s[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (s[i] == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return true;
}

// Whether byte `c` must be escaped in a URL path (Go's shouldEscape for paths).
bool PathNeedsEscape(char c) {
  if (absl::ascii_isalnum(c)) return false;
  switch (c) {
    case '-':
    case '_':
    case '.':
    case '~':
    case '$':
    case '&':
    case '+':
    case ',':
    case '/':
    case ':':
    case ';':
    case '=':
    case '@':
      return false;
    default:
      return true;
  }
}

std::string EscapedPath(const Url& u) {
  bool valid = true;
  for (char c : u.raw_path) {
    if (std::string_view("!$&'()*+,;=:@[]%").find(c) != std::string_view::npos) continue;
    if (PathNeedsEscape(c)) valid = false;
  }
  std::string decoded;
  if (valid && Unescape(u.raw_path, false, decoded) && decoded == u.path) return u.raw_path;
  std::string out;
  for (char c : u.path) {
    if (PathNeedsEscape(c)) {
      constexpr char kHex[] = "0123456789ABCDEF";
      auto byte = static_cast<uint8_t>(c);
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 15]);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Validates "host[:port]" (bracketed IPv6 allowed); empty error when fine.
std::string CheckHost(absl::string_view host) {
  absl::string_view port;
  if (!host.empty() && host[0] == '[') {
    size_t close = host.find(']');
    if (close == absl::string_view::npos) return "missing ']' in host";
    absl::string_view rest = host.substr(close + 1);
    if (!rest.empty()) {
      if (rest[0] != ':') return "invalid port after host";
      port = rest.substr(1);
    }
  } else {
    size_t colon = host.rfind(':');
    if (colon != absl::string_view::npos) {
      port = host.substr(colon + 1);
      host = host.substr(0, colon);
    }
    for (char c : host) {
      if (absl::ascii_iscntrl(c) || c == ' ' || c == '%' || c == '[' || c == ']') {
        return absl::StrCat("invalid character in host name");
      }
    }
  }
  for (char c : port) {
    if (!absl::ascii_isdigit(c)) return "invalid port";
  }
  return "";
}

// Parses like Go's url.ParseRequestURI; empty error when fine.
std::string ParseUrl(absl::string_view text, Url& u) {
  u.text = std::string(text);
  for (char c : text) {
    if (absl::ascii_iscntrl(c)) return "net/url: invalid control character in URL";
  }
  absl::string_view rest = text;
  // Scheme: a letter, then letters, digits, '+', '-', '.', up to ':'.
  for (size_t i = 0; i < rest.size(); ++i) {
    char c = rest[i];
    if (absl::ascii_isalpha(c)) continue;
    if ((absl::ascii_isdigit(c) || c == '+' || c == '-' || c == '.') && i > 0) continue;
    if (c == ':') {
      if (i == 0) return "missing protocol scheme";
      u.scheme = absl::AsciiStrToLower(rest.substr(0, i));
      rest = rest.substr(i + 1);
    }
    break;
  }
  size_t question = rest.find('?');
  if (question != absl::string_view::npos) {
    u.raw_query = std::string(rest.substr(question + 1));
    rest = rest.substr(0, question);
  }
  if (!absl::StartsWith(rest, "/")) {
    if (!u.scheme.empty()) {
      u.opaque = std::string(rest);
      return "";
    }
    return "invalid URI for request";
  }
  if (!u.scheme.empty() && absl::StartsWith(rest, "//")) {
    absl::string_view authority = rest.substr(2);
    size_t slash = authority.find('/');
    rest = slash == absl::string_view::npos ? "" : authority.substr(slash);
    authority = authority.substr(0, slash);
    size_t at = authority.rfind('@');
    absl::string_view host = at == absl::string_view::npos ? authority : authority.substr(at + 1);
    std::string error = CheckHost(host);
    if (!error.empty()) return error;
    if (!Unescape(host, false, u.host)) return "invalid URL escape in host";
  }
  u.raw_path = std::string(rest);
  if (!Unescape(rest, false, u.path)) return "invalid URL escape";
  return "";
}

class UrlValue final : public OpaqueValue {
 public:
  explicit UrlValue(Url url) : url_(std::move(url)) {}
  absl::string_view type_name() const override { return "kubernetes.URL"; }
  bool Equals(const OpaqueValue& other) const override {
    const auto* o = dynamic_cast<const UrlValue*>(&other);
    return o != nullptr && o->url_.text == url_.text;
  }
  std::string ToString() const override { return url_.text; }
  const Url& url() const { return url_; }

 private:
  Url url_;
};

const Url* AsUrl(const Value& v) {
  if (!v.is_opaque()) return nullptr;
  const auto* u = dynamic_cast<const UrlValue*>(v.opaque());
  return u == nullptr ? nullptr : &u->url();
}

Value MakeUrl(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_string()) return NoOverload("url");
  Url u;
  std::string error = ParseUrl(a[0].string_value(), u);
  if (!error.empty()) {
    return ErrorValue(absl::StrCat("URL parse error during conversion from string: parse '",
                                   a[0].string_value(), "': ", error));
  }
  return Value::Opaque(std::make_shared<const UrlValue>(std::move(u)));
}

Value IsUrl(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_string()) return NoOverload("isURL");
  Url u;
  return Value::Bool(ParseUrl(a[0].string_value(), u).empty());
}

// Host without port, IPv6 without brackets.
std::string Hostname(const Url& u) {
  absl::string_view host = u.host;
  if (absl::StartsWith(host, "[")) return std::string(host.substr(1, host.find(']') - 1));
  return std::string(host.substr(0, host.rfind(':')));
}

std::string Port(const Url& u) {
  absl::string_view host = u.host;
  size_t start = absl::StartsWith(host, "[") ? host.find(']') + 1 : 0;
  size_t colon = host.find(':', start);
  if (colon == absl::string_view::npos) return "";
  return std::string(host.substr(colon + 1));
}

template <int kPart>
Value Accessor(absl::Span<const Value> a, EvalContext&) {
  const Url* u = AsUrl(a[0]);
  if (u == nullptr) return NoOverload("URL accessor");
  switch (kPart) {
    case 0:
      return Value::String(u->scheme);
    case 1:
      return Value::String(u->host);
    case 2:
      return Value::String(Hostname(*u));
    case 3:
      return Value::String(Port(*u));
    default:
      return Value::String(EscapedPath(*u));
  }
}

// The query as a map from name to the list of its values (in order); bad escapes are dropped.
Value Query(absl::Span<const Value> a, EvalContext&) {
  const Url* u = AsUrl(a[0]);
  if (u == nullptr) return NoOverload("getQuery");
  std::vector<std::pair<std::string, std::vector<Value>>> entries;
  for (absl::string_view part : absl::StrSplit(u->raw_query, absl::ByAnyChar("&"))) {
    if (part.empty() || part.find(';') != absl::string_view::npos) continue;
    std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(part, '=');
    std::string key, value;
    if (!Unescape(kv.first, true, key) || !Unescape(kv.second, true, value)) continue;
    auto it =
        std::find_if(entries.begin(), entries.end(), [&](const auto& e) { return e.first == key; });
    if (it == entries.end()) {
      entries.emplace_back(key, std::vector<Value>{});
      it = entries.end() - 1;
    }
    it->second.push_back(Value::String(value));
  }
  std::vector<std::pair<Value, Value>> map;
  for (auto& [key, values] : entries) {
    map.emplace_back(Value::String(key), Value::List(std::move(values)));
  }
  absl::StatusOr<Value> result = Value::Map(std::move(map));
  if (!result.ok()) return Value::Error(result.status());
  return *std::move(result);
}

}  // namespace

void RegisterKubernetesUrls(FunctionRegistry& r) {
  r.Add("url", CallStyle::kGlobal, 1, MakeUrl);
  r.Add("isURL", CallStyle::kGlobal, 1, IsUrl);
  r.Add("getScheme", CallStyle::kMember, 1, Accessor<0>);
  r.Add("getHost", CallStyle::kMember, 1, Accessor<1>);
  r.Add("getHostname", CallStyle::kMember, 1, Accessor<2>);
  r.Add("getPort", CallStyle::kMember, 1, Accessor<3>);
  r.Add("getEscapedPath", CallStyle::kMember, 1, Accessor<4>);
  r.Add("getQuery", CallStyle::kMember, 1, Query);
}

}  // namespace bulwark::cel::internal
