#include "bulwark/core/digest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/file.h"

namespace bulwark::core {
namespace {

struct AlgorithmInfo {
  DigestAlgorithm algorithm;
  absl::string_view name;
  size_t size;
};

constexpr AlgorithmInfo kAlgorithms[] = {
    {DigestAlgorithm::kSha256, "sha256", 32},
    {DigestAlgorithm::kSha512, "sha512", 64},
    {DigestAlgorithm::kMd5, "md5", 16},
};

const AlgorithmInfo& Info(DigestAlgorithm algorithm) {
  for (const AlgorithmInfo& info : kAlgorithms) {
    if (info.algorithm == algorithm) return info;
  }
  std::abort();  // Unreachable: every enumerator is in kAlgorithms.
}

// The EVP_MD for each algorithm, fetched once: explicit fetching avoids a provider lookup on
// every hasher initialisation.
const EVP_MD* FetchedMd(DigestAlgorithm algorithm) {
  static const EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
  static const EVP_MD* const kSha512 = EVP_MD_fetch(nullptr, "SHA2-512", nullptr);
  static const EVP_MD* const kMd5 = EVP_MD_fetch(nullptr, "MD5", nullptr);
  switch (algorithm) {
    case DigestAlgorithm::kSha256:
      return kSha256;
    case DigestAlgorithm::kSha512:
      return kSha512;
    case DigestAlgorithm::kMd5:
      return kMd5;
  }
  std::abort();
}

// OCI image-spec: algorithm-component := [a-z0-9]+, joined by one of [+._-].
bool IsValidAlgorithmGrammar(absl::string_view algorithm) {
  if (algorithm.empty()) return false;
  bool previous_was_separator = true;
  for (char c : algorithm) {
    bool is_component_char = absl::ascii_islower(c) || absl::ascii_isdigit(c);
    bool is_separator = c == '+' || c == '.' || c == '_' || c == '-';
    if (!is_component_char && !is_separator) return false;
    if (is_separator && previous_was_separator) return false;
    previous_was_separator = is_separator;
  }
  return !previous_was_separator;
}

// OCI image-spec: encoded := [a-zA-Z0-9=_-]+.
bool IsValidEncodedGrammar(absl::string_view encoded) {
  if (encoded.empty()) return false;
  for (char c : encoded) {
    if (!absl::ascii_isalnum(c) && c != '=' && c != '_' && c != '-') return false;
  }
  return true;
}

bool IsLowerHex(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isdigit(c) && !(c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

}  // namespace

absl::string_view DigestAlgorithmName(DigestAlgorithm algorithm) { return Info(algorithm).name; }

size_t DigestSize(DigestAlgorithm algorithm) { return Info(algorithm).size; }

absl::StatusOr<DigestAlgorithm> ParseDigestAlgorithm(absl::string_view name) {
  for (const AlgorithmInfo& info : kAlgorithms) {
    if (info.name == name) return info.algorithm;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown digest algorithm \"",
                                                 absl::CHexEscape(name),
                                                 "\" (expected sha256, sha512 or md5)"));
}

absl::StatusOr<Digest> Digest::Parse(absl::string_view text) {
  auto invalid = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid digest \"", absl::CHexEscape(text.substr(0, 200)), "\": ", why));
  };
  size_t colon = text.find(':');
  if (colon == absl::string_view::npos) return invalid("expected <algorithm>:<encoded>");
  absl::string_view algorithm_name = text.substr(0, colon);
  absl::string_view encoded = text.substr(colon + 1);
  if (!IsValidAlgorithmGrammar(algorithm_name)) return invalid("malformed algorithm");
  if (!IsValidEncodedGrammar(encoded)) return invalid("malformed encoded part");
  auto algorithm = ParseDigestAlgorithm(algorithm_name);
  if (!algorithm.ok()) {
    return absl::UnimplementedError(absl::StrCat("unsupported digest algorithm \"", algorithm_name,
                                                 "\" in \"", text.substr(0, 200), "\""));
  }
  size_t want_hex = 2 * DigestSize(*algorithm);
  if (encoded.size() != want_hex) {
    return invalid(
        absl::StrCat(algorithm_name, " needs ", want_hex, " hex digits, got ", encoded.size()));
  }
  if (!IsLowerHex(encoded)) return invalid("encoded part must be lowercase hex");
  return Digest(*algorithm, absl::HexStringToBytes(encoded));
}

absl::StatusOr<Digest> Digest::FromBytes(DigestAlgorithm algorithm, absl::string_view bytes) {
  if (bytes.size() != DigestSize(algorithm)) {
    return absl::InvalidArgumentError(absl::StrCat(DigestAlgorithmName(algorithm), " digest needs ",
                                                   DigestSize(algorithm), " bytes, got ",
                                                   bytes.size()));
  }
  return Digest(algorithm, std::string(bytes));
}

std::string Digest::Hex() const { return absl::BytesToHexString(bytes_); }

std::string Digest::ToString() const {
  return absl::StrCat(DigestAlgorithmName(algorithm_), ":", Hex());
}

bool operator==(const Digest& a, const Digest& b) {
  return a.algorithm_ == b.algorithm_ && a.bytes_.size() == b.bytes_.size() &&
         CRYPTO_memcmp(a.bytes_.data(), b.bytes_.data(), a.bytes_.size()) == 0;
}

struct Hasher::Context {
  struct Free {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
  };
  std::unique_ptr<EVP_MD_CTX, Free> ctx;
};

Hasher::Hasher(DigestAlgorithm algorithm)
    : algorithm_(algorithm), context_(std::make_unique<Context>()) {
  context_->ctx.reset(EVP_MD_CTX_new());
  // Allocation failure or a missing default provider leaves no way to hash at all.
  if (context_->ctx == nullptr ||
      EVP_DigestInit_ex2(context_->ctx.get(), FetchedMd(algorithm), nullptr) != 1) {
    std::abort();
  }
}

Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;
Hasher::~Hasher() = default;

void Hasher::Update(absl::string_view data) {
  EVP_DigestUpdate(context_->ctx.get(), data.data(), data.size());
}

Digest Hasher::Finish() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(context_->ctx.get(), out, &size);
  EVP_DigestInit_ex2(context_->ctx.get(), nullptr, nullptr);
  return *Digest::FromBytes(algorithm_, absl::string_view(reinterpret_cast<char*>(out), size));
}

Digest DigestBytes(DigestAlgorithm algorithm, absl::string_view data) {
  Hasher hasher(algorithm);
  hasher.Update(data);
  return hasher.Finish();
}

absl::StatusOr<Digest> DigestFile(const std::string& path, DigestAlgorithm algorithm) {
  Hasher hasher(algorithm);
  absl::Status status =
      ForEachFileChunk(path, [&](absl::string_view chunk) { hasher.Update(chunk); });
  if (!status.ok()) return status;
  return hasher.Finish();
}

}  // namespace bulwark::core
