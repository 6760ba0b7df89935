// The CEL network extension (as in cel-go and Kubernetes): ip(), cidr(), isIP(),
// ip.isCanonical(), and the net.IP / net.CIDR accessors and containment tests. Addresses are
// parsed with inet_pton; zones and dotted IPv4-mapped IPv6 forms are rejected.
#include <arpa/inet.h>

#include <array>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "bulwark/policy/cel/internal/functions.h"

namespace bulwark::cel::internal {
namespace {

// An IPv4 or IPv6 address; IPv4 is stored in the first 4 bytes.
struct Address {
  std::array<uint8_t, 16> bytes{};
  bool v4 = false;

  size_t size() const { return v4 ? 4 : 16; }
  bool IsV4Mapped() const {
    static const uint8_t kPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    return !v4 && std::memcmp(bytes.data(), kPrefix, 12) == 0;
  }
  // IPv4-mapped IPv6 addresses as IPv4, for comparisons and classification.
  Address Unmapped() const {
    if (!IsV4Mapped()) return *this;
    Address a;
    a.v4 = true;
    std::memcpy(a.bytes.data(), bytes.data() + 12, 4);
    return a;
  }
  bool operator==(const Address& o) const {
    Address x = Unmapped();
    Address y = o.Unmapped();
    return x.v4 == y.v4 && std::memcmp(x.bytes.data(), y.bytes.data(), x.size()) == 0;
  }
  std::string ToString() const {
    char text[INET6_ADDRSTRLEN];
    inet_ntop(v4 ? AF_INET : AF_INET6, bytes.data(), text, sizeof(text));
    return text;
  }
  // Whether the first `bits` bits equal those of `o` (same family).
  bool SamePrefix(const Address& o, int bits) const {
    if (v4 != o.v4) return false;
    for (int i = 0; i < bits; ++i) {
      int byte = i / 8;
      int mask = 0x80 >> (i % 8);
      if ((bytes[byte] & mask) != (o.bytes[byte] & mask)) return false;
    }
    return true;
  }
};

// Parses an address; `error` says why not.
std::optional<Address> ParseAddress(absl::string_view text, std::string& error) {
  if (text.find('%') != absl::string_view::npos) {
    error = "IP Address with zone value is not allowed";
    return std::nullopt;
  }
  std::string s(text);
  Address a;
  if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) {
    a.v4 = true;
    return a;
  }
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) {
    if (a.IsV4Mapped() && s.find('.') != std::string::npos) {
      error = "IPv4-mapped IPv6 address is not allowed";
      return std::nullopt;
    }
    return a;
  }
  error = absl::StrCat("IP Address '", text, "' parse error during conversion from string");
  return std::nullopt;
}

class IpValue final : public OpaqueValue {
 public:
  explicit IpValue(Address a) : address_(a) {}
  absl::string_view type_name() const override { return "net.IP"; }
  bool Equals(const OpaqueValue& other) const override {
    const auto* ip = dynamic_cast<const IpValue*>(&other);
    return ip != nullptr && ip->address_ == address_;
  }
  std::string ToString() const override { return address_.ToString(); }
  const Address& address() const { return address_; }

 private:
  Address address_;
};

class CidrValue final : public OpaqueValue {
 public:
  CidrValue(Address a, int bits) : address_(a), bits_(bits) {}
  absl::string_view type_name() const override { return "net.CIDR"; }
  bool Equals(const OpaqueValue& other) const override {
    const auto* c = dynamic_cast<const CidrValue*>(&other);
    return c != nullptr && c->address_ == address_ && c->bits_ == bits_;
  }
  std::string ToString() const override { return absl::StrCat(address_.ToString(), "/", bits_); }
  const Address& address() const { return address_; }
  int bits() const { return bits_; }

 private:
  Address address_;
  int bits_;
};

const IpValue* AsIp(const Value& v) {
  return v.is_opaque() ? dynamic_cast<const IpValue*>(v.opaque()) : nullptr;
}
const CidrValue* AsCidr(const Value& v) {
  return v.is_opaque() ? dynamic_cast<const CidrValue*>(v.opaque()) : nullptr;
}

std::optional<Value> ParseCidr(absl::string_view text, std::string& error) {
  size_t slash = text.rfind('/');
  if (text.find('%') != absl::string_view::npos) {
    error = "CIDR with zone value is not allowed";
    return std::nullopt;
  }
  int bits = -1;
  if (slash == absl::string_view::npos || !absl::SimpleAtoi(text.substr(slash + 1), &bits)) {
    error = "network address parse error during conversion from string";
    return std::nullopt;
  }
  std::optional<Address> a = ParseAddress(text.substr(0, slash), error);
  if (!a) {
    if (error.find("mapped") == std::string::npos) {
      error = "network address parse error during conversion from string";
    }
    return std::nullopt;
  }
  if (bits < 0 || bits > static_cast<int>(a->size() * 8)) {
    error = "network address parse error during conversion from string";
    return std::nullopt;
  }
  return Value::Opaque(std::make_shared<const CidrValue>(*a, bits));
}

Value Ip(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_string()) return NoOverload("ip");
  std::string error;
  std::optional<Address> address = ParseAddress(a[0].string_value(), error);
  if (!address) return ErrorValue(error);
  return Value::Opaque(std::make_shared<const IpValue>(*address));
}

Value Cidr(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_string()) return NoOverload("cidr");
  std::string error;
  std::optional<Value> cidr = ParseCidr(a[0].string_value(), error);
  return cidr ? *cidr : ErrorValue(error);
}

Value IsIp(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_string()) return NoOverload("isIP");
  std::string error;
  return Value::Bool(ParseAddress(a[0].string_value(), error).has_value());
}

Value IsCanonical(absl::Span<const Value> a, EvalContext&) {
  if (!a[0].is_string()) return NoOverload("ip.isCanonical");
  std::string error;
  std::optional<Address> address = ParseAddress(a[0].string_value(), error);
  if (!address) return ErrorValue(error);
  return Value::Bool(address->ToString() == a[0].string_value());
}

enum class Test { kUnspecified, kLoopback, kGlobalUnicast, kLinkLocalMulticast, kLinkLocalUnicast };

bool Classify(const Address& raw, Test test) {
  Address a = raw.Unmapped();
  const auto& b = a.bytes;
  bool zero = true;
  for (size_t i = 0; i < a.size(); ++i) zero = zero && b[i] == 0;
  switch (test) {
    case Test::kUnspecified:
      return zero;
    case Test::kLoopback:
      if (a.v4) return b[0] == 127;
      for (size_t i = 0; i < 15; ++i) {
        if (b[i] != 0) return false;
      }
      return b[15] == 1;
    case Test::kLinkLocalMulticast:
      return a.v4 ? (b[0] == 224 && b[1] == 0 && b[2] == 0) : (b[0] == 0xff && (b[1] & 0x0f) == 0x02);
    case Test::kLinkLocalUnicast:
      return a.v4 ? (b[0] == 169 && b[1] == 254) : (b[0] == 0xfe && (b[1] & 0xc0) == 0x80);
    case Test::kGlobalUnicast: {
      bool broadcast = a.v4 && b[0] == 255 && b[1] == 255 && b[2] == 255 && b[3] == 255;
      bool multicast = a.v4 ? (b[0] & 0xf0) == 0xe0 : b[0] == 0xff;
      return !zero && !broadcast && !multicast && !Classify(a, Test::kLoopback) &&
             !Classify(a, Test::kLinkLocalUnicast);
    }
  }
  return false;
}

template <Test T>
Value IpTest(absl::Span<const Value> a, EvalContext&) {
  const IpValue* ip = AsIp(a[0]);
  if (ip == nullptr) return NoOverload("net.IP method");
  return Value::Bool(Classify(ip->address(), T));
}

Value Family(absl::Span<const Value> a, EvalContext&) {
  const IpValue* ip = AsIp(a[0]);
  if (ip == nullptr) return NoOverload("family");
  return Value::Int(ip->address().v4 ? 4 : 6);
}

Value ContainsIp(absl::Span<const Value> a, EvalContext& ctx) {
  const CidrValue* cidr = AsCidr(a[0]);
  if (cidr == nullptr) return NoOverload("containsIP");
  Value ip = a[1].is_string() ? Ip(a.subspan(1), ctx) : a[1];
  if (ip.is_error()) return ip;
  const IpValue* addr = AsIp(ip);
  if (addr == nullptr) return NoOverload("containsIP");
  return Value::Bool(cidr->address().SamePrefix(addr->address(), cidr->bits()));
}

Value ContainsCidr(absl::Span<const Value> a, EvalContext& ctx) {
  const CidrValue* cidr = AsCidr(a[0]);
  if (cidr == nullptr) return NoOverload("containsCIDR");
  Value other = a[1].is_string() ? Cidr(a.subspan(1), ctx) : a[1];
  if (other.is_error()) return other;
  const CidrValue* inner = AsCidr(other);
  if (inner == nullptr) return NoOverload("containsCIDR");
  return Value::Bool(inner->bits() >= cidr->bits() &&
                     cidr->address().SamePrefix(inner->address(), cidr->bits()));
}

Value CidrIp(absl::Span<const Value> a, EvalContext&) {
  const CidrValue* cidr = AsCidr(a[0]);
  if (cidr == nullptr) return NoOverload("ip");
  return Value::Opaque(std::make_shared<const IpValue>(cidr->address()));
}

Value Masked(absl::Span<const Value> a, EvalContext&) {
  const CidrValue* cidr = AsCidr(a[0]);
  if (cidr == nullptr) return NoOverload("masked");
  Address masked = cidr->address();
  for (size_t i = 0; i < masked.size() * 8; ++i) {
    if (static_cast<int>(i) >= cidr->bits()) masked.bytes[i / 8] &= ~(0x80 >> (i % 8));
  }
  return Value::Opaque(std::make_shared<const CidrValue>(masked, cidr->bits()));
}

Value PrefixLength(absl::Span<const Value> a, EvalContext&) {
  const CidrValue* cidr = AsCidr(a[0]);
  if (cidr == nullptr) return NoOverload("prefixLength");
  return Value::Int(cidr->bits());
}

}  // namespace

void RegisterNetworkExtensions(FunctionRegistry& r) {
  r.Add("ip", CallStyle::kGlobal, 1, Ip);
  r.Add("ip", CallStyle::kMember, 1, CidrIp);
  r.Add("cidr", CallStyle::kGlobal, 1, Cidr);
  r.Add("isIP", CallStyle::kGlobal, 1, IsIp);
  r.Add("ip.isCanonical", CallStyle::kGlobal, 1, IsCanonical);
  r.Add("family", CallStyle::kMember, 1, Family);
  r.Add("isUnspecified", CallStyle::kMember, 1, IpTest<Test::kUnspecified>);
  r.Add("isLoopback", CallStyle::kMember, 1, IpTest<Test::kLoopback>);
  r.Add("isGlobalUnicast", CallStyle::kMember, 1, IpTest<Test::kGlobalUnicast>);
  r.Add("isLinkLocalMulticast", CallStyle::kMember, 1, IpTest<Test::kLinkLocalMulticast>);
  r.Add("isLinkLocalUnicast", CallStyle::kMember, 1, IpTest<Test::kLinkLocalUnicast>);
  r.Add("containsIP", CallStyle::kMember, 2, ContainsIp);
  r.Add("containsCIDR", CallStyle::kMember, 2, ContainsCidr);
  r.Add("masked", CallStyle::kMember, 1, Masked);
  r.Add("prefixLength", CallStyle::kMember, 1, PrefixLength);
}

}  // namespace bulwark::cel::internal
