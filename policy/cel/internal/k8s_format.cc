// The Kubernetes format library: format.named(name) → optional Format, format.<name>() and
// <Format>.validate(string) → optional.none() when valid, else optional.of(list of messages).
// Formats: dns1123Label, dns1123Subdomain, dns1035Label, qualifiedName, dns1123LabelPrefix,
// dns1123SubdomainPrefix, dns1035LabelPrefix, labelValue, uuid, byte, date, datetime; the
// messages are those of Kubernetes' apimachinery validation. Patterns run on RE2.
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "bulwark/policy/cel/internal/functions.h"
#include "re2/re2.h"

namespace bulwark::cel::internal {
namespace {

using Errors = std::vector<std::string>;

// The validation patterns of apimachinery, compiled once and only read afterwards: evaluations
// on any thread share them without a lock.
struct Patterns {
  RE2 dns1123_label{"[a-z0-9]([-a-z0-9]*[a-z0-9])?"};
  RE2 dns1123_subdomain{"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"};
  RE2 dns1035_label{"[a-z]([-a-z0-9]*[a-z0-9])?"};
  RE2 qualified_name{"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"};
  RE2 label_value{"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?"};
  RE2 uuid{"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"};
};

// Built by a function-local static initialisation, which C++ makes thread-safe (and which
// ThreadSanitizer sees, unlike absl::call_once in Debian's uninstrumented Abseil). Never
// destroyed, so evaluations still running at exit keep valid patterns.
const Patterns& CompiledPatterns() {
  static const Patterns* const patterns = new Patterns();
  return *patterns;
}

bool FullMatch(absl::string_view text, const RE2& pattern) {
  return RE2::FullMatch(re2::StringPiece(text.data(), text.size()), pattern);
}

// apimachinery's RegexError text.
std::string RegexError(absl::string_view message, const RE2& pattern,
                       std::initializer_list<absl::string_view> examples) {
  std::string out(message);
  if (examples.size() > 0) {
    out += " (e.g. ";
    bool first = true;
    for (absl::string_view e : examples) {
      absl::StrAppend(&out, first ? "" : ",  or ", "'", e, "'");
      first = false;
    }
    absl::StrAppend(&out, ", regex used for validation is '", pattern.pattern(), "')");
  }
  return out;
}

std::string MaxLength(size_t n) { return absl::StrCat("must be no more than ", n, " characters"); }

Errors Dns1123Label(absl::string_view s) {
  const RE2& pattern = CompiledPatterns().dns1123_label;
  Errors e;
  if (s.size() > 63) e.push_back(MaxLength(63));
  if (!FullMatch(s, pattern)) {
    e.push_back(RegexError(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
        "and must start and end with an alphanumeric character",
        pattern, {"my-name", "123-abc"}));
  }
  return e;
}

Errors Dns1123Subdomain(absl::string_view s) {
  const RE2& pattern = CompiledPatterns().dns1123_subdomain;
  Errors e;
  if (s.size() > 253) e.push_back(MaxLength(253));
  if (!FullMatch(s, pattern)) {
    e.push_back(RegexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
        "or '.', and must start and end with an alphanumeric character",
        pattern, {"example.com"}));
  }
  return e;
}

Errors Dns1035Label(absl::string_view s) {
  const RE2& pattern = CompiledPatterns().dns1035_label;
  Errors e;
  if (s.size() > 63) e.push_back(MaxLength(63));
  if (!FullMatch(s, pattern)) {
    e.push_back(RegexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with "
        "an alphabetic character, and end with an alphanumeric character",
        pattern, {"my-name", "abc-123"}));
  }
  return e;
}

// Name prefixes (for generateName) may end in '-': validated as if it were a letter.
template <Errors (*kValidate)(absl::string_view)>
Errors Prefix(absl::string_view s) {
  std::string masked(s);
  if (!masked.empty() && masked.back() == '-') masked.back() = 'a';
  return kValidate(masked);
}

Errors QualifiedName(absl::string_view s) {
  const RE2& pattern = CompiledPatterns().qualified_name;
  Errors e;
  absl::string_view name = s;
  size_t slash = s.find('/');
  if (slash != absl::string_view::npos) {
    if (s.find('/', slash + 1) != absl::string_view::npos) {
      e.push_back(
          RegexError(
              "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must "
              "start and end with an alphanumeric character",
              pattern, {"MyName", "my.name", "123-abc"}) +
          " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      return e;
    }
    absl::string_view prefix = s.substr(0, slash);
    name = s.substr(slash + 1);
    if (prefix.empty()) {
      e.push_back("prefix part must be non-empty");
    } else {
      for (const std::string& m : Dns1123Subdomain(prefix)) e.push_back("prefix part " + m);
    }
  }
  if (name.empty()) {
    e.push_back("name part must be non-empty");
  } else if (name.size() > 63) {
    e.push_back("name part " + MaxLength(63));
  }
  if (!name.empty() && !FullMatch(name, pattern)) {
    e.push_back("name part " +
                RegexError("must consist of alphanumeric characters, '-', '_' or '.', and must "
                           "start and end with an alphanumeric character",
                           pattern, {"MyName", "my.name", "123-abc"}));
  }
  return e;
}

Errors LabelValue(absl::string_view s) {
  const RE2& pattern = CompiledPatterns().label_value;
  Errors e;
  if (s.size() > 63) e.push_back(MaxLength(63));
  if (!FullMatch(s, pattern)) {
    e.push_back(RegexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' "
        "or '.', and must start and end with an alphanumeric character",
        pattern, {"MyValue", "my_value", "12345"}));
  }
  return e;
}

Errors Uuid(absl::string_view s) {
  const RE2& pattern = CompiledPatterns().uuid;
  if (FullMatch(s, pattern)) return {};
  return {"does not match the UUID format"};
}

Errors Byte(absl::string_view s) {
  std::string decoded;
  if (absl::Base64Unescape(s, &decoded)) return {};
  return {"invalid base64"};
}

Errors Date(absl::string_view s) {
  absl::Time t;
  std::string error;
  if (s.size() == 10 && absl::ParseTime("%Y-%m-%d", s, &t, &error)) return {};
  return {"invalid date"};
}

Errors DateTime(absl::string_view s) {
  absl::Time t;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, s, &t, &error)) return {};
  return {"invalid date-time"};
}

struct Format {
  absl::string_view name;
  Errors (*validate)(absl::string_view);
};

constexpr Format kFormats[] = {
    {"dns1123Label", Dns1123Label},
    {"dns1123Subdomain", Dns1123Subdomain},
    {"dns1035Label", Dns1035Label},
    {"qualifiedName", QualifiedName},
    {"dns1123LabelPrefix", Prefix<Dns1123Label>},
    {"dns1123SubdomainPrefix", Prefix<Dns1123Subdomain>},
    {"dns1035LabelPrefix", Prefix<Dns1035Label>},
    {"labelValue", LabelValue},
    {"uuid", Uuid},
    {"byte", Byte},
    {"date", Date},
    {"datetime", DateTime},
};

class FormatValue final : public OpaqueValue {
 public:
  explicit FormatValue(const Format* format) : format_(format) {}
  absl::string_view type_name() const override { return "kubernetes.NamedFormat"; }
  bool Equals(const OpaqueValue& other) const override {
    const auto* o = dynamic_cast<const FormatValue*>(&other);
    return o != nullptr && o->format_ == format_;
  }
  std::string ToString() const override { return std::string(format_->name); }
  const Format& format() const { return *format_; }

 private:
  const Format* format_;
};

const Format* FindFormat(absl::string_view name) {
  for (const Format& f : kFormats) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

Value Named(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_string()) return NoOverload("format.named");
  const Format* f = FindFormat(a[0].string_value());
  if (f == nullptr) return Value::OptionalNone();
  return Value::OptionalOf(Value::Opaque(std::make_shared<const FormatValue>(f)));
}

template <size_t kIndex>
Value Fixed(absl::Span<const Value>, EvalContext&) {
  return Value::Opaque(std::make_shared<const FormatValue>(&kFormats[kIndex]));
}

Value Validate(absl::Span<const Value> a, EvalContext& ctx) {
  const auto* f = a[0].is_opaque() ? dynamic_cast<const FormatValue*>(a[0].opaque()) : nullptr;
  if (f == nullptr || !a[1].is_string()) return NoOverload("validate");
  if (!ctx.Charge(a[1].string_value().size() / 10 + 1)) return ctx.BudgetError();
  Errors errors = f->format().validate(a[1].string_value());
  if (errors.empty()) return Value::OptionalNone();
  std::vector<Value> out;
  for (std::string& e : errors) out.push_back(Value::String(std::move(e)));
  return Value::OptionalOf(Value::List(std::move(out)));
}

template <size_t... kIndex>
void RegisterFixed(FunctionRegistry& r, std::index_sequence<kIndex...>) {
  (r.Add(absl::StrCat("format.", kFormats[kIndex].name), CallStyle::kGlobal, 0, Fixed<kIndex>),
   ...);
}

}  // namespace

void RegisterKubernetesFormat(FunctionRegistry& r) {
  r.Add("format.named", CallStyle::kGlobal, 1, Named);
  RegisterFixed(r, std::make_index_sequence<std::size(kFormats)>());
  r.Add("validate", CallStyle::kMember, 2, Validate);
}

}  // namespace bulwark::cel::internal
