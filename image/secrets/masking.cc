#include "bulwark/image/secrets/masking.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace bulwark::secrets {
namespace {

constexpr size_t kMaxStars = 32;
constexpr size_t kMaxMatchBytes = 120;

// Context around the secret may hold control bytes (a match spanning lines); keep output one
// line of printable text.
std::string Printable(absl::string_view text) {
  std::string out(text);
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) c = '.';
  }
  return out;
}

}  // namespace

std::string MaskSecret(absl::string_view secret) {
  const size_t shown = secret.size() < 8 ? 0 : std::min<size_t>(4, secret.size() / 4);
  std::string masked = Printable(secret.substr(0, shown));
  masked.append(std::min(secret.size() - shown, kMaxStars), '*');
  return masked;
}

std::string MaskMatch(absl::string_view match, size_t secret_offset, absl::string_view secret) {
  secret_offset = std::min(secret_offset, match.size());
  const size_t secret_end = std::min(match.size(), secret_offset + secret.size());
  // Trailing line breaks and spaces are the regex's terminator, not context worth showing.
  absl::string_view after = match.substr(secret_end);
  while (!after.empty() && static_cast<unsigned char>(after.back()) <= ' ') after.remove_suffix(1);
  // The context may hold the secret again ("u:pw://u:pw@h"): mask every copy.
  const std::string masked_secret = MaskSecret(secret);
  auto context = [&](absl::string_view text) {
    return secret.empty()
               ? Printable(text)
               : absl::StrReplaceAll(Printable(text), {{Printable(secret), masked_secret}});
  };
  std::string masked =
      absl::StrCat(context(match.substr(0, secret_offset)), masked_secret, context(after));
  if (masked.size() > kMaxMatchBytes) {
    masked.resize(kMaxMatchBytes - 3);
    masked += "...";
  }
  return masked;
}

double ShannonEntropy(absl::string_view text) {
  if (text.empty()) return 0;
  std::array<size_t, 256> counts{};
  for (char c : text) ++counts[static_cast<unsigned char>(c)];
  double entropy = 0;
  const double size = static_cast<double>(text.size());
  for (size_t count : counts) {
    if (count == 0) continue;
    const double p = static_cast<double>(count) / size;
    entropy -= p * std::log2(p);
  }
  return entropy;
}

}  // namespace bulwark::secrets
