// X.509 certificates over OpenSSL 3: parsing, names and extensions (including the Fulcio
// extensions Sigstore puts in signing certificates), the CA/leaf profile checks Sigstore applies,
// and chain verification at a given time (Fulcio certificates live 10 minutes, so "now" is
// almost never the right time).
//   BULWARK_ASSIGN_OR_RETURN(Certificate leaf, Certificate::Parse(pem));
//   BULWARK_RETURN_IF_ERROR(VerifyChain(leaf, intermediates, roots, signing_time, {}));
// Thread safety: Certificate is an immutable value; the functions share no state.
#ifndef BULWARK_IMAGE_SIGN_CERTIFICATE_H_
#define BULWARK_IMAGE_SIGN_CERTIFICATE_H_

#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "bulwark/image/sign/keys.h"

typedef struct x509_st X509;

namespace bulwark::sign {

// One subjectAltName entry.
struct SubjectAltName {
  enum class Kind { kEmail, kUri, kDns, kIp, kOtherName };
  Kind kind;
  // The name as text. For kOtherName, the value when it is a UTF8String (Sigstore's
  // 1.3.6.1.4.1.57264.1.7 "username!issuer" identities), otherwise empty.
  std::string value;
  std::string other_name_oid;  // kOtherName only: the type-id OID in dotted form.
};

// The Fulcio certificate extensions (OID arc 1.3.6.1.4.1.57264.1), decoded; absent ones are
// empty. The deprecated .1.1-.1.6 hold raw strings, .1.8 and later DER UTF8Strings.
struct FulcioExtensions {
  std::string issuer;                        // .1.8, or the deprecated .1.1 when .1.8 is absent.
  std::string github_workflow_trigger;       // .1.2
  std::string github_workflow_sha;           // .1.3
  std::string github_workflow_name;          // .1.4
  std::string github_workflow_repository;    // .1.5
  std::string github_workflow_ref;           // .1.6
  std::string build_signer_uri;              // .1.9
  std::string build_signer_digest;           // .1.10
  std::string runner_environment;            // .1.11
  std::string source_repository_uri;         // .1.12
  std::string source_repository_digest;      // .1.13
  std::string source_repository_ref;         // .1.14
  std::string source_repository_identifier;  // .1.15
  std::string source_repository_owner_uri;   // .1.16
  std::string source_repository_owner_identifier;       // .1.17
  std::string build_config_uri;                         // .1.18
  std::string build_config_digest;                      // .1.19
  std::string build_trigger;                            // .1.20
  std::string run_invocation_uri;                       // .1.21
  std::string source_repository_visibility_at_signing;  // .1.22
};

class Certificate {
 public:
  // Reads the first "CERTIFICATE" PEM block. Errors: InvalidArgument.
  static absl::StatusOr<Certificate> ParsePem(absl::string_view pem);
  // Reads one DER certificate; trailing bytes are an error. Errors: InvalidArgument.
  static absl::StatusOr<Certificate> ParseDer(absl::string_view der);
  // PEM when the text holds "-----BEGIN", DER otherwise.
  static absl::StatusOr<Certificate> Parse(absl::string_view pem_or_der);
  // Shares an OpenSSL certificate (takes one reference; `cert` must not be null).
  static Certificate FromX509(X509* cert);
  // Every "CERTIFICATE" block in order. Errors: InvalidArgument when none decodes or one is
  // malformed.
  static absl::StatusOr<std::vector<Certificate>> ParsePemChain(absl::string_view pem);
  // ParsePemChain when the text holds "-----BEGIN", else one DER certificate (a certificate file
  // of a trust store). Errors: InvalidArgument.
  static absl::StatusOr<std::vector<Certificate>> ParseFile(absl::string_view pem_or_der);

  // The subject public key. Errors: Unimplemented for key types outside KeyAlgorithm.
  absl::StatusOr<PublicKey> public_key() const;
  absl::Time not_before() const;
  absl::Time not_after() const;
  // RFC 2253 forms of the names.
  std::string subject() const;
  std::string issuer() const;
  std::vector<SubjectAltName> subject_alt_names() const;
  // The contents of the extension's OCTET STRING (its DER value) for `oid` in dotted form.
  std::optional<std::string> ExtensionValue(absl::string_view oid) const;
  FulcioExtensions fulcio_extensions() const;

  std::string Der() const;
  std::string Pem() const;
  // The OpenSSL certificate, borrowed for the lifetime of this Certificate.
  X509* x509() const { return cert_.get(); }

  friend bool operator==(const Certificate& a, const Certificate& b);

 private:
  explicit Certificate(std::shared_ptr<X509> cert) : cert_(std::move(cert)) {}
  std::shared_ptr<X509> cert_;
};

// Sigstore's certificate profile checks (as sigstore-python's cert_is_ca / cert_is_root_ca /
// cert_is_leaf). Errors: InvalidArgument "invalid X.509 certificate: ..." for a certificate that
// claims a role without the extensions that role requires (a CA whose BasicConstraints is not
// critical or that lacks keyCertSign; a leaf without digitalSignature or without an
// ExtendedKeyUsage extension; a version other than 3).
absl::StatusOr<bool> IsCa(const Certificate& cert);
// A CA that is self-issued and self-signed.
absl::StatusOr<bool> IsRootCa(const Certificate& cert);
// Not a CA, digitalSignature key usage, and codeSigning in ExtendedKeyUsage.
absl::StatusOr<bool> IsLeaf(const Certificate& cert);

// Remembers intermediate CA certificates that VerifyChain verified up to a set of roots, with
// the window of times in which that whole path (intermediate to root) is valid. A later
// VerifyChain through the same intermediate, to the same roots, with the same options, at a time
// inside the window, has OpenSSL check the chain from the leaf up to that intermediate only (as
// a partial-chain trust anchor), which skips re-verifying the signatures above it. Keys are the
// intermediate's DER, the roots' DER and the partial-chain option, compared byte for byte. A
// path above which a certificate carries name constraints is not remembered: with the
// intermediate as the anchor they would no longer apply to the leaf. At most `capacity` paths
// are kept; the oldest is dropped first.
// Thread safety: safe for concurrent use (one mutex).
class IntermediateCache {
 public:
  explicit IntermediateCache(size_t capacity = 256);
  IntermediateCache(const IntermediateCache&) = delete;
  IntermediateCache& operator=(const IntermediateCache&) = delete;

  // The verified path (intermediate first, root last) for `intermediate` under `roots`, when
  // `time` is inside its window; nullopt otherwise.
  std::optional<std::vector<Certificate>> Find(absl::Span<const Certificate> roots,
                                               const Certificate& intermediate, bool partial_chain,
                                               absl::Time time) const;
  // Records every intermediate of `chain` (leaf first, trust anchor last), as VerifyChain
  // returned it for `roots`.
  void Remember(absl::Span<const Certificate> roots, bool partial_chain,
                absl::Span<const Certificate> chain);
  size_t size() const;
  // How many Find calls returned a path.
  uint64_t hits() const;

 private:
  struct Path {
    std::vector<Certificate> certificates;  // Intermediate first, root last.
    absl::Time valid_from;
    absl::Time valid_until;
  };
  const size_t capacity_;
  // std::mutex rather than absl::Mutex: Debian's Abseil is not built for ThreadSanitizer.
  mutable std::mutex mutex_;
  absl::flat_hash_map<std::string, Path> paths_;  // Guarded by mutex_.
  std::deque<std::string> order_;                 // Keys, oldest first. Guarded by mutex_.
  mutable uint64_t hits_ = 0;                     // Guarded by mutex_.
};

struct ChainOptions {
  // Require the leaf's ExtendedKeyUsage to list codeSigning and its KeyUsage digitalSignature,
  // when it has those extensions (as Go's crypto/x509, which cosign uses, treats an absent
  // extension as "any usage"). Default: true.
  bool require_code_signing = true;
  // Accept a root that is not self-signed as the trust anchor (OpenSSL's
  // X509_V_FLAG_PARTIAL_CHAIN), as Sigstore trust roots may end at an intermediate.
  // Default: false.
  bool partial_chain = false;
  // Verified intermediates to reuse and to add to (borrowed; must outlive the call). Default:
  // none.
  IntermediateCache* cache = nullptr;
};

// Verifies that `leaf` chains to one of `roots` through `intermediates`, with every certificate
// valid at `time` (OpenSSL's X509_verify_cert with the check time set). On success returns the
// chain from the leaf to the root. Errors: PermissionDenied "certificate chain: <OpenSSL reason>
// (depth N)" when the chain does not verify, or the leaf lacks the required usages.
absl::StatusOr<std::vector<Certificate>> VerifyChain(const Certificate& leaf,
                                                     absl::Span<const Certificate> intermediates,
                                                     absl::Span<const Certificate> roots,
                                                     absl::Time time,
                                                     const ChainOptions& options = {});

}  // namespace bulwark::sign

#endif  // BULWARK_IMAGE_SIGN_CERTIFICATE_H_
