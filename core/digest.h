// Content digests in the OCI form "<algorithm>:<hex>" and a streaming hasher over OpenSSL EVP.
//   BULWARK_ASSIGN_OR_RETURN(Digest want, Digest::Parse("sha256:9f86d0..."));
//   Hasher hasher(DigestAlgorithm::kSha256);
//   hasher.Update(chunk); ...;  if (hasher.Finish() != want) ...
// Thread safety: Digest is an immutable value; a Hasher is used by one thread at a time.
#ifndef BULWARK_CORE_DIGEST_H_
#define BULWARK_CORE_DIGEST_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bulwark::core {

enum class DigestAlgorithm {
  kSha256,
  kSha512,
  kMd5,  // Only for legacy integrity checks (e.g. dpkg md5sums); never for trust decisions.
};

// "sha256", "sha512" or "md5": the OCI algorithm identifier.
absl::string_view DigestAlgorithmName(DigestAlgorithm algorithm);

// Parses "sha256", "sha512" or "md5". Errors: InvalidArgument naming the text.
absl::StatusOr<DigestAlgorithm> ParseDigestAlgorithm(absl::string_view name);

// Length in bytes of a digest made by `algorithm` (32, 64 or 16).
size_t DigestSize(DigestAlgorithm algorithm);

// An algorithm and the raw digest bytes it produced.
class Digest {
 public:
  // Parses "<algorithm>:<lowercase hex>" per the OCI image-spec digest grammar. Errors:
  // InvalidArgument for text outside the grammar, upper-case hex, or a hex length that does not
  // match the algorithm; Unimplemented for a well-formed digest of another algorithm
  // (e.g. "blake3:..."), naming it.
  static absl::StatusOr<Digest> Parse(absl::string_view text);

  // Wraps raw digest bytes. Errors: InvalidArgument when the size does not fit `algorithm`.
  static absl::StatusOr<Digest> FromBytes(DigestAlgorithm algorithm, absl::string_view bytes);

  DigestAlgorithm algorithm() const { return algorithm_; }
  // The raw digest bytes.
  const std::string& bytes() const { return bytes_; }
  // Lowercase hex of bytes().
  std::string Hex() const;
  // "<algorithm>:<hex>", the form Parse() reads.
  std::string ToString() const;

  // Constant-time comparison of the bytes (CRYPTO_memcmp), so that checking a digest taken from
  // an attacker does not leak how many leading bytes matched.
  friend bool operator==(const Digest& a, const Digest& b);
  friend bool operator!=(const Digest& a, const Digest& b) { return !(a == b); }

 private:
  Digest(DigestAlgorithm algorithm, std::string bytes)
      : algorithm_(algorithm), bytes_(std::move(bytes)) {}

  DigestAlgorithm algorithm_;
  std::string bytes_;
};

// Computes a digest over data handed to it in pieces. Move-only.
class Hasher {
 public:
  explicit Hasher(DigestAlgorithm algorithm);
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;
  ~Hasher();

  DigestAlgorithm algorithm() const { return algorithm_; }
  // Adds `data` to the digest.
  void Update(absl::string_view data);
  // Returns the digest of everything added and resets the hasher for reuse.
  Digest Finish();

 private:
  struct Context;
  DigestAlgorithm algorithm_;
  std::unique_ptr<Context> context_;
};

// Digest of `data` in one call.
Digest DigestBytes(DigestAlgorithm algorithm, absl::string_view data);

// Streams the file at `path` through a Hasher. Errors: NotFound / PermissionDenied /
// InvalidArgument (a directory) naming the path.
absl::StatusOr<Digest> DigestFile(const std::string& path, DigestAlgorithm algorithm);

}  // namespace bulwark::core

#endif  // BULWARK_CORE_DIGEST_H_
