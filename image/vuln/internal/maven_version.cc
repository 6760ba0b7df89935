#include "bulwark/image/vuln/internal/maven_version.h"

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "bulwark/core/utf8.h"
#include "bulwark/image/versions/numeric.h"

namespace bulwark::vuln::internal {

using ::bulwark::versions::CompareDigits;
using ::bulwark::versions::IsAsciiDigit;
using ::bulwark::versions::Sign;
using ::bulwark::versions::StripLeadingZeros;
namespace {

using Kind = MavenItem::Kind;

constexpr int kMaxNesting = 512;

// Lower-cases one code point in the blocks named in the header.
uint32_t ToLower(uint32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if ((c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x391 && c <= 0x3AB && c != 0x3A2) ||
      (c >= 0x410 && c <= 0x42F)) {
    return c + 32;
  }
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149 &&
      c != 0x17F) {
    bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    bool is_upper = odd_upper ? (c % 2 == 1) : (c % 2 == 0);
    if (c == 0x178) return 0xFF;
    return is_upper ? c + 1 : c;
  }
  return c;
}

// Lower-cases UTF-8 `text`; errors on invalid UTF-8, whitespace and control characters.
absl::StatusOr<std::string> LowerCase(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    char32_t c;
    size_t n = core::DecodeUtf8CodePoint(text, i, c);
    if (n == 0) return absl::InvalidArgumentError(absl::StrCat("invalid UTF-8 at offset ", i));
    if (c <= 0x20 || c == 0x7F || (c >= 0x80 && c <= 0xA0)) {
      return absl::InvalidArgumentError(
          absl::StrCat("whitespace or control character at offset ", i));
    }
    core::AppendUtf8(ToLower(c), out);
    i += n;
  }
  return out;
}

MavenItem Number(absl::string_view digits) {
  // Java's stripLeadingZeroes keeps an all-zero string whole; its length picks the item type.
  absl::string_view stripped = StripLeadingZeros(digits);
  if (stripped.empty()) stripped = digits.empty() ? "0" : digits;
  MavenItem item{.kind = Kind::kNumber};
  item.number_rank = stripped.size() <= 9 ? 0 : (stripped.size() <= 18 ? 1 : 2);
  item.text = std::string(stripped);
  return item;
}

std::string Qualifier(std::string value, bool followed_by_digit) {
  if (followed_by_digit && value.size() == 1) {
    if (value == "a") value = "alpha";
    if (value == "b") value = "beta";
    if (value == "m") value = "milestone";
  }
  if (value == "cr") value = "rc";
  return value;
}

MavenItem String(std::string value, bool followed_by_digit) {
  MavenItem item{.kind = Kind::kString};
  item.text = Qualifier(std::move(value), followed_by_digit);
  return item;
}

MavenItem Combination(absl::string_view text) {
  std::string v = absl::StrReplaceAll(text, {{"-", ""}});
  size_t index = 0;
  while (index < v.size() && !IsAsciiDigit(v[index])) ++index;
  if (index == v.size()) index = 0;
  MavenItem item{.kind = Kind::kCombination};
  item.text = Qualifier(v.substr(0, index), true);
  item.digits = Number(v.substr(index)).text;
  item.number_rank = Number(v.substr(index)).number_rank;
  return item;
}

MavenItem ParseItem(bool combination, bool digit, absl::string_view text) {
  if (combination) return Combination(text);
  if (digit) return Number(text);
  return String(std::string(text), false);
}

bool IsNull(const MavenItem& item) {
  switch (item.kind) {
    case Kind::kNumber:
      return StripLeadingZeros(item.text).empty();
    case Kind::kString:
      return item.text.empty();
    case Kind::kCombination:
      return false;
    case Kind::kList:
      return item.items.empty();
  }
  return false;
}

void Normalize(MavenItem& list) {
  std::vector<MavenItem>& items = list.items;
  for (size_t k = items.size(); k-- > 0;) {
    if (!IsNull(items[k])) continue;
    if (k == items.size() - 1 || items[k + 1].kind == Kind::kString) {
      items.erase(items.begin() + static_cast<std::ptrdiff_t>(k));
    } else if (items[k + 1].kind == Kind::kList && !items[k + 1].items.empty()) {
      Kind first = items[k + 1].items[0].kind;
      if (first == Kind::kCombination || first == Kind::kString) {
        items.erase(items.begin() + static_cast<std::ptrdiff_t>(k));
      }
    }
  }
}

// comparableQualifier(): known qualifiers by rank, release aliases as "", unknown after all.
std::string ComparableQualifier(const std::string& q) {
  static constexpr absl::string_view kQualifiers[] = {"alpha",    "beta", "milestone", "rc",
                                                      "snapshot", "",     "sp"};
  if (q == "ga" || q == "final" || q == "release") return "5";
  for (int i = 0; i < 7; ++i) {
    if (q == kQualifiers[i]) return std::to_string(i);
  }
  return absl::StrCat("7-", q);
}

int CompareQualifiers(const std::string& a, const std::string& b) {
  return Sign(ComparableQualifier(a).compare(ComparableQualifier(b)));
}

int CompareNumbers(int a_rank, const std::string& a, int b_rank, const std::string& b) {
  if (a_rank != b_rank) return a_rank < b_rank ? -1 : 1;
  return CompareDigits(a, b);
}

// Item.compareTo(item); `b` == nullptr is Java's null (the other list ran out).
int CompareItem(const MavenItem& a, const MavenItem* b) {
  switch (a.kind) {
    case Kind::kNumber:
      if (b == nullptr) return IsNull(a) ? 0 : 1;
      if (b->kind == Kind::kNumber)
        return CompareNumbers(a.number_rank, a.text, b->number_rank, b->text);
      return 1;
    case Kind::kString:
      if (b == nullptr) return CompareQualifiers(a.text, "");
      switch (b->kind) {
        case Kind::kString:
          return CompareQualifiers(a.text, b->text);
        case Kind::kCombination: {
          int c = CompareQualifiers(a.text, b->text);
          return c == 0 ? -1 : c;
        }
        default:
          return -1;
      }
    case Kind::kCombination:
      if (b == nullptr) return CompareQualifiers(a.text, "");
      switch (b->kind) {
        case Kind::kString: {
          int c = CompareQualifiers(a.text, b->text);
          return c == 0 ? 1 : c;
        }
        case Kind::kCombination: {
          int c = CompareQualifiers(a.text, b->text);
          return c != 0 ? c : CompareNumbers(a.number_rank, a.digits, b->number_rank, b->digits);
        }
        default:
          return -1;
      }
    case Kind::kList:
      if (b == nullptr) {
        for (const MavenItem& item : a.items) {
          if (int c = CompareItem(item, nullptr); c != 0) return c;
        }
        return 0;
      }
      switch (b->kind) {
        case Kind::kNumber:
          return -1;
        case Kind::kString:
        case Kind::kCombination:
          return 1;
        case Kind::kList:
          for (size_t i = 0; i < a.items.size() || i < b->items.size(); ++i) {
            const MavenItem* l = i < a.items.size() ? &a.items[i] : nullptr;
            const MavenItem* r = i < b->items.size() ? &b->items[i] : nullptr;
            int c =
                l == nullptr ? (r == nullptr ? 0 : -CompareItem(*r, nullptr)) : CompareItem(*l, r);
            if (c != 0) return c;
          }
          return 0;
      }
  }
  return 0;
}

}  // namespace

absl::StatusOr<MavenItem> ParseMavenVersion(absl::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError("version is empty");
  absl::StatusOr<std::string> lowered = LowerCase(text);
  if (!lowered.ok()) return lowered.status();
  const std::string& v = *lowered;

  MavenItem root;
  // The chain of open lists, outermost first; each new list is the last item of the previous.
  std::vector<MavenItem*> stack = {&root};
  auto open_list = [&]() -> absl::Status {
    if (stack.size() > kMaxNesting) {
      return absl::InvalidArgumentError(
          absl::StrCat("more than ", kMaxNesting, " nested '-' or qualifier parts"));
    }
    stack.back()->items.push_back(MavenItem{.kind = Kind::kList});
    stack.push_back(&stack.back()->items.back());
    return absl::OkStatus();
  };
  auto add = [&](MavenItem item) { stack.back()->items.push_back(std::move(item)); };

  bool is_digit = false, is_combination = false;
  size_t start = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c == '.') {
      add(i == start ? Number("0")
                     : ParseItem(is_combination, is_digit, v.substr(start, i - start)));
      is_combination = false;
      start = i + 1;
    } else if (c == '-') {
      if (i == start) {
        add(Number("0"));
      } else {
        // "X-1" is read as "X1".
        if (!is_digit && i != v.size() - 1 && IsAsciiDigit(v[i + 1])) {
          is_combination = true;
          continue;
        }
        add(ParseItem(is_combination, is_digit, v.substr(start, i - start)));
      }
      start = i + 1;
      if (!stack.back()->items.empty()) {
        if (absl::Status s = open_list(); !s.ok()) return s;
      }
      is_combination = false;
    } else if (IsAsciiDigit(c)) {
      if (!is_digit && i > start) {
        is_combination = true;
        if (!stack.back()->items.empty()) {
          if (absl::Status s = open_list(); !s.ok()) return s;
        }
      }
      is_digit = true;
    } else {
      if (is_digit && i > start) {
        add(ParseItem(is_combination, true, v.substr(start, i - start)));
        start = i;
        if (absl::Status s = open_list(); !s.ok()) return s;
        is_combination = false;
      }
      is_digit = false;
    }
  }
  if (v.size() > start) {
    // "1.0.0.X1" < "1.0.0-X2": a trailing ".X" counts as "-X".
    if (!is_digit && !stack.back()->items.empty()) {
      if (absl::Status s = open_list(); !s.ok()) return s;
    }
    add(ParseItem(is_combination, is_digit, v.substr(start)));
  }
  for (size_t k = stack.size(); k-- > 0;) Normalize(*stack[k]);
  return root;
}

int CompareMavenVersions(const MavenItem& a, const MavenItem& b) { return CompareItem(a, &b); }

}  // namespace bulwark::vuln::internal
