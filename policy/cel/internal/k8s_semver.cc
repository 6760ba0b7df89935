// The Kubernetes semver library: semver(string[, normalize]), isSemver(string[, normalize]) and
// the Semver methods major, minor, patch, isGreaterThan, isLessThan, compareTo. Versions follow
// Semantic Versioning 2.0.0 strictly; with normalize = true a leading 'v' is dropped, missing
// minor/patch parts become 0 and leading zeros are removed, as Kubernetes documents.
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "bulwark/policy/cel/internal/functions.h"

namespace bulwark::cel::internal {
namespace {

struct Semver {
  uint64_t major = 0, minor = 0, patch = 0;
  std::vector<std::string> pre;  // pre-release identifiers
  std::string text;
};

bool IsNumeric(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  return true;
}

bool ValidIdentifier(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!absl::ascii_isalnum(c) && c != '-') return false;
  }
  return true;
}

// A version core number: digits, no leading zero unless `normalize` (then zeros are dropped).
bool ParseNumber(absl::string_view s, bool normalize, uint64_t& out) {
  if (!IsNumeric(s) || (!normalize && s.size() > 1 && s[0] == '0')) return false;
  return absl::SimpleAtoi(s, &out);
}

// Parses `text`; empty error when fine.
std::string ParseSemver(absl::string_view text, bool normalize, Semver& v) {
  absl::string_view rest = text;
  if (normalize && absl::StartsWith(rest, "v")) rest.remove_prefix(1);
  size_t plus = rest.find('+');
  if (plus != absl::string_view::npos) {
    for (absl::string_view id : absl::StrSplit(rest.substr(plus + 1), '.')) {
      if (!ValidIdentifier(id)) return "invalid build metadata";
    }
    rest = rest.substr(0, plus);
  }
  size_t dash = rest.find('-');
  if (dash != absl::string_view::npos) {
    for (absl::string_view id : absl::StrSplit(rest.substr(dash + 1), '.')) {
      if (!ValidIdentifier(id)) return "invalid pre-release identifier";
      if (IsNumeric(id) && id.size() > 1 && id[0] == '0') {
        return "numeric pre-release identifier has a leading zero";
      }
      v.pre.emplace_back(id);
    }
    rest = rest.substr(0, dash);
  }
  std::vector<absl::string_view> parts = absl::StrSplit(rest, '.');
  if (normalize) {
    while (parts.size() < 3) parts.push_back("0");
  }
  if (parts.size() != 3) return "expected MAJOR.MINOR.PATCH";
  if (!ParseNumber(parts[0], normalize, v.major) || !ParseNumber(parts[1], normalize, v.minor) ||
      !ParseNumber(parts[2], normalize, v.patch)) {
    return "invalid version number";
  }
  v.text = absl::StrCat(v.major, ".", v.minor, ".", v.patch, v.pre.empty() ? "" : "-",
                        absl::StrJoin(v.pre, "."));
  return "";
}

// Semantic Versioning 2.0.0 precedence (build metadata ignored).
int CompareSemver(const Semver& a, const Semver& b) {
  for (auto [x, y] : {std::pair{a.major, b.major}, {a.minor, b.minor}, {a.patch, b.patch}}) {
    if (x != y) return x < y ? -1 : 1;
  }
  if (a.pre.empty() || b.pre.empty()) {
    if (a.pre.empty() == b.pre.empty()) return 0;
    return a.pre.empty() ? 1 : -1;
  }
  for (size_t i = 0; i < a.pre.size() && i < b.pre.size(); ++i) {
    const std::string& x = a.pre[i];
    const std::string& y = b.pre[i];
    bool xn = IsNumeric(x), yn = IsNumeric(y);
    if (xn && yn) {
      if (x.size() != y.size()) return x.size() < y.size() ? -1 : 1;
    } else if (xn != yn) {
      return xn ? -1 : 1;
    }
    if (x != y) return x < y ? -1 : 1;
  }
  if (a.pre.size() == b.pre.size()) return 0;
  return a.pre.size() < b.pre.size() ? -1 : 1;
}

class SemverValue final : public OpaqueValue {
 public:
  explicit SemverValue(Semver v) : v_(std::move(v)) {}
  absl::string_view type_name() const override { return "kubernetes.Semver"; }
  bool Equals(const OpaqueValue& other) const override {
    const auto* o = dynamic_cast<const SemverValue*>(&other);
    return o != nullptr && CompareSemver(o->v_, v_) == 0;
  }
  std::string ToString() const override { return v_.text; }
  const Semver& version() const { return v_; }

 private:
  Semver v_;
};

const Semver* AsSemver(const Value& v) {
  if (!v.is_opaque()) return nullptr;
  const auto* s = dynamic_cast<const SemverValue*>(v.opaque());
  return s == nullptr ? nullptr : &s->version();
}

Value MakeSemver(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_string() || (a.size() == 2 && !a[1].is_bool())) return NoOverload("semver");
  Semver v;
  std::string error = ParseSemver(a[0].string_value(), a.size() == 2 && a[1].bool_value(), v);
  if (!error.empty()) {
    return ErrorValue(absl::StrCat("semver('", a[0].string_value(), "'): ", error));
  }
  return Value::Opaque(std::make_shared<const SemverValue>(std::move(v)));
}

Value IsSemver(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_string() || (a.size() == 2 && !a[1].is_bool())) return NoOverload("isSemver");
  Semver v;
  return Value::Bool(
      ParseSemver(a[0].string_value(), a.size() == 2 && a[1].bool_value(), v).empty());
}

template <int kPart>
Value Part(absl::Span<const Value> a, EvalContext&) {
  const Semver* v = AsSemver(a[0]);
  if (v == nullptr) return NoOverload("Semver accessor");
  uint64_t n = kPart == 0 ? v->major : (kPart == 1 ? v->minor : v->patch);
  if (n > static_cast<uint64_t>(INT64_MAX)) return ErrorValue("version number out of range");
  return Value::Int(static_cast<int64_t>(n));
}

// 0: compareTo, 1: isGreaterThan, 2: isLessThan.
template <int kOp>
Value Compare(absl::Span<const Value> a, EvalContext&) {
  const Semver* x = AsSemver(a[0]);
  const Semver* y = AsSemver(a[1]);
  if (x == nullptr || y == nullptr) return NoOverload("Semver comparison");
  int c = CompareSemver(*x, *y);
  if (kOp == 0) return Value::Int(c);
  return Value::Bool(kOp == 1 ? c > 0 : c < 0);
}

}  // namespace

void RegisterKubernetesSemver(FunctionRegistry& r) {
  r.Add("semver", CallStyle::kGlobal, 1, MakeSemver);
  r.Add("semver", CallStyle::kGlobal, 2, MakeSemver);
  r.Add("isSemver", CallStyle::kGlobal, 1, IsSemver);
  r.Add("isSemver", CallStyle::kGlobal, 2, IsSemver);
  r.Add("major", CallStyle::kMember, 1, Part<0>);
  r.Add("minor", CallStyle::kMember, 1, Part<1>);
  r.Add("patch", CallStyle::kMember, 1, Part<2>);
  r.Add("compareTo", CallStyle::kMember, 2, Compare<0>);
  r.Add("isGreaterThan", CallStyle::kMember, 2, Compare<1>);
  r.Add("isLessThan", CallStyle::kMember, 2, Compare<2>);
}

}  // namespace bulwark::cel::internal
