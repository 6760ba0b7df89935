#include "bulwark/image/sign/certificate.h"

#include <openssl/asn1.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <ctime>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/sign/internal/openssl_util.h"

namespace bulwark::sign {
namespace {

using internal::X509Ptr;

std::shared_ptr<X509> Share(X509Ptr cert) {
  return std::shared_ptr<X509>(cert.release(), X509_free);
}

absl::Time FromAsn1Time(const ASN1_TIME* time) {
  struct tm tm = {};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) return absl::InfinitePast();
  return absl::FromTimeT(timegm(&tm));
}

std::string ObjectText(const ASN1_OBJECT* object) {
  char buffer[128];
  const int length = OBJ_obj2txt(buffer, sizeof buffer, object, 1);
  if (length <= 0 || static_cast<size_t>(length) >= sizeof buffer) return "";
  return std::string(buffer, static_cast<size_t>(length));
}

std::string Asn1StringText(const ASN1_STRING* s) {
  if (s == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<size_t>(ASN1_STRING_length(s)));
}

std::string NameText(const X509_NAME* name) {
  internal::BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253);
  return internal::BioContents(bio.get());
}

absl::Status InvalidCert(absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("invalid X.509 certificate: ", why));
}

}  // namespace

absl::StatusOr<Certificate> Certificate::ParsePem(absl::string_view pem) {
  internal::BioPtr bio = internal::MemoryBio(pem);
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (cert == nullptr) {
    return internal::OpensslStatus(absl::StatusCode::kInvalidArgument,
                                   "no PEM \"CERTIFICATE\" block that decodes");
  }
  return Certificate(Share(std::move(cert)));
}

absl::StatusOr<Certificate> Certificate::ParseDer(absl::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (cert == nullptr) {
    return internal::OpensslStatus(absl::StatusCode::kInvalidArgument, "not a DER certificate");
  }
  if (p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    return absl::InvalidArgumentError("trailing bytes after the DER certificate");
  }
  return Certificate(Share(std::move(cert)));
}

Certificate Certificate::FromX509(X509* cert) {
  X509_up_ref(cert);
  return Certificate(Share(X509Ptr(cert)));
}

absl::StatusOr<Certificate> Certificate::Parse(absl::string_view pem_or_der) {
  if (absl::StrContains(pem_or_der, "-----BEGIN")) return ParsePem(pem_or_der);
  return ParseDer(pem_or_der);
}

absl::StatusOr<std::vector<Certificate>> Certificate::ParsePemChain(absl::string_view pem) {
  std::vector<Certificate> chain;
  size_t start = 0;
  constexpr absl::string_view kBegin = "-----BEGIN CERTIFICATE-----";
  while ((start = pem.find(kBegin, start)) != absl::string_view::npos) {
    BULWARK_ASSIGN_OR_RETURN(Certificate cert, ParsePem(pem.substr(start)));
    chain.push_back(std::move(cert));
    start += kBegin.size();
  }
  if (chain.empty()) return absl::InvalidArgumentError("no PEM \"CERTIFICATE\" block");
  return chain;
}

absl::StatusOr<std::vector<Certificate>> Certificate::ParseFile(absl::string_view pem_or_der) {
  if (absl::StrContains(pem_or_der, "-----BEGIN")) return ParsePemChain(pem_or_der);
  BULWARK_ASSIGN_OR_RETURN(Certificate certificate, ParseDer(pem_or_der));
  return std::vector<Certificate>{std::move(certificate)};
}

absl::StatusOr<PublicKey> Certificate::public_key() const {
  return PublicKey::FromEvp(X509_get0_pubkey(cert_.get()));
}

absl::Time Certificate::not_before() const {
  return FromAsn1Time(X509_get0_notBefore(cert_.get()));
}
absl::Time Certificate::not_after() const { return FromAsn1Time(X509_get0_notAfter(cert_.get())); }
std::string Certificate::subject() const { return NameText(X509_get_subject_name(cert_.get())); }
std::string Certificate::issuer() const { return NameText(X509_get_issuer_name(cert_.get())); }

std::vector<SubjectAltName> Certificate::subject_alt_names() const {
  std::vector<SubjectAltName> names;
  auto* general_names = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert_.get(), NID_subject_alt_name, nullptr, nullptr));
  if (general_names == nullptr) {
    internal::ClearOpensslErrors();
    return names;
  }
  for (int i = 0; i < sk_GENERAL_NAME_num(general_names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(general_names, i);
    switch (name->type) {
      case GEN_EMAIL:
        names.push_back({SubjectAltName::Kind::kEmail, Asn1StringText(name->d.rfc822Name), ""});
        break;
      case GEN_URI:
        names.push_back(
            {SubjectAltName::Kind::kUri, Asn1StringText(name->d.uniformResourceIdentifier), ""});
        break;
      case GEN_DNS:
        names.push_back({SubjectAltName::Kind::kDns, Asn1StringText(name->d.dNSName), ""});
        break;
      case GEN_IPADD:
        names.push_back({SubjectAltName::Kind::kIp, Asn1StringText(name->d.iPAddress), ""});
        break;
      case GEN_OTHERNAME: {
        const ASN1_TYPE* value = name->d.otherName->value;
        std::string text;
        if (value != nullptr && value->type == V_ASN1_UTF8STRING) {
          text = Asn1StringText(value->value.utf8string);
        }
        names.push_back({SubjectAltName::Kind::kOtherName, std::move(text),
                         ObjectText(name->d.otherName->type_id)});
        break;
      }
      default:
        break;
    }
  }
  GENERAL_NAMES_free(general_names);
  return names;
}

std::optional<std::string> Certificate::ExtensionValue(absl::string_view oid) const {
  ASN1_OBJECT* object = OBJ_txt2obj(std::string(oid).c_str(), 1);
  if (object == nullptr) {
    internal::ClearOpensslErrors();
    return std::nullopt;
  }
  const int index = X509_get_ext_by_OBJ(cert_.get(), object, -1);
  ASN1_OBJECT_free(object);
  if (index < 0) return std::nullopt;
  return Asn1StringText(X509_EXTENSION_get_data(X509_get_ext(cert_.get(), index)));
}

FulcioExtensions Certificate::fulcio_extensions() const {
  auto raw = [&](int n) {
    return ExtensionValue(absl::StrCat("1.3.6.1.4.1.57264.1.", n)).value_or("");
  };
  auto utf8 = [&](int n) -> std::string {
    std::optional<std::string> der = ExtensionValue(absl::StrCat("1.3.6.1.4.1.57264.1.", n));
    if (!der.has_value()) return "";
    const auto* p = reinterpret_cast<const unsigned char*>(der->data());
    ASN1_UTF8STRING* s = d2i_ASN1_UTF8STRING(nullptr, &p, static_cast<long>(der->size()));
    if (s == nullptr) {
      internal::ClearOpensslErrors();
      return "";
    }
    std::string text = Asn1StringText(s);
    ASN1_UTF8STRING_free(s);
    return text;
  };
  FulcioExtensions e;
  e.issuer = utf8(8);
  if (e.issuer.empty()) e.issuer = raw(1);
  e.github_workflow_trigger = raw(2);
  e.github_workflow_sha = raw(3);
  e.github_workflow_name = raw(4);
  e.github_workflow_repository = raw(5);
  e.github_workflow_ref = raw(6);
  e.build_signer_uri = utf8(9);
  e.build_signer_digest = utf8(10);
  e.runner_environment = utf8(11);
  e.source_repository_uri = utf8(12);
  e.source_repository_digest = utf8(13);
  e.source_repository_ref = utf8(14);
  e.source_repository_identifier = utf8(15);
  e.source_repository_owner_uri = utf8(16);
  e.source_repository_owner_identifier = utf8(17);
  e.build_config_uri = utf8(18);
  e.build_config_digest = utf8(19);
  e.build_trigger = utf8(20);
  e.run_invocation_uri = utf8(21);
  e.source_repository_visibility_at_signing = utf8(22);
  return e;
}

std::string Certificate::Der() const {
  unsigned char* der = nullptr;
  const int length = i2d_X509(cert_.get(), &der);
  if (length <= 0) return "";
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  return out;
}

std::string Certificate::Pem() const {
  internal::BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert_.get());
  return internal::BioContents(bio.get());
}

bool operator==(const Certificate& a, const Certificate& b) {
  return X509_cmp(a.cert_.get(), b.cert_.get()) == 0;
}

absl::StatusOr<bool> IsCa(const Certificate& cert) {
  X509* x = cert.x509();
  if (X509_get_version(x) != X509_VERSION_3) return InvalidCert("not a version 3 certificate");
  const int index = X509_get_ext_by_NID(x, NID_basic_constraints, -1);
  if (index < 0) return false;
  if (!X509_EXTENSION_get_critical(X509_get_ext(x, index))) {
    return InvalidCert("non-critical BasicConstraints in CA");
  }
  if ((X509_get_extension_flags(x) & EXFLAG_CA) == 0) return false;
  const uint32_t key_usage = X509_get_key_usage(x);
  if (key_usage == UINT32_MAX) return InvalidCert("CA without KeyUsage");
  if ((key_usage & KU_KEY_CERT_SIGN) == 0) return InvalidCert("CA without keyCertSign");
  return true;
}

absl::StatusOr<bool> IsRootCa(const Certificate& cert) {
  BULWARK_ASSIGN_OR_RETURN(bool ca, IsCa(cert));
  if (!ca) return false;
  X509* x = cert.x509();
  const bool self_signed =
      X509_check_issued(x, x) == X509_V_OK && X509_verify(x, X509_get0_pubkey(x)) == 1;
  internal::ClearOpensslErrors();
  return self_signed;
}

absl::StatusOr<bool> IsLeaf(const Certificate& cert) {
  BULWARK_ASSIGN_OR_RETURN(bool ca, IsCa(cert));
  if (ca) return false;
  X509* x = cert.x509();
  const uint32_t key_usage = X509_get_key_usage(x);
  if (key_usage == UINT32_MAX || (key_usage & KU_DIGITAL_SIGNATURE) == 0) {
    return InvalidCert("leaf without digitalSignature key usage");
  }
  const uint32_t extended = X509_get_extended_key_usage(x);
  if (extended == UINT32_MAX) return InvalidCert("leaf without ExtendedKeyUsage");
  return (extended & XKU_CODE_SIGN) != 0;
}

namespace {

// X509_verify_cert of `leaf` through `intermediates` to `roots` at `time`; the chain it built.
absl::StatusOr<std::vector<Certificate>> OpensslVerify(const Certificate& leaf,
                                                       absl::Span<const Certificate> intermediates,
                                                       absl::Span<const Certificate> roots,
                                                       absl::Time time, bool partial_chain) {
  std::unique_ptr<X509_STORE, internal::OpensslDeleter<X509_STORE, X509_STORE_free>> store(
      X509_STORE_new());
  std::unique_ptr<STACK_OF(X509), void (*)(STACK_OF(X509)*)> untrusted(
      sk_X509_new_null(), [](STACK_OF(X509) * s) { sk_X509_free(s); });
  std::unique_ptr<X509_STORE_CTX, internal::OpensslDeleter<X509_STORE_CTX, X509_STORE_CTX_free>>
      ctx(X509_STORE_CTX_new());
  if (store == nullptr || untrusted == nullptr || ctx == nullptr) {
    return internal::OpensslStatus(absl::StatusCode::kInternal, "X509_STORE");
  }
  for (const Certificate& root : roots) X509_STORE_add_cert(store.get(), root.x509());
  for (const Certificate& cert : intermediates) sk_X509_push(untrusted.get(), cert.x509());
  if (X509_STORE_CTX_init(ctx.get(), store.get(), leaf.x509(), untrusted.get()) != 1) {
    return internal::OpensslStatus(absl::StatusCode::kInternal, "X509_STORE_CTX_init");
  }
  X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx.get()), absl::ToTimeT(time));
  if (partial_chain) {
    X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(ctx.get()), X509_V_FLAG_PARTIAL_CHAIN);
  }
  if (X509_verify_cert(ctx.get()) != 1) {
    const int error = X509_STORE_CTX_get_error(ctx.get());
    const int depth = X509_STORE_CTX_get_error_depth(ctx.get());
    internal::ClearOpensslErrors();
    return absl::PermissionDeniedError(
        absl::StrCat("certificate chain: ", X509_verify_cert_error_string(error), " (depth ", depth,
                     ") at ", absl::FormatTime(time, absl::UTCTimeZone())));
  }
  std::vector<Certificate> chain;
  STACK_OF(X509)* verified = X509_STORE_CTX_get0_chain(ctx.get());
  for (int i = 0; i < sk_X509_num(verified); ++i) {
    chain.push_back(Certificate::FromX509(sk_X509_value(verified, i)));
  }
  return chain;
}

// The leaf through a remembered intermediate: OpenSSL checks the leaf against that intermediate
// as the anchor; the path above it is the one verified before. nullopt when there is none.
std::optional<std::vector<Certificate>> VerifyThroughCache(
    const Certificate& leaf, absl::Span<const Certificate> intermediates,
    absl::Span<const Certificate> roots, absl::Time time, const ChainOptions& options) {
  for (const Certificate& candidate : intermediates) {
    std::optional<std::vector<Certificate>> above =
        options.cache->Find(roots, candidate, options.partial_chain, time);
    if (!above.has_value()) continue;
    absl::StatusOr<std::vector<Certificate>> below =
        OpensslVerify(leaf, {}, {candidate}, time, /*partial_chain=*/true);
    // A failure is reported by the full verification, with OpenSSL's reason for the whole chain.
    if (!below.ok() || below->size() != 2) continue;
    below->insert(below->end(), above->begin() + 1, above->end());
    return *std::move(below);
  }
  return std::nullopt;
}

// The key of an intermediate under a set of roots: length-prefixed DER, byte for byte.
std::string CacheKey(absl::Span<const Certificate> roots, const Certificate& intermediate,
                     bool partial_chain) {
  std::string key(1, partial_chain ? 'p' : 'f');
  auto append = [&key](const Certificate& certificate) {
    const std::string der = certificate.Der();
    absl::StrAppend(&key, der.size(), ":", der);
  };
  append(intermediate);
  for (const Certificate& root : roots) append(root);
  return key;
}

bool HasNameConstraints(const Certificate& certificate) {
  return X509_get_ext_by_NID(certificate.x509(), NID_name_constraints, -1) >= 0;
}

}  // namespace

IntermediateCache::IntermediateCache(size_t capacity) : capacity_(capacity) {}

std::optional<std::vector<Certificate>> IntermediateCache::Find(absl::Span<const Certificate> roots,
                                                                const Certificate& intermediate,
                                                                bool partial_chain,
                                                                absl::Time time) const {
  const std::string key = CacheKey(roots, intermediate, partial_chain);
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = paths_.find(key);
  if (it == paths_.end() || time < it->second.valid_from || time > it->second.valid_until) {
    return std::nullopt;
  }
  ++hits_;
  return it->second.certificates;
}

void IntermediateCache::Remember(absl::Span<const Certificate> roots, bool partial_chain,
                                 absl::Span<const Certificate> chain) {
  if (capacity_ == 0 || chain.size() < 3) return;  // Leaf, intermediate(s), anchor.
  // From the top: stop below a certificate with name constraints, which must keep applying.
  for (size_t i = chain.size() - 1; i >= 2; --i) {
    if (HasNameConstraints(chain[i])) break;
    const size_t intermediate = i - 1;
    Path path;
    path.certificates.assign(chain.begin() + intermediate, chain.end());
    path.valid_from = absl::InfinitePast();
    path.valid_until = absl::InfiniteFuture();
    for (const Certificate& certificate : path.certificates) {
      path.valid_from = std::max(path.valid_from, certificate.not_before());
      path.valid_until = std::min(path.valid_until, certificate.not_after());
    }
    std::string key = CacheKey(roots, chain[intermediate], partial_chain);
    std::lock_guard<std::mutex> lock(mutex_);
    if (paths_.find(key) == paths_.end()) {
      if (paths_.size() >= capacity_) {
        paths_.erase(order_.front());
        order_.pop_front();
      }
      order_.push_back(key);
    }
    paths_[std::move(key)] = std::move(path);
  }
}

size_t IntermediateCache::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return paths_.size();
}

uint64_t IntermediateCache::hits() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return hits_;
}

absl::StatusOr<std::vector<Certificate>> VerifyChain(const Certificate& leaf,
                                                     absl::Span<const Certificate> intermediates,
                                                     absl::Span<const Certificate> roots,
                                                     absl::Time time, const ChainOptions& options) {
  std::optional<std::vector<Certificate>> cached;
  if (options.cache != nullptr) {
    cached = VerifyThroughCache(leaf, intermediates, roots, time, options);
  }
  std::vector<Certificate> chain;
  if (cached.has_value()) {
    chain = *std::move(cached);
  } else {
    BULWARK_ASSIGN_OR_RETURN(
        chain, OpensslVerify(leaf, intermediates, roots, time, options.partial_chain));
    if (options.cache != nullptr) options.cache->Remember(roots, options.partial_chain, chain);
  }
  if (options.require_code_signing) {
    // As Go's crypto/x509 (cosign, containers/image): a certificate without the extension allows
    // every usage; one that has it must list codeSigning / digitalSignature.
    X509* x = leaf.x509();
    const uint32_t key_usage = X509_get_key_usage(x);
    const uint32_t extended = X509_get_extended_key_usage(x);
    if (key_usage != UINT32_MAX && (key_usage & KU_DIGITAL_SIGNATURE) == 0) {
      return absl::PermissionDeniedError("certificate chain: leaf lacks digitalSignature usage");
    }
    if (extended != UINT32_MAX && (extended & XKU_CODE_SIGN) == 0) {
      return absl::PermissionDeniedError("certificate chain: leaf lacks codeSigning usage");
    }
  }
  return chain;
}

}  // namespace bulwark::sign
